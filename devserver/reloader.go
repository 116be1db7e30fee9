package devserver

// The reloader is Werkzeug's "restarting with stat", for a program that must
// be compiled before it runs. In debug mode the process that `go run` started
// keeps the port and becomes the front: it runs the program a second time, as
// a child process on a port of its own, and passes every request on to it.
// When a .go file of the program changes, the front builds the program again,
// starts the new build, sends the next requests to it and stops the old one.
// The port stays open all along, so a reload during a build waits for the new
// page instead of failing. Werkzeug hands its socket down to the new process
// instead; the front passes requests on because Windows lets no child
// inherit a listening socket. The child process, from start to stop, is in
// child.go; the build and its compile-error page in build.go.

import (
	"crypto/sha256"
	"fmt"
	"io"
	"maps"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// childEnv is the environment variable that marks a child: it holds the
// address the child listens on.
const childEnv = "DEVSERVER_CHILD_ADDR"

// front is the process that holds the port while the program is rebuilt.
type front struct {
	mainFile string           // the program's main.go
	buildDir string           // where builds go: one folder per program, emptied at start-up
	builds   int              // how many builds were made, to name the next one
	files    []string         // the program's Go files
	seen     map[string]stamp // their state at the last build

	// terminal is a pipe to this process's standard error. The children
	// print into it, and the front writes its own lines there too, so that
	// all of them reach the terminal in the order they were written: what
	// index prints comes before the line of its request. lastLines keeps its
	// end, for the page that says the program stopped.
	terminal  *os.File
	lastLines tail

	mu      sync.Mutex
	ready   chan struct{} // closed when current or problem can answer; open while a build runs
	current *child        // the program that answers requests, if any
	problem string        // the page every request gets when there is none, such as a compile error
	closing bool          // Ctrl+C was pressed
}

// newFront prepares the front of the program in mainFile: its folder for
// builds, its pipe to the terminal, and the state of the program's files.
func newFront(mainFile string) (*front, error) {
	f := &front{mainFile: mainFile, ready: make(chan struct{})}
	// A fixed folder per program, emptied here, keeps builds from piling up
	// when the front is killed before it can remove them.
	f.buildDir = filepath.Join(os.TempDir(), fmt.Sprintf("devserver-%x", sha256.Sum256([]byte(mainFile)))[:len("devserver-")+12])
	os.RemoveAll(f.buildDir)
	if err := os.MkdirAll(f.buildDir, 0o700); err != nil {
		return nil, err
	}
	reader, writer, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	f.terminal = writer
	go io.Copy(io.MultiWriter(os.Stderr, &f.lastLines), reader)
	f.files = watchedFiles(mainFile)
	f.seen = stamps(f.files)
	return f, nil
}

// serve starts the program and the file watch, and answers on listener.
func (f *front) serve(listener net.Listener) error {
	go f.stopOnCtrlC()
	go f.watch()
	return newServer(answerProbe(logRequests(serverHeader(f), f.terminal), f.terminal)).Serve(listener)
}

// ServeHTTP passes a request on to the program, once it is ready.
func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	ready := f.ready
	f.mu.Unlock()
	select {
	case <-ready:
	case <-r.Context().Done():
		return // the browser gave up waiting
	}
	f.mu.Lock()
	c, problem := f.current, f.problem
	f.mu.Unlock()
	if c == nil {
		errorPage(w, http.StatusInternalServerError, problem)
		return
	}
	c.proxy.ServeHTTP(w, r) // when c has stopped, its proxy's ErrorHandler says so
}

// watch starts the program, then checks its files every 50 ms and rebuilds it
// when one changes.
func (f *front) watch() {
	self, err := os.Executable() // the program `go run` built: the first child needs no build
	if err != nil {
		f.switchTo(nil, err.Error())
	} else {
		f.switchTo(f.start(self))
	}
	for {
		time.Sleep(50 * time.Millisecond)
		now := stamps(f.files)
		for _, file := range f.files {
			if now[file] != f.seen[file] {
				f.reload(file, now)
				break
			}
		}
		f.seen = now // taken before the build: a save made during the build is a change next time
	}
}

// reload builds the program from the files as they were at seen, and
// switches to the new build. Requests that arrive meanwhile wait for it.
func (f *front) reload(changed string, seen map[string]stamp) {
	f.mu.Lock()
	select {
	case <-f.ready:
		f.ready = make(chan struct{})
	default: // still closed to requests since the last try
	}
	f.mu.Unlock()
	name, _ := filepath.Rel(filepath.Dir(f.mainFile), changed)
	fmt.Fprintf(f.terminal, " * Detected change in '%s', reloading\n", filepath.ToSlash(name))
	binary, messages := f.build()
	switch {
	case messages != "" && !maps.Equal(stamps(f.files), seen):
		// Saved again while it was building: an editor that writes the file
		// in place can be caught half-way. The watch builds the new save
		// next, and the requests wait for that, not for this error.
	case messages != "":
		fmt.Fprintf(f.terminal, "%s\n * The program does not compile; waiting for the next save\n", messages)
		f.switchTo(nil, compileErrorPage(messages, filepath.Dir(f.mainFile)))
	default:
		f.switchTo(f.start(binary))
	}
}

// switchTo makes c answer the requests, or problem when c is nil, lets the
// waiting requests through and stops the program that answered before.
func (f *front) switchTo(c *child, problem string) {
	f.mu.Lock()
	old := f.current
	f.current, f.problem = c, problem
	close(f.ready)
	f.mu.Unlock()
	if old != nil {
		f.stop(old)
	}
}

// stopOnCtrlC stops the program and the front when Ctrl+C is pressed, so
// that nothing is left running.
func (f *front) stopOnCtrlC() {
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	<-signals
	f.mu.Lock()
	f.closing = true
	c := f.current
	f.mu.Unlock()
	if c != nil {
		f.stop(c)
	}
	os.RemoveAll(f.buildDir)
	os.Exit(0)
}

// watchedFiles lists the program's own Go files: main.go, and the files of
// the packages of its module that it imports, which go list knows.
func watchedFiles(mainFile string) []string {
	files := []string{mainFile}
	args := append([]string{"list", "-deps", "-f",
		`{{if and .Module .Module.Main}}{{range .GoFiles}}{{$.Dir}}{{"\t"}}{{.}}{{"\n"}}{{end}}{{end}}`}, buildFlags()...)
	cmd := exec.Command("go", append(args, filepath.Base(mainFile))...)
	cmd.Dir = filepath.Dir(mainFile)
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, " * Watching only %s: go list failed (%v)\n", filepath.Base(mainFile), err)
		return files
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if dir, name, ok := strings.Cut(line, "\t"); ok {
			files = append(files, filepath.Join(dir, name))
		}
	}
	return files
}

// stamp is what the watch compares: a file's modification time and size.
type stamp struct {
	modTime int64
	size    int64
}

// stamps returns the stamp of each file; a missing file has the zero stamp.
func stamps(files []string) map[string]stamp {
	now := make(map[string]stamp, len(files))
	for _, file := range files {
		if info, err := os.Stat(file); err == nil {
			now[file] = stamp{info.ModTime().UnixNano(), info.Size()}
		}
	}
	return now
}
