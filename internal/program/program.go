// Package program builds, runs and reads the lesson's programs: the one
// harness that every package's tests use, and the teacher's grading command
// too, as the Go repository's internal/testenv serves all of its tests.
//
// A program is built as go run main.go builds it, started on a free port,
// and read as a learner reads the terminal: Start waits for the
// " * Running on" line of its banner, Terminal returns what it printed, and
// WaitFor waits for a line to show. Browser talks to it as a browser does,
// with a cookie jar of its own. Tests use it through internal/testenv,
// whose functions stop the test instead of returning an error and clean up
// when it ends. This package does not import testing, so that the
// grading command does not link package testing.
package program

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"example.com/sessions/internal/gobuild"
)

// Build compiles dir/main.go into the folder out, as go run main.go does,
// and returns the program's path. When main.go does not compile, it returns
// what the compiler said, without go build's "# command-line-arguments"
// line, and an error.
func Build(dir, out string) (bin, said string, err error) {
	return BuildContext(context.Background(), dir, out)
}

// BuildContext is Build, with go build stopped when ctx is done: the grading
// command gives each student's program a time of its own. internal/gobuild
// runs go build, as it does for the development server's reloader.
func BuildContext(ctx context.Context, dir, out string) (bin, said string, err error) {
	return gobuild.Build(ctx, filepath.Join(dir, "main.go"), filepath.Join(out, "lesson-app"), coverFlags()...)
}

// coverDirEnv is the environment variable that .ci/coverage sets to a
// folder, to measure the lines that the programs tests run cover: Build then
// compiles them with -cover, and Start runs them with GOCOVERDIR set to that
// folder, where each program writes what it ran when it ends (killed, it
// writes nothing). What a program builds itself, as the reloader does, is
// built as usual.
const coverDirEnv = "LESSON_COVERDIR"

// coverFlags are go build's flags for a program whose lines are counted: the
// lesson's packages, counted in the mode go test -race uses.
func coverFlags() []string {
	if os.Getenv(coverDirEnv) == "" {
		return nil
	}
	return []string{"-cover", "-covermode=atomic", "-coverpkg=example.com/sessions/...,command-line-arguments"} // main.go too, or the program writes nothing
}

// Options say how Start runs a program.
type Options struct {
	Dir     string        // the folder it runs in
	Env     []string      // VAR=value pairs added to this process's environment
	TempDir string        // its temporary folder (TMPDIR, TEMP, TMP), if set
	Wait    time.Duration // how long to wait for the banner: 30 seconds if zero
	// Context, when set, stops the wait for the banner, and the program,
	// when it is done: the grading command stops at Ctrl+C.
	Context context.Context
}

// maxTerminal is how much of a program's output Program keeps: a program
// that prints without end cannot take more memory than this.
const maxTerminal = 4 << 20

// Program is a running program and its terminal.
type Program struct {
	URL string // from its banner's " * Running on" line, such as http://127.0.0.1:40123

	cmd  *exec.Cmd
	done chan struct{} // closed when it has ended

	mu       sync.Mutex
	terminal bytes.Buffer // what it printed, standard output and error together
	cut      bool         // it printed more than maxTerminal
	line     []byte       // the line it is printing, up to maxLine bytes, until its banner shows
	banner   string       // the address of its first " * Running on" line, once printed
	stopping bool         // Stop, KillAll, Kill or Interrupt was called
}

// maxLine is how much of a line Program keeps while it looks for the
// banner: " * Running on http://127.0.0.1:5000" and then some.
const maxLine = 1 << 10

// Start runs command (a program and its arguments) in a process group of its
// own, as a terminal runs a command, and waits for the " * Running on" line
// of its banner. When the program ends or prints no banner in time, Start
// stops it and returns an error that holds what it printed.
func Start(command []string, opts Options) (*Program, error) {
	command, addr, err := guardedPort(command)
	if err != nil {
		return nil, err
	}
	p := &Program{done: make(chan struct{})}
	p.cmd = exec.Command(command[0], command[1:]...)
	p.cmd.Dir = opts.Dir
	p.cmd.Env = os.Environ()
	if opts.TempDir != "" {
		p.cmd.Env = append(p.cmd.Env, "TMPDIR="+opts.TempDir, "TEMP="+opts.TempDir, "TMP="+opts.TempDir)
	}
	if dir := os.Getenv(coverDirEnv); dir != "" {
		p.cmd.Env = append(p.cmd.Env, "GOCOVERDIR="+dir)
	}
	p.cmd.Env = append(p.cmd.Env, opts.Env...)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	// A process left behind holding the output must not keep Wait waiting.
	p.cmd.WaitDelay = 10 * time.Second
	setProcessGroup(p.cmd)
	if err := p.cmd.Start(); err != nil {
		return nil, err
	}
	go p.wait()
	wait := opts.Wait
	if wait == 0 {
		wait = 30 * time.Second
	}
	stop := opts.Context
	if stop == nil {
		stop = context.Background()
	}
	for deadline := time.Now().Add(wait); ; time.Sleep(10 * time.Millisecond) {
		text := p.Terminal()
		if url := p.bannerURL(); url != "" && (addr == "" || url == "http://"+addr) {
			p.URL = url
			return p, nil
		} else if url != "" {
			noteInterference("its banner named %s, not the address it was given (%s)", url, addr)
			p.Stop()
			return nil, &StartError{Command: command[0], Wait: wait, Printed: text, Flooded: p.Flooded()}
		}
		select {
		case <-stop.Done():
			p.Stop()
			return nil, stop.Err()
		case <-p.done:
			return nil, &StartError{Command: command[0], Ended: true, State: p.cmd.ProcessState.String(), Printed: text, Flooded: p.Flooded()}
		default:
		}
		if time.Now().After(deadline) {
			p.Stop()
			return nil, &StartError{Command: command[0], Wait: wait, Printed: text, Flooded: p.Flooded()}
		}
	}
}

