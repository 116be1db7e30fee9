package sessions

import (
	"fmt"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
)

// panicked replaces the response of a handler that panicked with a 500 page,
// which shows the panic's message, origin and stack when Config.Debug is on.
func (m *Manager) panicked(held *heldResponse, p any) {
	origin := panicOrigin()
	m.config.Logger.Error("sessions: the handler panicked; the session was not saved", "panic", fmt.Sprint(p), "at", origin)
	if m.config.Debug {
		held.fail(fmt.Sprintf("panic: %v\nat %s\n\nThe session was not saved, so your browser keeps the one it had. "+
			"This page shows the details because Config.Debug is on.\n\n%s", p, origin, debug.Stack()))
	} else {
		held.fail("The server hit an error and could not finish this request. Your session was not changed.")
	}
	held.send()
}

// panicOrigin names the file and line a panic came from, such as
// "main.go:27 (main.index)": the first frame below the runtime's own.
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
