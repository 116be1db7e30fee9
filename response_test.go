package sessions_test

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
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
// held response, and 103 Early Hints go out at once, while the handler
// runs, with only the headers set for them: the final status is the
// handler's 200, and the cookie comes with it.
func TestResponseController(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	hinted := make(chan textproto.MIMEHeader, 1)
	type outcome struct {
		deadlineErr error
		early       bool
	}
	done := make(chan outcome, 1)
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		deadlineErr := http.NewResponseController(w).SetWriteDeadline(time.Now().Add(time.Minute))
		w.Header().Set("Link", "</style.css>; rel=preload; as=style")
		w.WriteHeader(http.StatusEarlyHints)
		early := false
		select {
		case header := <-hinted:
			early = true
			hinted <- header
		case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		}
		sessions.From(r)["hinted"] = true
		fmt.Fprint(w, "page")
		done <- outcome{deadlineErr, early}
	})))
	defer srv.Close()
	var hints []int
	trace := &httptrace.ClientTrace{Got1xxResponse: func(code int, header textproto.MIMEHeader) error {
		hints = append(hints, code)
		hinted <- header
		return nil
	}}
	req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	result := <-done
	if !slices.Equal(hints, []int{http.StatusEarlyHints}) || !result.early {
		t.Errorf("informational responses %v, the first while the handler ran: %v; want [103], true", hints, result.early)
	} else if header := <-hinted; header.Get("Link") == "" || header.Get("Set-Cookie") != "" {
		t.Errorf("the 103 carried %v; want the Link header and no cookie", header)
	}
	if result.deadlineErr != nil {
		t.Errorf("SetWriteDeadline: %v", result.deadlineErr)
	}
	if resp.StatusCode != http.StatusOK || string(body) != "page" || sessionCookie(resp) == nil {
		t.Errorf("after 103: status %d, body %q, Set-Cookie %v; want 200, page, a cookie", resp.StatusCode, body, sessionCookie(resp) != nil)
	}
}

// TestNothingWritten: a handler that writes nothing gets net/http's empty
// 200, whether or not it changed the session.
func TestNothingWritten(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/change" {
			sessions.From(r)["visited"] = true
		}
	})
	for path, wantCookie := range map[string]bool{"/change": true, "/nothing": false} {
		if resp, body, c := b.get(path); resp.StatusCode != http.StatusOK || body != "" || (c != nil) != wantCookie {
			t.Errorf("%s: %d %q, Set-Cookie %v; want 200, no body, Set-Cookie %v", path, resp.StatusCode, body, c != nil, wantCookie)
		}
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

// TestFlushStreams: a handler that calls Flush has its session saved at that
// moment, and its headers, with the cookie, and what it wrote so far reach
// the browser while it still runs; the rest follows in chunks, since no one
// knows its length yet.
func TestFlushStreams(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	arrived := make(chan struct{})
	type outcome struct {
		flushErr error
		streamed bool
	}
	done := make(chan outcome, 1)
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["step"] = "saved at the flush"
		fmt.Fprint(w, "first part\n")
		err := http.NewResponseController(w).Flush()
		streamed := false
		select {
		case <-arrived:
			streamed = true
		case <-time.After(30 * time.Second): // a guard against a hang, not a timing
		}
		fmt.Fprint(w, "second part\n")
		done <- outcome{err, streamed}
	})))
	defer srv.Close()
	resp, err := http.Get(srv.URL) // returns once the headers arrive
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body := bufio.NewReader(resp.Body)
	first, _ := body.ReadString('\n')
	close(arrived)
	rest, _ := io.ReadAll(body)
	result := <-done
	if result.flushErr != nil || !result.streamed || first != "first part\n" || string(rest) != "second part\n" {
		t.Errorf("Flush gave %v; the first part (%q) reached the browser while the handler ran: %v; then %q",
			result.flushErr, first, result.streamed, rest)
	}
	c := sessionCookie(resp)
	if c == nil {
		t.Fatal("no Set-Cookie came with the flushed headers")
	}
	if s, _, err := sessions.Peek(c.Value); err != nil || s["step"] != "saved at the flush" {
		t.Errorf("the cookie holds %v (%v)", s, err)
	}
	if resp.ContentLength != -1 || resp.Header.Get("Vary") != "Cookie" {
		t.Errorf("Content-Length %d, Vary %q; want none (chunks) and Cookie", resp.ContentLength, resp.Header.Get("Vary"))
	}
	if logs.Len() > 0 {
		t.Errorf("the log says %q; nothing changed after the flush", logs)
	}
}

