package devserver

import (
	"bufio"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// childEnv is the environment variable that marks a child. It holds a token
// that the front also writes to the child's standard input, with the address
// to listen on: a variable inherited from elsewhere, without the front's
// line, makes no child (see readHandshake).
const childEnv = "DEVSERVER_CHILD"

// stopLine is what the front writes to a child's standard input to ask it
// to stop. Its standard input may also end without it: then the front has
// ended without a word, killed, and the child cleans up after it.
const stopLine = "stop\n"

// child is one run of the program, started by the front.
type child struct {
	cmd      *exec.Cmd
	binary   string
	stdin    io.WriteCloser // the front's line to the program: the handshake, then stopLine
	proxy    *httputil.ReverseProxy
	exited   chan struct{} // closed when the process has ended
	err      error         // how it ended, once exited is closed
	stopped  bool          // the front asked it to stop (guarded by programs.mu)
	stopOnce sync.Once
	gone     chan struct{} // closed once it has stopped and its build is removed
}

// programs are the children the front started, running or stopping.
type programs struct {
	terminal  *os.File      // where the programs print, as the front does
	lastLines tail          // the terminal's end, which copyTerminal keeps
	stopLimit time.Duration // how long a program may take to stop when asked: 10 seconds, or less in tests

	mu      sync.Mutex      // it guards the fields below, and each child's stopped
	running map[*child]bool // the programs that run, current and stopping
	closing bool            // the front is stopping: no program starts any more
}

// stopping tells whether the front is stopping.
func (p *programs) stopping() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closing
}

// stopAll marks the front as stopping, so that no program starts any more,
// and asks every program that runs to stop. The function it returns waits
// until they have.
func (p *programs) stopAll() (wait func()) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.closing = true
	var stopping sync.WaitGroup
	for c := range p.running {
		stopping.Go(func() { p.stop(c) })
	}
	return stopping.Wait
}

// start runs binary as a child on a free port of this computer and waits
// until it answers or ends. It returns the child, or the page to show when
// there is none.
func (p *programs) start(binary string) (*child, string) {
	fmt.Fprintln(p.terminal, " * Restarting with a file watch")
	addr, err := freeAddress()
	if err != nil {
		removeBuild(binary)
		return nil, err.Error()
	}
	token := rand.Text()
	c := &child{binary: binary, exited: make(chan struct{}), gone: make(chan struct{})}
	c.cmd = exec.Command(binary, os.Args[1:]...)
	c.cmd.Env = append(os.Environ(), childEnv+"="+token)
	c.cmd.Stdout, c.cmd.Stderr = p.terminal, p.terminal
	// The child also stops when its standard input ends without stopLine:
	// when the front is killed, the system closes it.
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		removeBuild(binary)
		return nil, err.Error()
	}
	p.mu.Lock()
	if p.closing {
		p.mu.Unlock()
		removeBuild(binary)
		return nil, "The server is stopping."
	}
	err = c.cmd.Start()
	if err == nil {
		p.running[c] = true
	}
	p.mu.Unlock()
	if err != nil {
		removeBuild(binary)
		return nil, fmt.Sprintf("The program could not be started: %v", err)
	}
	go p.wait(c)
	buildDir := ""
	if isBuild(binary) {
		buildDir = filepath.Dir(binary)
	}
	fmt.Fprintf(c.stdin, "%s\t%s\t%s\n", token, addr, buildDir)
	c.proxy = newProxy(addr, p.failed(c))
	// Only a connection is tried, not a request: a request would run the
	// program's own code, which may print.
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); {
		if conn, err := net.Dial("tcp", addr); err == nil {
			conn.Close()
			return c, ""
		}
		select {
		case <-c.exited:
			return c, "" // its proxy's ErrorHandler says that it stopped
		case <-time.After(2 * time.Millisecond):
		}
	}
	p.stop(c)
	return nil, "The program started but did not listen for requests within 30 seconds, so it was stopped. Save a file to try again."
}

// freeAddress finds a port of this computer that nothing listens on.
func freeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}

// wait waits for c to end and says so in the terminal when it ended by
// itself, not asked by the front.
func (p *programs) wait(c *child) {
	err := c.cmd.Wait()
	p.mu.Lock()
	c.err = err
	delete(p.running, c)
	byItself := !c.stopped && !p.closing
	p.mu.Unlock()
	if byItself {
		fmt.Fprintf(p.terminal, " * The program stopped by itself (%v); it starts again when you save a file\n", err)
		removeBuild(c.binary) // the next save builds it again
	}
	close(c.exited) // after the line: crashPage waits for it
}

