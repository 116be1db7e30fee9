package sessions_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

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