// TestLateChangesAreLogged: once a response has begun, by a Flush or by more
// than 1 MB written, its cookie is gone; a change to the session after that
// is not saved, and the log says so. Reading it, or changing it before, is
// fine. A response of exactly 1 MB is still held whole.
func TestLateChangesAreLogged(t *testing.T) {
	flush := func(w http.ResponseWriter) { w.(http.Flusher).Flush() }
	oneMB := bytes.Repeat([]byte("x"), 1<<20)
	for _, tt := range []struct {
		name      string
		view      func(w http.ResponseWriter, s func() sessions.Session)
		wantSaved string // the value of "step" the next request sees
		wantLog   bool
		wantSize  int64 // Content-Length, or -1 when the response streamed
	}{
		{"changed before a flush", func(w http.ResponseWriter, s func() sessions.Session) {
			s()["step"] = "early"
			flush(w)
			_ = s()["step"]
		}, "early", false, -1},
		{"changed after a flush", func(w http.ResponseWriter, s func() sessions.Session) {
			s()["step"] = "early"
			flush(w)
			s()["step"] = "late"
		}, "early", true, -1},
		{"first used after a flush", func(w http.ResponseWriter, s func() sessions.Session) {
			flush(w)
			s()["step"] = "late"
		}, "<nil>", true, -1},
		{"emptied after a flush", func(w http.ResponseWriter, s func() sessions.Session) {
			s()["step"] = "early"
			flush(w)
			s().Clear()
		}, "early", true, -1},
		{"changed after 1 MB", func(w http.ResponseWriter, s func() sessions.Session) {
			s()["step"] = "early"
			w.Write(oneMB)
			w.Write([]byte("!"))
			s()["step"] = "late"
		}, "early", true, -1},
		{"changed after exactly 1 MB", func(w http.ResponseWriter, s func() sessions.Session) {
			s()["step"] = "early"
			w.Write(oneMB)
			s()["step"] = "late"
		}, "late", false, 1 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/read" {
					fmt.Fprint(w, sessions.From(r)["step"])
					return
				}
				tt.view(w, func() sessions.Session { return sessions.From(r) })
			})
			resp, _, _ := b.get("/")
			if _, got, _ := b.get("/read"); got != tt.wantSaved {
				t.Errorf("the next request sees step = %s, want %s", got, tt.wantSaved)
			}
			logged := strings.Contains(logs.String(), "the session changed after the response began, so the change was not saved")
			if logged != tt.wantLog {
				t.Errorf("logged a late change: %v, want %v: %q", logged, tt.wantLog, logs)
			}
			if resp.ContentLength != tt.wantSize {
				t.Errorf("Content-Length %d, want %d", resp.ContentLength, tt.wantSize)
			}
		})
	}
}

// TestStreamingSavesAsTheEndWould: a session saved when the response begins
// is saved as it would be at the end: a change that fits is saved with every
// value beside it; one that does not is refused whole, nothing giving way,
// the browser gets the page that says why, and the handler's later writes
// fail.
func TestStreamingSavesAsTheEndWould(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	var writeErr, flushErr error
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		switch r.URL.Path {
		case "/others":
			s["colour"] = "green"
			s["notes"] = strings.Repeat("n", 1200)
			s["more"] = strings.Repeat("m", 300)
			return
		case "/list":
			s["groceries"] = items(10)
		case "/huge": // fits only if notes gives way
			s["groceries"] = items(100)
		}
		w.Header().Set("Content-Type", "text/csv")
		fmt.Fprint(w, "the handler's own page")
		flushErr = http.NewResponseController(w).Flush()
		_, writeErr = fmt.Fprint(w, "more of it")
	})
	b.get("/others")
	resp, body, c := b.get("/list")
	if resp.StatusCode != http.StatusOK || c == nil || body != "the handler's own pagemore of it" {
		t.Fatalf("/list: %d %q, Set-Cookie %v; want 200, the page and a cookie", resp.StatusCode, body, c != nil)
	}
	if stored, _, _ := sessions.Peek(c.Value); stored["notes"] == nil || stored["colour"] != "green" || len(stored["groceries"].([]string)) != 10 {
		t.Errorf("the cookie holds the keys %q; want groceries, colour, notes and more", slices.Sorted(maps.Keys(stored)))
	}
	before := b.cookie
	resp, body, c = b.get("/huge")
	if resp.StatusCode != http.StatusConflict || c != nil || b.cookie != before || !strings.HasPrefix(body, "409 Conflict\n\nThe session is full") {
		t.Errorf("/huge: %d %q, Set-Cookie %v; want the full-session page and the old cookie kept", resp.StatusCode, body, c != nil)
	}
	if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the page is served as %q, nosniff %q; want text/plain and nosniff", got, resp.Header.Get("X-Content-Type-Options"))
	}
	if flushErr == nil || writeErr == nil || !strings.Contains(writeErr.Error(), "a page that says why") {
		t.Errorf("after the full-session page, Flush gave %v and Write %v; want errors that say why", flushErr, writeErr)
	}
	if strings.Count(logs.String(), "sessions: not saved") != 1 || strings.Contains(logs.String(), "changed after the response began") {
		t.Errorf("the log %q; want one line saying the session was not saved", logs)
	}
}
