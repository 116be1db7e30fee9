package sessions_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strings"
	"testing"

	"example.com/sessions"
)

// TestPanics: a handler that panics gets a 500 page, not a dropped
// connection. With Config.Debug the page shows the panic, the line it came
// from and the stack, as Flask's debugger does; without, only that the server
// failed. Either way the panic is logged, the session is not saved, and the
// browser keeps its cookie.
func TestPanics(t *testing.T) {
	for _, debug := range []bool{true, false} {
		t.Run(fmt.Sprintf("Debug=%v", debug), func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{Debug: debug})
			var line int
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				session := sessions.From(r)
				if r.URL.Path == "/store" {
					session["groceries"] = []string{"Milk"}
					return
				}
				session["groceries"] = []string{"Milk", "Eggs"}
				w.Header().Set("X-Half", "done")
				fmt.Fprint(w, "<p>half a page")
				_, _, line, _ = runtime.Caller(0)
				_ = session["movies"].([]string) // the lesson's likeliest slip: no ", _"
			})
			b.get("/store")
			before := b.cookie
			r := httptest.NewRequest(http.MethodGet, "/panic", nil)
			r.AddCookie(b.cookie)
			outer := httptest.NewRecorder()
			outer.Header().Set("X-Request-Id", "42") // set by a middleware outside this one
			b.handler.ServeHTTP(outer, r)
			if got := outer.Header().Get("X-Request-Id"); got != "42" {
				t.Errorf("the 500 page lost a header set outside the middleware: X-Request-Id %q", got)
			}
			resp, body, c := b.get("/panic")
			if resp.StatusCode != http.StatusInternalServerError || c != nil || b.cookie != before {
				t.Fatalf("status %d, Set-Cookie %v; want 500 and the old cookie kept", resp.StatusCode, c != nil)
			}
			if strings.Contains(body, "half a page") || resp.Header.Get("X-Half") != "" {
				t.Errorf("the handler's half page or header was sent: %q", body)
			}
			where := fmt.Sprintf("panic_test.go:%d", line+1)
			details := []string{"interface conversion: interface {} is nil, not []string", where, "goroutine"}
			for _, want := range details {
				if strings.Contains(body, want) != debug {
					t.Errorf("the page %q: contains %q is %v, want %v", body, want, !debug, debug)
				}
			}
			if !strings.Contains(body, "500 Internal Server Error") {
				t.Errorf("the page %q does not say 500 Internal Server Error", body)
			}
			for _, want := range details[:2] {
				if !strings.Contains(logs.String(), want) {
					t.Errorf("the log %q does not mention %q", logs, want)
				}
			}
			if kept, _, _ := sessions.Peek(b.cookie.Value); !slices.Equal(kept["groceries"].([]string), []string{"Milk"}) {
				t.Errorf("after the panic the browser's session holds %v, want [Milk]", kept)
			}
		})
	}
	t.Run("ErrAbortHandler", func(t *testing.T) {
		m, _ := newManager(t, sessions.Config{})
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }))
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler passed on to net/http", p)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	})
}
