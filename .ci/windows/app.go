package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"syscall"
	"time"
)

// launch says how to start a program under Wine, as a learner would.
type launch struct {
	dir      string   // the folder it runs in
	log      string   // the file its output goes to
	env      []string // VAR=value, added to the environment
	unset    []string // VAR, taken out of it (SECRET_KEY, for debug mode)
	args     []string // the command under Wine; -addr is added
	addr     string   // 127.0.0.1:0 picks a free port
	terminal bool     // in a pseudo-terminal, so Ctrl+C can be typed into it
	banner   time.Duration
}

// app is a program started from a launch, with where it answers.
type app struct {
	cmd      *exec.Cmd
	log      string
	url      string         // from its " * Running on " line
	keyboard io.WriteCloser // its terminal's keyboard; nil outside a terminal
	done     chan struct{}  // closed once it has ended
	err      error          // what cmd.Wait said, once done
}

// start starts l's program and waits up to l.banner for its
// " * Running on " line; false if none came. The terminal is one that
// script makes: a pseudo-terminal whose keyboard is script's input, so
// Ctrl+C reaches the program the way a learner's key press does.
func (s *step) start(l launch) (*app, bool) {
	s.hold()
	a := &app{log: l.log, done: make(chan struct{})}
	args := append(append([]string{wineBin}, l.args...), "-addr", l.addr)
	if l.terminal {
		a.cmd = exec.Command("script", "-qefc", shellQuote(args), "/dev/null")
		a.keyboard, _ = a.cmd.StdinPipe()
	} else {
		a.cmd = exec.Command(args[0], args[1:]...)
	}
	logFile, err := os.Create(l.log)
	if err != nil {
		return a, false
	}
	defer logFile.Close() // the program has a copy of its own
	a.cmd.Dir, a.cmd.Env, a.cmd.Stdout, a.cmd.Stderr = l.dir, environ(os.Environ(), l.unset, l.env), logFile, logFile
	if err := a.cmd.Start(); err != nil {
		fmt.Fprintln(logFile, err)
		close(a.done)
		return a, false
	}
	s.mu.Lock()
	s.started = append(s.started, a)
	s.mu.Unlock()
	go func() { a.err = a.cmd.Wait(); close(a.done) }()
	for deadline := time.Now().Add(l.banner); time.Now().Before(deadline); {
		if a.url = runningOn(readLog(l.log)); a.url != "" {
			return a, true
		}
		select {
		case <-a.done:
			return a, false
		case <-time.After(200 * time.Millisecond):
		}
	}
	return a, false
}

// ctrlC types Ctrl+C into the app's terminal, and waits up to 10 s for it
// to end; it gives the exit status.
func (a *app) ctrlC() string {
	a.keyboard.Write([]byte{3})
	status := a.wait()
	a.keyboard.Close()
	return status
}

// wait waits up to 10 s for the app to end, and gives its exit status, or
// "still running" after killing it.
func (a *app) wait() string {
	select {
	case <-a.done:
		return exitStatus(a.err)
	case <-time.After(10 * time.Second):
		a.cmd.Process.Kill()
		<-a.done
		return "still running"
	}
}

// kill ends the app's Linux process with SIGKILL, as kill -9 does.
func (a *app) kill() {
	a.cmd.Process.Kill()
	a.wait()
}

// exitStatus is err as a shell shows it: 0, the program's code, or 128
// plus the signal that ended it.
func exitStatus(err error) string {
	var exit *exec.ExitError
	if err == nil {
		return "0"
	}
	if !errors.As(err, &exit) {
		return err.Error()
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
		return fmt.Sprint(128 + int(ws.Signal()))
	}
	return fmt.Sprint(exit.ExitCode())
}

// portFree says whether, within 5 s, nothing answers at url any more
// (connection refused).
func portFree(base string) bool {
	host := strings.TrimPrefix(base, "http://")
	for range 25 {
		c, err := net.DialTimeout("tcp", host, 2*time.Second)
		if errors.Is(err, syscall.ECONNREFUSED) {
			return true
		}
		if c != nil {
			c.Close()
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}

// busyPort starts l's program at an address where something already
// listens, and checks that it stops and says want.
func (s *step) busyPort(l launch, want *regexp.Regexp) {
	s.hold()
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	args := append(append([]string{}, l.args...), "-addr", l.addr)
	cmd := exec.CommandContext(ctx, wineBin, args...)
	cmd.Dir, cmd.Env = l.dir, environ(os.Environ(), l.unset, l.env)
	out, err := runToFile(cmd, l.log)
	status := exitStatus(err)
	if ctx.Err() != nil {
		status = "none: still running after 120 s"
	}
	if status != "0" && ctx.Err() == nil && want.Match(out) {
		s.r.ok(fmt.Sprintf("a start on the busy port %s stops (exit status %s) and says:", l.addr, status))
		fmt.Fprint(s.r.out, indent(logOf(out)))
	} else {
		s.r.fail(fmt.Sprintf("a start on the busy port %s: exit status %s; want a non-zero exit and %s",
			l.addr, status, want), logOf(out))
	}
}

// environ is base without the variables in unset, and with set added, as
// env -u VAR VAR=value makes it.
func environ(base, unset, set []string) []string {
	var env []string
	for _, v := range base {
		name, _, _ := strings.Cut(v, "=")
		drop := false
		for _, u := range unset {
			drop = drop || name == u
		}
		if !drop {
			env = append(env, v)
		}
	}
	return append(env, set...)
}

// shellQuote makes args one command line for sh -c, which script runs:
// each word in single quotes, so spaces and quotes stay as they are.
func shellQuote(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
	}
	return strings.Join(quoted, " ")
}

// runToFile runs cmd with its output going to the file at path, and gives
// that output. A file, not a pipe: a process Wine starts and keeps
// (wineserver) would hold a pipe open, and the wait would last as long.
func runToFile(cmd *exec.Cmd, path string) ([]byte, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	cmd.Stdout, cmd.Stderr = f, f
	err = cmd.Run()
	f.Close()
	out, _ := os.ReadFile(path)
	return out, err
}
