package devserver

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"os/signal"
	"strings"
	"sync"
	"time"
)

// child is one run of the program, started by the front.
type child struct {
	cmd     *exec.Cmd
	binary  string
	stdin   io.WriteCloser // closing it tells the program to stop
	proxy   *httputil.ReverseProxy
	exited  chan struct{} // closed when the process has ended
	err     error         // how it ended, once exited is closed
	stopped bool          // the front stopped it (guarded by front.mu)
}

// start runs binary as a child on a free port of this computer and waits
// until it answers or ends. It returns the child, or the page to show when
// there is none.
func (f *front) start(binary string) (*child, string) {
	fmt.Fprintln(f.terminal, " * Restarting with a file watch")
	addr, err := freeAddress()
	if err != nil {
		return nil, err.Error()
	}
	c := &child{binary: binary, exited: make(chan struct{})}
	c.cmd = exec.Command(binary, os.Args[1:]...)
	c.cmd.Env = append(os.Environ(), childEnv+"="+addr)
	c.cmd.Stdout, c.cmd.Stderr = f.terminal, f.terminal
	// The child stops when its standard input ends: when the front closes
	// it, and also when the front is killed, since the system then closes it.
	if c.stdin, err = c.cmd.StdinPipe(); err != nil {
		return nil, err.Error()
	}
	if err := c.cmd.Start(); err != nil {
		return nil, fmt.Sprintf("The program could not be started: %v", err)
	}
	go f.wait(c)
	target := &url.URL{Scheme: "http", Host: addr}
	c.proxy = &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host // the browser's, which cross-origin protection compares with Origin
		},
		// A new connection per request, so that none is left to a program
		// that is stopping.
		Transport:    &http.Transport{DisableKeepAlives: true},
		ErrorHandler: f.failed(c),
	}
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
		case <-time.After(10 * time.Millisecond):
		}
	}
	f.stop(c)
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
// itself.
func (f *front) wait(c *child) {
	err := c.cmd.Wait()
	f.mu.Lock()
	c.err = err
	close(c.exited)
	byItself := !c.stopped && !f.closing
	f.mu.Unlock()
	if byItself {
		fmt.Fprintf(f.terminal, " * The program stopped by itself (%v); it starts again when you save a file\n", err)
	}
}

// stop asks c to finish its requests and end, and makes sure it does.
func (f *front) stop(c *child) {
	f.mu.Lock()
	c.stopped = true
	f.mu.Unlock()
	c.stdin.Close()
	select {
	case <-c.exited:
	case <-time.After(10 * time.Second):
		c.cmd.Process.Kill()
		<-c.exited
	}
	if self, _ := os.Executable(); c.binary != self {
		os.Remove(c.binary)
	}
}

// failed answers a request that c did not answer: it stopped by itself, the
// front was stopping it for a new build, or it is too busy.
func (f *front) failed(c *child) func(http.ResponseWriter, *http.Request, error) {
	return func(w http.ResponseWriter, r *http.Request, err error) {
		select {
		case <-c.exited:
		case <-time.After(time.Second):
			errorPage(w, http.StatusBadGateway, fmt.Sprintf("The program did not answer (%v). Reload the page to try again.", err))
			return
		}
		f.mu.Lock()
		stopped := c.stopped
		f.mu.Unlock()
		if stopped {
			errorPage(w, http.StatusServiceUnavailable, "The program was being restarted when this request came. Reload the page.")
			return
		}
		errorPage(w, http.StatusInternalServerError, f.crashPage(c))
	}
}

// crashPage says that c ended by itself, with the end of the terminal. Call
// it once c.exited is closed. What the program printed last may still be in
// the pipe; the line wait writes after it ended comes through behind it, so
// once that line shows, the program's own lines have come too.
func (f *front) crashPage(c *child) string {
	for deadline := time.Now().Add(time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(f.lastLines.String(), " * The program stopped by itself") {
			break
		}
	}
	return fmt.Sprintf("The program stopped by itself (%v), so nothing is answering. The end of the terminal:\n\n%s\n"+
		"Fix the problem and save a file: the server starts the program again.", c.err, f.lastLines.String())
}

// serveChild serves app on addr as the front's child, until the front closes
// this program's standard input.
func serveChild(app http.Handler, addr string) error {
	// Ctrl+C reaches every program in the terminal; the front decides.
	signal.Notify(make(chan os.Signal, 1), os.Interrupt)
	listener, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	server := newServer(app)
	go server.Serve(listener)
	io.Copy(io.Discard, os.Stdin) // returns when the front closes it or ends
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	server.Shutdown(ctx)
	os.Exit(0)
	return nil
}

// tail keeps the last 20 lines written to it, and at most 4 KB.
type tail struct {
	mu   sync.Mutex
	text []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.text = append(t.text, p...)
	for bytes.Count(t.text, []byte("\n")) > 20 {
		t.text = t.text[bytes.IndexByte(t.text, '\n')+1:]
	}
	if len(t.text) > 4096 {
		t.text = t.text[len(t.text)-4096:]
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return string(t.text)
}
