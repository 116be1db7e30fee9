package devserver

import (
	"bytes"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"runtime"
	"strings"
	"testing"
	"time"

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

// outOfRange and nilMap are two more slips whose panic starts in the
// runtime: an index past the end of a list, a write to a map never made.
// outOfRangeLine and nilMapLine are the lines before them.
func outOfRange(w http.ResponseWriter, r *http.Request) {
	groceries := []string{"Milk"}
	n := len(r.URL.Path) // 1: the compiler cannot tell
	_, _, outOfRangeLine, _ = runtime.Caller(0)
	w.Write([]byte(groceries[n]))
}

func nilMap(w http.ResponseWriter, r *http.Request) {
	var counts map[string]int
	_, _, nilMapLine, _ = runtime.Caller(0)
	counts["Milk"]++
}

var outOfRangeLine, nilMapLine int

// TestPanicPage: a view that panics gets a 500 page, with the panic, the line
// it came from and the stack while no SECRET_KEY is set, and a plain page
// otherwise; the terminal gets one line naming the panic and the line either
// way, under Flask's error line when debug mode is off.
func TestPanicPage(t *testing.T) {
	for _, debug := range []bool{true, false} {
		t.Run(fmt.Sprintf("debug=%v", debug), func(t *testing.T) {
			logs := captureLog(t)
			from := time.Now()
			status, page := send(recoverPanics(http.HandlerFunc(slip), debug), httptest.NewRequest(http.MethodGet, "/", nil))
			to := time.Now()
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
			if debug {
				// The code around the line, as the compile-error page shows
				// it, what to do, then the stack, last.
				for _, want := range []string{
					fmt.Sprintf("\n\npanic_test.go, around line %d:\n\n", slipLine+1),
					fmt.Sprintf(">   %d | \t_ = groceries.([]string)\n", slipLine+1),
					fmt.Sprintf("    %d | \t_, _, slipLine, _ = runtime.Caller(0)\n", slipLine),
					"\nFix it and save: the server builds the program again. Then open the page again (http://example.com/) to see the result.\n",
					"\nThe stack, the calls that led to the panic, for the curious:\n\ngoroutine ",
				} {
					if !strings.Contains(page, want) {
						t.Errorf("the debug page %q lacks %q", page, want)
					}
				}
				if strings.Index(page, "goroutine ") < strings.Index(page, "Fix it and save") {
					t.Errorf("the debug page %q shows the stack before what to do", page)
				}
			}
			// The README's line, as the README quotes it (under Flask's header without debug mode).
			want := "panic: interface conversion: interface {} is nil, not []string, at " + where + "\n"
			if rest := logsAfterHeader(t, debug, logs.String(), "/", "GET", from, to); rest != want {
				t.Errorf("under the header, the terminal shows %q, want one line %q", rest, want)
			}
		})
	}
	for name, tt := range map[string]struct {
		view     http.HandlerFunc
		function string
		line     *int
		panic    string
	}{
		"index out of range": {outOfRange, "outOfRange", &outOfRangeLine, "runtime error: index out of range [1] with length 1"},
		"nil map":            {nilMap, "nilMap", &nilMapLine, "assignment to entry in nil map"},
	} {
		t.Run(name, func(t *testing.T) {
			logs := captureLog(t)
			_, page := send(recoverPanics(tt.view, true), httptest.NewRequest(http.MethodGet, "/", nil))
			where := fmt.Sprintf("panic_test.go:%d (example.com/sessions/devserver.%s)", *tt.line+1, tt.function)
			if want := "panic: " + tt.panic + "\nat " + where + "\n"; !strings.Contains(page, want) {
				t.Errorf("the page %q; want it to start with %q: the line of the slip, not the runtime's", page, want)
			}
			if !strings.Contains(logs.String(), ", at "+where+"\n") {
				t.Errorf("the terminal shows %q; want the line of the slip, %s", logs, where)
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

// TestPanicAfterThePageBegan: a view that flushes its page and then panics
// cannot get the panic page any more; the connection is dropped, so the
// browser sees the page cut short, not a 500 page glued to its end.
func TestPanicAfterThePageBegan(t *testing.T) {
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	view := func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "<h1>Session Practice</h1>")
		http.NewResponseController(w).Flush()
		slip(w, r)
	}
	captureLog(t)
	server := httptest.NewServer(newHandler(http.HandlerFunc(view), manager, appContext{debug: true}))
	defer server.Close()
	server.Config.ErrorLog = log.New(io.Discard, "", 0) // net/http logs the dropped connection
	resp, err := http.Get(server.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || err == nil || string(body) != "<h1>Session Practice</h1>" {
		t.Errorf("got %d %q (%v); want 200, the page so far, and then an error: the connection cut", resp.StatusCode, body, err)
	}
}
