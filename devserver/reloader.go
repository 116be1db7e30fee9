package devserver

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// The front's limits on waiting requests.
const (
	// waitLimit is how long a request waits for a build or a start. Past it,
	// the request gets a page that says what is going on and reloads itself.
	// A build of the lesson takes a second or two, the first one after a Go
	// update a minute or so.
	waitLimit = 60 * time.Second
	// maxWaiting is how many requests may wait at once: each holds a
	// connection and up to 64 KB of form. A browser sends a few per page.
	maxWaiting = 256
)

// front is the process that holds the port while the program is rebuilt.
type front struct {
	mainFile string // the program's main.go

	// terminal is a pipe to this process's standard error. The children
	// print into it, and the front writes its own lines there too, so that
	// all of them reach the terminal in the order they were written: what
	// index prints comes before the line of its request. programs.lastLines
	// keeps its end, for the page that says the program stopped.
	terminal *os.File

	watch    *fileWatch // the program's files, which the front looks at (watch.go)
	builds   buildState // the builder's own (build.go)
	programs programs   // the programs it started, and whether it stops (child.go)
	cancel   context.CancelFunc
	ctx      context.Context // ends when the front stops: a build in progress stops too

	mu   sync.Mutex
	room waitRoom // what answers the requests, and those that wait (guarded by mu)
}

// waitRoom is what answers the requests: a program or a page, for a version
// of the files; and the requests that wait for a newer one. The front's mu
// guards it.
type waitRoom struct {
	served     int           // the version that program or problem answers for; -1 before the first start
	program    *child        // the program that answers requests, if any
	problem    errorPage     // the page every request gets when there is none, such as a compile error
	doing      string        // what the builder does meanwhile, for the page of a request that waited too long
	switched   chan struct{} // closed, and made anew, when served changes or the front stops
	waiting    int           // how many requests wait
	maxWaiting int           // maxWaiting, or less in tests
	waitLimit  time.Duration // waitLimit, or less in tests
}

// newFront prepares the front of the program in mainFile: its pipe to the
// terminal, and the state of the program's files.
func newFront(mainFile string) (*front, error) {
	reader, writer, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	f := makeFront(mainFile, watchedFiles(mainFile), writer)
	go copyTerminal(reader, &f.programs.lastLines)
	return f, nil
}

// makeFront returns the front of the program in mainFile, whose Go files are
// files, before it starts anything; it writes its lines to terminal.
func makeFront(mainFile string, files []string, terminal *os.File) *front {
	f := &front{
		mainFile: mainFile,
		terminal: terminal,
		programs: programs{terminal: terminal, stopLimit: 10 * time.Second, running: map[*child]bool{}},
		room: waitRoom{
			served:     -1,
			doing:      "starting",
			switched:   make(chan struct{}),
			maxWaiting: maxWaiting,
			waitLimit:  waitLimit,
		},
	}
	f.watch = newFileWatch(mainFile, files, terminal, f.servedVersion)
	f.ctx, f.cancel = context.WithCancel(context.Background())
	return f
}

// servedVersion returns the version of the files that the program, or the
// page that stands in for it, answers for.
func (f *front) servedVersion() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.room.served
}

// serve starts the program and the file watch, and answers on listener
// until the front stops, which ends this process. It stops when Ctrl+C is
// pressed, the terminal is closed, or the process that started the front
// ends: go run killed (kill -9, or the task manager), or whatever else
// started it. Then nobody is left to press Ctrl+C, and the port would stay
// taken.
func (f *front) serve(listener net.Listener) error {
	server := browserServer(onlyThisComputer(f), f.terminal)
	parentGone := parentEnded()
	stop := stopAsked(parentGone)
	go f.watch.run(f.ctx)
	go f.builder()
	return serveUntilStopped(server, listener, stop, func() {
		f.shutdown(server)
		select {
		case <-parentGone:
			if goRun, ok := startedByGoRun(); ok {
				os.RemoveAll(goRun) // what go run would have removed, had it not been killed
			}
		default:
		}
	})
}

// ServeHTTP passes a request on to the program that was built from the files
// as they were when the request arrived, once it is ready.
func (f *front) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	version := f.watch.look(time.Now())
	r, ok := readBody(w, r)
	if !ok {
		return
	}
	a := f.await(r.Context(), version)
	// Waiting is not bound by the server's timeouts, which are for a browser
	// that is slow to send or to read: net/http would otherwise drop the
	// connection WriteTimeout after the request came, and the browser would
	// get no page at all. (It lifts the read deadline itself once the body
	// is read.) The answer is given its WriteTimeout from now on, as if the
	// request had just come.
	if server, ok := r.Context().Value(http.ServerContextKey).(*http.Server); ok && server.WriteTimeout > 0 {
		http.NewResponseController(w).SetWriteDeadline(time.Now().Add(server.WriteTimeout))
	}
	switch {
	case a.status != 0:
		w.Header().Set("Retry-After", "5")
		if a.reload {
			w.Header().Set("Refresh", "5") // browsers reload with a GET: a posted form is not sent again
		}
		a.page.notPassedOn(r).serve(w, r)
	case a.program != nil:
		a.program.proxy.ServeHTTP(w, r) // when it has stopped, its proxy's ErrorHandler says so
	case r.Context().Err() == nil:
		a.page.serve(w, r)
	}
}