// stop asks c to finish its requests and end, makes sure it does, and
// removes its build. It returns when all that is done, also when it is
// called again, or from another goroutine.
func (p *programs) stop(c *child) {
	c.stopOnce.Do(func() {
		go func() {
			defer close(c.gone)
			p.mu.Lock()
			c.stopped = true
			p.mu.Unlock()
			io.WriteString(c.stdin, stopLine)
			c.stdin.Close()
			select {
			case <-c.exited:
			case <-time.After(p.stopLimit):
				c.cmd.Process.Kill()
				<-c.exited
				fmt.Fprintf(p.terminal, " * The program did not stop within %s of being asked, so it was killed\n", seconds(p.stopLimit))
			}
			removeBuild(c.binary)
		}()
	})
	<-c.gone
}

// failed answers a request that c did not answer: it stopped by itself, the
// front was stopping it for a new build, or it is too busy.
func (p *programs) failed(c *child) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		select {
		case <-c.exited:
		case <-time.After(time.Second):
			notAnsweredPage(err).serve(w, r)
			return
		}
		p.mu.Lock()
		stopped := c.stopped
		p.mu.Unlock()
		if stopped {
			restartingPage.serve(w, r)
			return
		}
		p.crashPage(c).serve(w, r)
	}
}

// crashPage says that c ended by itself, with the end of the terminal. Call
// it once c.exited is closed. What the program printed last may still be in
// the pipe; the line wait writes after it ended comes through behind it, so
// once that line shows, the program's own lines have come too.
func (p *programs) crashPage(c *child) errorPage {
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(p.lastLines.String(), " * The program stopped by itself") {
			break
		}
	}
	return crashedPage(c.err, p.lastLines.String())
}

// startedByFront tells whether the front started this program as its
// child, and returns the front's handshake and the rest of standard input.
// A program with childEnv set that the front did not start says so in the
// terminal, and runs as usual.
func startedByFront() (handshake, *bufio.Reader, bool) {
	token := os.Getenv(childEnv)
	if token == "" {
		return handshake{}, nil, false
	}
	stdin := bufio.NewReader(os.Stdin)
	h, err := handshake{}, errors.New("its input is a terminal")
	if !inputIsTerminal() {
		h, err = readHandshake(stdin, token)
	}
	if err == nil {
		return h, stdin, true
	}
	fmt.Fprintf(os.Stderr, " * %s is set, but the development server did not start this program (%v), so it runs as usual\n", childEnv, err)
	return handshake{}, nil, false
}

// handshake is what the front tells a child on the first line of its
// standard input.
type handshake struct {
	addr     string // where to listen: a port of this computer
	buildDir string // the folder of the child's build, to remove if the front ends without stopping it; "" for none
}

// readHandshake reads the front's first line from stdin: the token of
// childEnv, the address and the build folder. Only the front that set the
// variable knows the token, and an empty input has no line, so a variable
// inherited from elsewhere does not make a child; nor does it open debug
// mode to other computers, since the address must be this computer's. It
// waits 5 seconds at most for the line (see also inputIsTerminal).
func readHandshake(stdin *bufio.Reader, token string) (handshake, error) {
	lines := make(chan string, 1)
	go func() {
		line, _ := stdin.ReadString('\n')
		lines <- line
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(5 * time.Second):
		return handshake{}, errors.New("no line came on its input")
	}
	fields := strings.Split(strings.TrimSuffix(line, "\n"), "\t")
	if len(fields) != 3 || fields[0] != token {
		return handshake{}, errors.New("its input does not hold the token of " + childEnv)
	}
	h := handshake{addr: fields[1], buildDir: fields[2]}
	host, _, err := net.SplitHostPort(h.addr)
	if ip := net.ParseIP(host); err != nil || ip == nil || !ip.IsLoopback() {
		return handshake{}, fmt.Errorf("the address %q is not one of this computer's", h.addr)
	}
	return h, nil
}

// inputIsTerminal tells whether this program's standard input is a
// terminal (or the null device), where the front's line cannot come from: a
// program started in a terminal with childEnv set need not wait for it.
func inputIsTerminal() bool {
	info, err := os.Stdin.Stat()
	return err == nil && info.Mode()&os.ModeCharDevice != 0
}

// serveChild serves app as the front's child, until the front asks it to
// stop, or ends. It finishes the requests under way first.
func serveChild(app http.Handler, h handshake, stdin *bufio.Reader) error {
	// Ctrl+C, and a closed terminal, reach every program in it; the front
	// decides. Once the front has ended, nothing reads what this program
	// prints: a line printed then must not end it before it has cleaned up.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt, syscall.SIGHUP, syscall.SIGPIPE)
	listener, err := net.Listen("tcp", h.addr)
	if err != nil {
		return err
	}
	server := newServer(app)
	stop := make(chan struct{})
	var line string
	go func() {
		line, _ = stdin.ReadString('\n') // stopLine, or the end when the front ended
		close(stop)
	}()
	return serveUntilStopped(server, listener, stop, func() {
		finishRequests(server, 5*time.Second)
		if line != stopLine && h.buildDir != "" {
			os.RemoveAll(h.buildDir) // the front cannot any more
		}
	})
}
