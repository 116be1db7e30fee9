package devserver

import (
	"bytes"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"

	"example.com/sessions"
)

// captureLog sends the log to a buffer until the test ends.
func captureLog(t *testing.T) *bytes.Buffer {
	var logs bytes.Buffer
	log.SetOutput(&logs)
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	return &logs
}

// slip is the lesson's likeliest mistake, a type assertion without ", _" on
// a session that holds nothing. slipLine is the line before it.
func slip(w http.ResponseWriter, r *http.Request) {
	var groceries any
	_, _, slipLine, _ = runtime.Caller(0)
	_ = groceries.([]string)
}

var slipLine int

// TestPanicPage: a view that panics gets a 500 page, with the panic, the line
// it came from and the stack while no SECRET_KEY is set, and a plain page
// otherwise; the terminal gets one line naming the panic and the line either
// way.
func TestPanicPage(t *testing.T) {
	for _, debug := range []bool{true, false} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			logs := captureLog(t)
			status, page := send(recoverPanics(http.HandlerFunc(slip), debug), httptest.NewRequest(http.MethodGet, "/", nil))
			where := fmt.Sprintf("panic_test.go:%d (example.com/sessions/devserver.slip)", slipLine+1)
			if status != http.StatusInternalServerError || !strings.HasPrefix(page, "500 Internal Server Error\n") {
				t.Errorf("status %d, page %q; want a 500 page", status, page)
			}
			details := []string{"panic: interface conversion: interface {} is nil, not []string\nat " + where,
				"because no SECRET_KEY is set", "goroutine "}
			for _, detail := range details {
				if strings.Contains(page, detail) != debug {
					t.Errorf("the page %q: contains %q is %v, want %v", page, detail, !debug, debug)
				}
			}
			if strings.Contains(page, "Config.Debug") {
				t.Errorf("the page %q speaks of Config.Debug, a name the learner never met", page)
			}
			if !debug && !strings.Contains(page, "could not finish this request") {
				t.Errorf("the plain page %q does not say that the request failed", page)
			}
			want := "panic: interface conversion: interface {} is nil, not []string, at " + where + "\n"
			if !strings.HasSuffix(logs.String(), want) || strings.Count(logs.String(), "\n") != 1 {
				t.Errorf("the terminal shows %q, want one line ending %q", logs, want)
			}
		})
	}
	t.Run("ErrAbortHandler", func(t *testing.T) {
		h := recoverPanics(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }), true)
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler passed on to net/http", p)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	})
}

// TestPanicThroughSession: with the session layer between, the panic still
// reaches this package with its origin, the session is not saved, and the
// page carries none of the view's headers.
func TestPanicThroughSession(t *testing.T) {
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	view := func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = []string{"Milk"}
		w.Header().Set("X-Half", "done")
		slip(w, r)
	}
	recovered := func() (p any) {
		defer func() { p = recover() }()
		manager.Middleware(http.HandlerFunc(view)).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
		return nil
	}()
	if recovered == nil {
		t.Fatal("sessions.Middleware recovered the panic itself; it must pass it on, so that this package's page names its line")
	}
	captureLog(t)
	w := httptest.NewRecorder()
	newHandler(http.HandlerFunc(view), manager, appContext{debug: true}).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil))
	where := fmt.Sprintf("panic_test.go:%d", slipLine+1)
	if w.Code != http.StatusInternalServerError || !strings.Contains(w.Body.String(), where) {
		t.Errorf("status %d, page %q; want a 500 page naming %s", w.Code, w.Body, where)
	}
	if w.Header().Get("Set-Cookie") != "" || w.Header().Get("X-Half") != "" {
		t.Errorf("the 500 page carries the view's cookie or header: %v", w.Header())
	}
}
