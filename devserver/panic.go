package devserver

import (
	"fmt"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// recoverPanics is Werkzeug's debugger, without its console: a view that
// panics gets a 500 page instead of a dropped connection, and the terminal
// gets one line that names the panic and the line it came from, under
// Flask's error line when debug mode is off (see logViewError). In debug mode
// the page shows the same, the lines of code around that line, as the
// compile-error page does, and at its end the stack; otherwise it only says
// that the request failed, since the details show how the code works.
//
// Werkzeug's page folds the stack away until it is clicked. This page has
// no script, so the stack comes last, under a line that says it can be
// skipped (see panicPage, in pages.go, with the other pages).
//
// The session layer saves nothing for a view that panics, so the browser
// keeps the session it had. A view that panics after its page began (it
// flushed, or streamed more than 1 MB) cannot get the page any more: the
// connection is dropped, so the browser shows the page cut short.
func recoverPanics(next http.Handler, debugMode bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		page := &pageStart{ResponseWriter: w}
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // net/http's own way to drop a connection
			}
			origin := panicOrigin()
			logViewError(r, fmt.Sprintf("panic: %v, at %s", p, origin), debugMode)
			if page.began {
				panic(http.ErrAbortHandler)
			}
			if !debugMode {
				textPage(http.StatusInternalServerError, "The server hit an error",
					"The server hit an error and could not finish this request. Your session was not changed.").serve(w, r)
				return
			}
			panicPage(p, origin, debug.Stack()).serve(w, r)
		}()
		next.ServeHTTP(page, r)
	})
}

// pageStart notes whether the response began: its status line went out.
type pageStart struct {
	http.ResponseWriter
	began bool
}

func (p *pageStart) WriteHeader(code int) {
	p.began = p.began || code >= 200
	p.ResponseWriter.WriteHeader(code)
}

func (p *pageStart) Write(b []byte) (int, error) {
	p.began = true
	return p.ResponseWriter.Write(b)
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (p *pageStart) Unwrap() http.ResponseWriter { return p.ResponseWriter }

// frame is a place in the program: a file, a line and the function there.
type frame struct {
	file     string // the file's full path, as the program was built
	line     int
	function string
}

// String names the place as a learner looks for it: "main.go:27 (main.index)".
func (f frame) String() string {
	if f.file == "" {
		return "an unknown place"
	}
	return fmt.Sprintf("%s:%d (%s)", filepath.Base(f.file), f.line, f.function)
}

// panicOrigin returns the place a panic came from: the first frame below the
// runtime's own, so that an index out of range or a write to a nil map names
// the line of main.go, not the runtime function that noticed. It works while
// the panic is being recovered, when the panicking function is still on the
// stack.
func panicOrigin() frame {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		if f.Function == "runtime.gopanic" {
			inPanic = true
		} else if inPanic && !strings.HasPrefix(f.Function, "runtime.") {
			return frame{f.File, f.Line, f.Function}
		}
		if !more {
			return frame{}
		}
	}
}
