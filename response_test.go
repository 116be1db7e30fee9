package sessions_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"net/textproto"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
)

// TestStoredLast mirrors Flask's test_session_stored_last: a change made
// after the body was written is saved, and the cookie precedes the body.
func TestStoredLast(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		w.Header().Set("X-Lesson", "23.5")
		w.WriteHeader(http.StatusCreated)
		fmt.Fprint(w, s.Get("foo", "None"))
		s["foo"] = 42
	})
	resp, body, c := b.get("/")
	if body != "None" || c == nil {
		t.Fatalf("first request: body %q, Set-Cookie %v; want None and a cookie", body, c != nil)
	}
	if resp.StatusCode != http.StatusCreated || resp.Header.Get("X-Lesson") != "23.5" {
		t.Errorf("status %d, X-Lesson %q: the handler's status and headers did not pass through", resp.StatusCode, resp.Header.Get("X-Lesson"))
	}
	if resp.Header.Get("Content-Length") != "4" {
		t.Errorf("Content-Length %q, want 4", resp.Header.Get("Content-Length"))
	}
	if _, body, _ := b.get("/"); body != "42" {
		t.Errorf("second request: body %q, want 42", body)
	}
}

// TestWriteHeaderBeforeChange: a handler that calls WriteHeader(200) and
// writes its page before it changes the session still gets its Set-Cookie;
// and a second WriteHeader does not change the status the first one set, as
// without the middleware.
func TestWriteHeaderBeforeChange(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusOK)
			fmt.Fprint(w, "no such page")
			return
		}
		w.WriteHeader(http.StatusOK)
		fmt.Fprint(w, "the page")
		sessions.From(r)["visited"] = true
	})
	if resp, body, c := b.get("/"); resp.StatusCode != http.StatusOK || body != "the page" || c == nil {
		t.Errorf("WriteHeader(200), the page, then a change: %d %q, Set-Cookie %v; want 200, the page, a cookie", resp.StatusCode, body, c != nil)
	}
	if resp, body, _ := b.get("/missing"); resp.StatusCode != http.StatusNotFound || body != "no such page" {
		t.Errorf("WriteHeader(404), then WriteHeader(200): %d %q; want 404 and the page", resp.StatusCode, body)
	}
}

// TestCookieOnTheWire checks over a real connection that Set-Cookie comes
// in the header block even when the handler set the session after writing.
func TestCookieOnTheWire(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Write(bytes.Repeat([]byte("x"), 100<<10)) // more than net/http buffers
		sessions.From(r)["late"] = true
	})))
	defer srv.Close()
	resp, err := http.Get(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	n, _ := io.Copy(io.Discard, resp.Body)
	if sessionCookie(resp) == nil || n != 100<<10 {
		t.Errorf("Set-Cookie %q, body %d bytes; want a cookie and 102400 bytes", resp.Header.Values("Set-Cookie"), n)
	}
	if got := resp.Header.Get("Content-Length"); got != "102400" {
		t.Errorf("Content-Length %q, want 102400", got)
	}
}

// TestResponseController: deadlines reach the connection through the
// held response, and 103 Early Hints go out at once.
func TestResponseController(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	var deadlineErr error
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadlineErr = http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
		w.Header().Set("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		sessions.From(r)["hinted"] = true
		fmt.Fprint(w, "page")
	})))
	defer srv.Close()
	var hints []int
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, _ textproto.MIMEHeader) error {
		hints = append(hints, code)
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if !slices.Equal(hints, []int{http.StatusEarlyHints}) {
		t.Errorf("informational responses %v, want [103]", hints)
	}
	if deadlineErr != nil {
		t.Errorf("SetWriteDeadline: %v", deadlineErr)
	}
	if resp.StatusCode != http.StatusOK || string(body) != "page" || sessionCookie(resp) == nil {
		t.Errorf("after 103: status %d, body %q, Set-Cookie %v; want 200, page, a cookie", resp.StatusCode, body, sessionCookie(resp) != nil)
	}
}

// TestBodyNotAllowed: after 204 or 304 a handler's Write fails, as it does
// without the middleware.
func TestBodyNotAllowed(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	for _, status := range []int{http.StatusNoContent, http.StatusNotModified} {
		var err error
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(status)
			_, err = w.Write([]byte("body"))
		}))
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		if !errors.Is(err, http.ErrBodyNotAllowed) || w.Code != status || w.Body.Len() != 0 {
			t.Errorf("%d: Write gave %v, the reply %d %q; want http.ErrBodyNotAllowed and no body", status, err, w.Code, w.Body)
		}
	}
}

func TestFlushIsRefused(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	var flushErr error
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, "early")
		flushErr = http.NewResponseController(w).Flush()
	}))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	if flushErr == nil || !strings.Contains(flushErr.Error(), "cannot be flushed") {
		t.Errorf("Flush: %v, want an error that says why", flushErr)
	}
}
