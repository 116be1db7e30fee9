package devserver

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"time"
	"unicode"

	"example.com/sessions"
	"example.com/sessions/internal/gobuild"
)

// Config holds what main.py sets on app before app.run().
type Config struct {
	// Debug is app.config['DEBUG']. It shows error details in the browser,
	// signs cookies with a development key when SecretKey is empty, restarts
	// the program when one of its .go files changes, and listens only on this
	// computer.
	Debug bool

	// SecretKey is app.secret_key: it signs the session cookie. Run refuses
	// one shorter than 16 characters, or made only of spaces.
	SecretKey string
}

// developmentKey signs cookies in debug mode when no SECRET_KEY is set. It is
// printed right here, so anyone can sign cookies with it: that is why debug
// mode refuses to listen where other computers could reach it.
const developmentKey = "development key: published in devserver.go, so anyone can sign cookies with it"

// Run is app.run(): it serves routes until the program is stopped, with the
// session layer, the stylesheet, cross-origin protection and Flask's limits
// around them. The address comes from the -addr flag (127.0.0.1:5000, as
// Flask). Run does not return: when the server cannot start, it says why and
// ends the program.
func Run(routes http.Handler, cfg Config) {
	addr := addressFromCommandLine()
	_, mainFile, _, _ := runtime.Caller(1) // the file that called Run: the program's main.go
	if err := run(routes, cfg, addr, mainFile); err != nil {
		fmt.Fprintln(os.Stderr, err) // a sentence for the learner, without the log's date
		os.Exit(1)
	}
}

// addressFromCommandLine reads the address to listen on from the -addr
// flag. It is the twin of `flask run --host 127.0.0.1 --port 5000`, with one
// flag for both. Werkzeug's run_simple takes the address as arguments. Run
// keeps app.run()'s short call, so main.go stays as the lesson shows it. A
// flag, because the tests and the grader start each program on 127.0.0.1:0,
// a free port, and read the port from its banner. Without the flag, the
// address is 127.0.0.1:5000, as in Flask.
func addressFromCommandLine() string {
	addr := flag.String("addr", "127.0.0.1:5000", "`host:port` to listen on; port 0 picks a free port")
	flag.Parse()
	return *addr
}

// run does Run's work and returns what stopped it.
func run(routes http.Handler, cfg Config, addr, mainFile string) error {
	if err := checkSecretKey(cfg.SecretKey); err != nil {
		return err
	}
	if cfg.Debug && cfg.SecretKey == "" {
		cfg.SecretKey = developmentKey
	}
	manager, err := sessions.New(sessions.Config{SecretKey: cfg.SecretKey}) // sessions.ErrNoSecretKey without one
	if err != nil {
		return err
	}
	app := newHandler(routes, manager, appContext{root: rootPath(mainFile), debug: cfg.Debug})
	if h, stdin, ok := startedByFront(); ok {
		return serveChild(app, h, stdin) // started by the reloader, which does the rest
	}
	if cfg.Debug {
		if err := checkLoopback(addr); err != nil {
			return err
		}
	}
	listener, err := listen(addr, serving(mainFile))
	if err != nil {
		return err
	}
	if _, err := os.Stat(mainFile); cfg.Debug && err == nil {
		f, err := newFront(mainFile) // notes the state of the files first: a save after the banner is a change
		if err != nil {
			return err
		}
		_, port, _ := net.SplitHostPort(listener.Addr().String())
		os.Setenv(browserPortEnv, port) // for the children's Host check (see browserPort)
		fmt.Print(banner(mainFile, cfg.Debug, listener.Addr().String()))
		return f.serve(listener)
	}
	fmt.Print(banner(mainFile, cfg.Debug, listener.Addr().String()))
	if cfg.Debug {
		fmt.Println(" * Not restarting on changes: the source of this program is not at " + mainFile)
	}
	server := browserServer(app, os.Stderr)
	return serveUntilStopped(server, listener, stopAsked(nil), func() { finishRequests(server, 10*time.Second) })
}

