package devserver

import (
	"fmt"
	"log"
	"net/http"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// recoverPanics is Werkzeug's debugger, without its console: a view that
// panics gets a 500 page instead of a dropped connection, and the terminal
// gets one line that names the panic and the line it came from. In debug mode
// the page shows the same and the stack; otherwise it only says that the
// request failed, since the details show how the code works.
//
// The session layer saves nothing for a view that panics, so the browser
// keeps the session it had.
func recoverPanics(next http.Handler, debugMode bool) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p := recover()
			if p == nil {
				return
			}
			if p == http.ErrAbortHandler {
				panic(p) // net/http's own way to drop a connection
			}
			origin := panicOrigin()
			log.Printf("panic: %v, at %s", p, origin)
			if !debugMode {
				errorPage(w, http.StatusInternalServerError, "The server hit an error and could not finish this request. Your session was not changed.")
				return
			}
			errorPage(w, http.StatusInternalServerError, fmt.Sprintf("panic: %v\nat %s\n\n"+
				"The session was not saved, so your browser keeps the one it had. This page shows the details "+
				"because no SECRET_KEY is set; with one set, it says only that the server hit an error.\n\n%s",
				p, origin, debug.Stack()))
		}()
		next.ServeHTTP(w, r)
	})
}

// panicOrigin names the file and line a panic came from, such as
// "main.go:27 (main.index)": the first frame below the runtime's own. It
// works while the panic is being recovered, when the panicking function is
// still on the stack.
func panicOrigin() string {
	pcs := make([]uintptr, 64)
	frames := runtime.CallersFrames(pcs[:runtime.Callers(1, pcs)])
	inPanic := false
	for {
		f, more := frames.Next()
		if f.Function == "runtime.gopanic" {
			inPanic = true
		} else if inPanic && !strings.HasPrefix(f.Function, "runtime.") {
			return fmt.Sprintf("%s:%d (%s)", filepath.Base(f.File), f.Line, f.Function)
		}
		if !more {
			return "an unknown place"
		}
	}
}