// StartError is Start's error when the program ended before its banner, or
// printed none in time.
type StartError struct {
	Command string
	Ended   bool          // it ended by itself; otherwise Start stopped it after Wait
	State   string        // how it ended, such as "exit status 1", when it ended
	Wait    time.Duration // how long Start waited, when it stopped it
	Printed string        // what it printed, up to 4 MB
	Flooded bool          // it printed more than that
}

func (e *StartError) Error() string {
	if e.Ended {
		return fmt.Sprintf("%s ended without its banner (%s); it printed:\n%s", e.Command, e.State, e.Printed)
	}
	return fmt.Sprintf("%s printed no banner within %v, so it was stopped; it printed:\n%s", e.Command, e.Wait, e.Printed)
}

// Write takes what the program prints, up to maxTerminal bytes, and looks
// for its banner in all of it: a program may print more than that first.
func (p *Program) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.findBanner(b)
	if room := maxTerminal - p.terminal.Len(); len(b) > room {
		p.terminal.Write(b[:max(room, 0)])
		p.cut = true
		return len(b), nil
	}
	return p.terminal.Write(b)
}

// findBanner reads b for the first " * Running on" line, a line at a time.
func (p *Program) findBanner(b []byte) {
	for p.banner == "" && len(b) > 0 {
		end := bytes.IndexByte(b, '\n')
		if end < 0 {
			p.line = append(p.line, b[:min(len(b), maxLine-len(p.line))]...)
			return
		}
		p.line = append(p.line, b[:min(end, maxLine-len(p.line))]...)
		b = b[end+1:]
		if url, ok := bannerURL(string(p.line)); ok {
			p.banner = url
		}
		p.line = p.line[:0]
	}
}

// bannerURL returns the address the banner named, or "" before it shows.
func (p *Program) bannerURL() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.banner
}

// wait waits for the program to end. With the guard on, an end by a signal
// that this package did not send is noted: another program sent it.
func (p *Program) wait() {
	p.cmd.Wait()
	p.mu.Lock()
	stopped := p.stopping
	p.mu.Unlock()
	if state := p.cmd.ProcessState; guarded() && !stopped && state != nil && !state.Exited() {
		noteInterference("its program was ended by a signal the grader did not send (%s)", state)
	}
	close(p.done)
}

// stop notes that this package is about to stop the program.
func (p *Program) stop() {
	p.mu.Lock()
	p.stopping = true
	p.mu.Unlock()
}

// Terminal returns what the program printed so far.
func (p *Program) Terminal() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.terminal.String()
}

// Flooded tells whether the program printed more than Program keeps (4 MB).
func (p *Program) Flooded() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cut
}

// Mark returns how much the program printed so far, for WaitFor.
func (p *Program) Mark() int { return len(p.Terminal()) }

// WaitFor waits until one of texts shows in the terminal after mark, and
// returns where it starts, or -1 after 90 seconds. The time limit only
// guards against a test that hangs: a rebuild takes a second or two.
func (p *Program) WaitFor(mark int, texts ...string) int {
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		text := p.Terminal()
		for _, want := range texts {
			if i := strings.Index(text[mark:], want); i >= 0 {
				return mark + i
			}
		}
	}
	return -1
}

// Pid is the process id of the program Start started.
func (p *Program) Pid() int { return p.cmd.Process.Pid }

// Exited waits up to within for the program to end, and tells whether it did.
func (p *Program) Exited(within time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(within):
		return false
	}
}

// ended reports whether the program has ended, without waiting.
func (p *Program) ended() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ExitError is how the program ended, once Exited says it did: nil for
// exit status 0.
func (p *Program) ExitError() error {
	<-p.done
	if p.cmd.ProcessState.Success() {
		return nil
	}
	return errors.New(p.cmd.ProcessState.String())
}

// Interrupt does what Ctrl+C in its terminal does: it sends an interrupt to
// the program's process group. Windows has no such signal for a test to
// send, so there the program is killed.
func (p *Program) Interrupt() { p.stop(); interrupt(p.cmd) }

// Kill kills the program Start started, as kill -9 does, and nothing else.
func (p *Program) Kill() { p.stop(); p.cmd.Process.Kill() }

// KillAll kills the program and the programs it started at once, as kill -9
// of its process group does: for a program that stopped answering, which
// would not end soon after Ctrl+C.
func (p *Program) KillAll() {
	if p.ended() {
		return
	}
	p.stop()
	killGroup(p.cmd)
	<-p.done
}

// Stop ends the program as Ctrl+C does, and kills its process group when it
// does not end within 10 seconds.
func (p *Program) Stop() {
	if p.ended() {
		return
	}
	p.Interrupt()
	if !p.Exited(10 * time.Second) {
		killGroup(p.cmd)
		<-p.done
	}
}