// serveUntilStopped serves on listener until stop is closed, then calls
// shutdown, which lets the requests under way finish, and ends the program.
// Werkzeug's server stops at once; a request cut short could leave a
// browser with half a page.
func serveUntilStopped(server *http.Server, listener net.Listener, stop <-chan struct{}, shutdown func()) error {
	go func() {
		<-stop
		shutdown()
		os.Exit(0)
	}()
	err := server.Serve(listener)
	if errors.Is(err, http.ErrServerClosed) {
		select {} // the goroutine above ends the program
	}
	return err
}

// stopAsked returns a channel that is closed when Ctrl+C is pressed, the
// terminal is closed, or the system asks the program to stop (as a host does
// before it starts a new version); or when also is closed, if it is not nil.
func stopAsked(also <-chan struct{}) <-chan struct{} {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	stop := make(chan struct{})
	go func() {
		select {
		case <-signals:
		case <-also:
		}
		close(stop)
	}()
	return stop
}

// finishRequests stops server from taking requests, and waits for the ones
// under way to finish, for limit at most.
func finishRequests(server *http.Server, limit time.Duration) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	server.Shutdown(ctx)
}

// browserServer returns the server that faces the browser, with newServer's
// limits, and around h what every answer gets: the Server header, a request
// line written to out, and the answer to a second Run's question.
func browserServer(h http.Handler, out io.Writer) *http.Server {
	return newServer(answerProbe(logRequests(serverHeader(h), out), out))
}

// newServer returns the HTTP server for h, with limits that keep one client
// from holding more than its share.
func newServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		// An idle keep-alive connection holds a file descriptor until it
		// closes; with the default of 2 minutes, 20,000 idle connections used
		// them all. A browser opens a new connection in a millisecond on this
		// computer, so closing idle ones after 5 seconds (Apache's
		// KeepAliveTimeout) costs it nothing.
		IdleTimeout: 5 * time.Second,
		// A full 4 KB session cookie and a browser's usual headers fit in
		// 8 KB with room to spare, where the default, 1 MB, let 400
		// half-sent requests take 1 GB of memory. net/http reads 4 KB more
		// before it refuses, so a request's line and headers may take
		// 12,288 bytes, as docs/deploying.md says (TestHeaderLimitAsStated).
		MaxHeaderBytes: 8 << 10,
	}
}

// rootPath is the folder the program reads its page and style.css from,
// Flask's app.root_path: the folder of main.go, wherever the program was
// started from. A program whose source is not where it was built (copied to
// another computer, say) reads them from the folder it runs in.
func rootPath(mainFile string) string {
	if _, err := os.Stat(mainFile); err == nil {
		return filepath.Dir(mainFile)
	}
	wd, _ := os.Getwd()
	return wd
}

// checkLoopback refuses, in debug mode, an address that other computers can
// reach: the debug page shows the program's code, and the development key
// that signs the cookies is published.
func checkLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %s: %v; write it as host:port, for example 127.0.0.1:5000", addr, err)
	}
	if ip := net.ParseIP(host); host == "localhost" || ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("Debug mode listens only on this computer (127.0.0.1), and -addr %s would let other computers in: "+
		"the error pages show your code, and cookies are signed with the development key, which is published. "+
		"Set SECRET_KEY to any private phrase first (the README's \"The secret key\" shows how), then run the app again", addr)
}

// serverName is the Server header of this package's responses, as Werkzeug
// sends "Server: Werkzeug/3.1". A second Run asks for it to tell whether the
// program holding its port is this lesson's server.
const serverName = "devserver (Try It! Flask Sessions in Go)"

// serverHeader names this server on every response.
func serverHeader(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Server", serverName)
		next.ServeHTTP(w, r)
	})
}

