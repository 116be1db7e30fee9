package sessions_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httptrace"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
)

// The session layer's benchmarks, whose figures docs/deploying.md gives:
//
//	go test -run '^$' -bench . -benchmem
//
// Each sends a cookie holding a 20-item list, "Item 01" ... "Item 20",
// through the middleware.

// discardWriter is the cheapest http.ResponseWriter, so the benchmarks
// measure the session layer rather than httptest.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

func benchmarkSession(b *testing.B, view func(s sessions.Session)) {
	m, _ := newManager(b, sessions.Config{})
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.AddCookie(&http.Cookie{Name: "session", Value: twentyItemCookie(b)})
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { view(sessions.From(r)) }))
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	for b.Loop() {
		clear(w.h)
		h.ServeHTTP(w, r)
	}
	b.StopTimer()
	if set := w.h.Get("Set-Cookie"); set != "" {
		b.ReportMetric(float64(len(set[len("session="):strings.IndexByte(set, ';')])), "cookie-bytes")
	}
}

func twentyItemCookie(b *testing.B) string {
	m, _ := newManager(b, sessions.Config{})
	br := newBrowser(b, m, func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = items(20)
	})
	_, _, c := br.get("/")
	return c.Value
}

// BenchmarkLoad: read the list and leave it as it was (no Set-Cookie).
func BenchmarkLoad(b *testing.B) {
	benchmarkSession(b, func(s sessions.Session) {
		if len(s["groceries"].([]string)) != 20 {
			b.Fatal("the list did not load")
		}
	})
}

// BenchmarkLoadChangeSave: read the list, change an item, send the cookie.
func BenchmarkLoadChangeSave(b *testing.B) {
	benchmarkSession(b, func(s sessions.Session) {
		list := s["groceries"].([]string)
		list[19] = "Item 21"
		s["groceries"] = list
	})
}

// BenchmarkLargeResponse: a handler that stores a value, then writes 100 MB
// in pieces of 32 KB, through the middleware and a real connection. The
// response streams once it passes 1 MB, so the server holds about 1 MB of
// it, not 100, and the first byte leaves long before the last is written
// (first-byte-ms).
func BenchmarkLargeResponse(b *testing.B) {
	m, _ := newManager(b, sessions.Config{})
	piece := bytes.Repeat([]byte("x"), 32<<10)
	srv := httptest.NewServer(m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["downloads"] = 1
		for range (100 << 20) / len(piece) {
			w.Write(piece)
		}
	})))
	defer srv.Close()
	var firstByte time.Duration
	b.SetBytes(100 << 20)
	b.ReportAllocs()
	for b.Loop() {
		start := time.Now()
		trace := &httptrace.ClientTrace{GotFirstResponseByte: func() { firstByte += time.Since(start) }}
		req, _ := http.NewRequestWithContext(httptrace.WithClientTrace(context.Background(), trace), http.MethodGet, srv.URL, nil)
		resp, err := srv.Client().Do(req)
		if err != nil {
			b.Fatal(err)
		}
		if n, _ := io.Copy(io.Discard, resp.Body); n != 100<<20 || sessionCookie(resp) == nil {
			b.Fatalf("%d bytes, Set-Cookie %v; want 100 MB and a cookie", n, sessionCookie(resp) != nil)
		}
		resp.Body.Close()
	}
	b.ReportMetric(float64(firstByte.Milliseconds())/float64(b.N), "first-byte-ms")
}