// answer is what await found for a request: the program to pass it on to,
// or the page to answer it with, such as a compile error (status 0: 500), or
// a page that says why it could not wait.
type answer struct {
	program *child
	page    errorPage
	status  int  // not 0: the request could not wait, and gets page with this status
	reload  bool // the page reloads itself
}

// await waits until the program answers for version of the files, at most
// f.room.waitLimit, and says what answers the request.
func (f *front) await(ctx context.Context, version int) answer {
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.room.served >= version && !f.programs.stopping() {
		return answer{program: f.room.program, page: f.room.problem}
	}
	if f.room.waiting >= f.room.maxWaiting {
		return answer{status: http.StatusServiceUnavailable, page: turnedAwayPage(f.room.maxWaiting)}
	}
	f.room.waiting++
	defer func() { f.room.waiting-- }()
	timeout := time.NewTimer(f.room.waitLimit)
	defer timeout.Stop()
	for f.room.served < version && !f.programs.stopping() {
		switched := f.room.switched
		f.mu.Unlock()
		select {
		case <-switched:
			f.mu.Lock()
		case <-ctx.Done():
			f.mu.Lock()
			return answer{} // the browser gave up waiting
		case <-timeout.C:
			f.mu.Lock()
			return answer{status: http.StatusServiceUnavailable, reload: true, page: textPage(http.StatusServiceUnavailable, "Still waiting for the program",
				fmt.Sprintf("The program is still %s after %s, so this page stopped waiting. It reloads itself in 5 seconds. "+
					"The terminal may say more.", f.room.doing, seconds(f.room.waitLimit)))}
		}
	}
	if f.programs.stopping() {
		return answer{status: http.StatusServiceUnavailable, page: textPage(http.StatusServiceUnavailable, "The server is stopping",
			"The server is stopping, so this request was not passed on to the program.")}
	}
	return answer{program: f.room.program, page: f.room.problem}
}

// builder starts the program, then builds and starts it again each time the
// files change. When they change again during a build, the build is stopped
// and the next one starts at once: the requests wait for that one, not for a
// page that is already out of date, or for the compile error of a file that
// was half written when the build read it.
func (f *front) builder() {
	if self, err := os.Executable(); err != nil { // the program `go run` built: the first child needs no build
		f.switchTo(nil, notRunningPage(err.Error()), 0)
	} else {
		c, problem := f.programs.start(self)
		f.switchTo(c, notRunningPage(problem), 0)
	}
	for range f.watch.changed {
		f.builds.mu.Lock()
		version := f.watch.latest()
		f.mu.Lock()
		f.room.doing = "being built"
		f.mu.Unlock()
		binary, messages, stopped := f.buildUnlessSaved()
		outdated := stopped || f.watch.latest() != version
		closing := f.programs.stopping()
		switch {
		case closing:
			removeBuild(binary)
			f.builds.mu.Unlock()
			return
		case outdated:
			removeBuild(binary) // f.watch.changed holds the news: the next build starts at once
		case messages != "":
			fmt.Fprintf(f.terminal, "%s\n * The program does not compile; waiting for the next save\n", messages)
			f.switchTo(nil, compileErrorPage(messages, filepath.Dir(f.mainFile)), version)
		default:
			f.mu.Lock()
			f.room.doing = "starting"
			f.mu.Unlock()
			c, problem := f.programs.start(binary)
			f.switchTo(c, notRunningPage(problem), version)
		}
		f.builds.mu.Unlock()
	}
}

// buildUnlessSaved builds the program, and stops the build when the watch or
// a request sees another save meanwhile: its program would be out of date
// before it started. It says whether it stopped the build; then the builder
// is told of the change again, to start the next build at once.
func (f *front) buildUnlessSaved() (binary, messages string, stopped bool) {
	ctx, cancel := context.WithCancel(f.ctx)
	defer cancel()
	type result struct{ binary, messages string }
	built := make(chan result, 1)
	go func() {
		binary, messages := f.builds.build(ctx, f.mainFile)
		built <- result{binary, messages}
	}()
	select {
	case b := <-built:
		return b.binary, b.messages, false
	case <-f.watch.changed:
		cancel()
		removeBuild((<-built).binary) // a build that ended just then too
		select {
		case f.watch.changed <- struct{}{}:
		default: // another look has told it already
		}
		return "", "", true
	}
}

// switchTo makes c answer the requests for version, or problem when c is
// nil, lets the waiting requests through and stops the program that answered
// before; its requests may take their time to finish.
func (f *front) switchTo(c *child, problem errorPage, version int) {
	f.mu.Lock()
	old := f.room.program
	f.room.program, f.room.problem, f.room.served, f.room.doing = c, problem, version, "being built"
	close(f.room.switched)
	f.room.switched = make(chan struct{})
	f.mu.Unlock()
	if old != nil && old != c {
		go f.programs.stop(old)
	}
}

// shutdown stops the front: new requests are turned away, the ones under way
// finish, and every program the front started is asked to stop and given
// the time to finish its own requests. A build under way stops too.
func (f *front) shutdown(server *http.Server) {
	stopped := f.programs.stopAll()
	f.mu.Lock()
	close(f.room.switched) // the waiting requests get the page that says so
	f.room.switched = make(chan struct{})
	f.mu.Unlock()
	f.cancel()
	finishRequests(server, 10*time.Second)
	stopped()
	f.builds.mu.Lock() // a build under way has stopped, and its folder is gone
}