// listen takes the port, or says who holds it and what to do. program names
// the program that asks (see serving), for the terminal of a server that
// already holds the port.
func listen(addr, program string) (net.Listener, error) {
	listener, err := net.Listen("tcp", addr)
	if err == nil {
		return listener, nil
	}
	if lessonServerAt(addr, program) {
		return nil, fmt.Errorf("This lesson's server is already running at http://%s, probably in another terminal or VS Code tab. "+
			"Stop it there with Ctrl+C, then start this program here again.", addr)
	}
	return nil, fmt.Errorf("%v\nAnother program may be using that port. Stop it, or pick another port: go run main.go -addr 127.0.0.1:5001\n"+
		"(On macOS, AirPlay Receiver takes port 5000; it can be turned off in System Settings, General, AirDrop & Handoff.)", err)
}

// probeHeader marks the request a second Run sends to the program that holds
// its port. This package's servers answer it before the request line is
// written, and say in their own terminal what it was instead.
const probeHeader = "Devserver-Probe"

// lessonServerAt asks the program at addr whether it is this lesson's server,
// and tells from the answer's Server header. program goes with the question.
func lessonServerAt(addr, program string) bool {
	host, port, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if ip := net.ParseIP(host); host == "" || ip != nil && ip.IsUnspecified() {
		host = "127.0.0.1" // a server on every address answers here too
	}
	r, err := http.NewRequest(http.MethodHead, "http://"+net.JoinHostPort(host, port)+"/", nil)
	if err != nil {
		return false
	}
	r.Header.Set(probeHeader, program)
	client := http.Client{Timeout: 3 * time.Second}
	resp, err := client.Do(r)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.Header.Get("Server") == serverName
}

// answerProbe answers a second Run's question (see lessonServerAt) with this
// server's name, and writes to out one line that says what happened, instead
// of a request line that would puzzle the learner. A second Run asks this
// computer by its address; a request that names another site is not one,
// and goes on as any request: in debug mode the Host check refuses it, so a
// web site cannot write in the learner's terminal.
func answerProbe(next http.Handler, out io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		program, asked := r.Header[probeHeader]
		if !asked || !isThisComputer(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		name := strings.Map(func(c rune) rune {
			if unicode.IsPrint(c) {
				return c
			}
			return -1
		}, strings.Join(program, " "))
		if runes := []rune(name); len(runes) > 100 {
			name = string(runes[:100])
		}
		fmt.Fprintf(out, " * Another server, %s, tried to start on this port, and stopped: this one is running here\n", name)
		w.Header().Set("Server", serverName)
		w.WriteHeader(http.StatusNoContent)
	})
}

// banner is what Werkzeug prints when it starts, naming what it serves. In
// a codespace or a Gitpod workspace, a line after the address gives the one
// the learner opens there: the browser is not on the computer that runs the
// server, so http://127.0.0.1 is not this server to it.
func banner(mainFile string, debug bool, addr string) string {
	mode := "off"
	warning := ""
	if debug {
		mode = "on"
		warning = "WARNING: no SECRET_KEY is set, so cookies are signed with a published development key and errors " +
			"show their details in the browser. Set SECRET_KEY before you put this app online.\n"
	}
	open := ""
	if _, port, err := net.SplitHostPort(addr); err == nil && forwardedURL(port) != "" {
		open = " * Open " + forwardedURL(port) + " in your browser\n"
	}
	return fmt.Sprintf(" * Serving %s\n * Debug mode: %s\n%s * Running on http://%s\n%sPress CTRL+C to quit\n",
		serving(mainFile), mode, warning, addr, open)
}

// serving names the program, so that the starter, the finished app and the
// buttons page can be told apart; any other program is named by its path.
func serving(mainFile string) string {
	root, module, err := gobuild.FindModule(filepath.Dir(mainFile))
	if err == nil && module == "example.com/sessions" {
		abs, _ := filepath.Abs(mainFile) // root is absolute
		switch rel, _ := filepath.Rel(root, abs); filepath.ToSlash(rel) {
		case "main.go":
			return "the starter (main.go)"
		case "finished/main.go":
			return "the finished app (finished/main.go)"
		case "buttons/main.go":
			return "the buttons page (buttons/main.go)"
		}
	}
	return mainFile
}
