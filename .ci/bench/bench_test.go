// Package bench sets the session layer beside gorilla/sessions' CookieStore,
// the session library most Go web apps use, on the same work: a cookie that
// holds a 20-item list, "Item 01" ... "Item 20", read on each request
// (load-read), or read, changed and sent back (load-change-save). Both sign
// with HMAC-SHA256 through gorilla/securecookie and encode with gob. The
// figures are in docs/testing.md:
//
//	cd .ci/bench && go test -run '^$' -bench . -count 5 > new.txt
//	benchstat -col /impl new.txt   # golang.org/x/perf/cmd/benchstat
//
// It is a module of its own so that gorilla/sessions, a test-only
// dependency, never enters the project's go.mod. Besides ns/op, the wall
// time, each benchmark reports cpu-ns/op, the processor time the process
// used: on a machine that others share, the wall time also counts their
// turns.
package bench

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"

	"example.com/sessions"
	gorilla "github.com/gorilla/sessions"
)

const key = "a secret key for the benchmark, the same for both"

// discardWriter is the cheapest http.ResponseWriter, so that both sides
// measure the session code rather than httptest.
type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (d *discardWriter) WriteHeader(int)             {}

// list is the value both sides store and read.
func list() []string {
	l := make([]string, 20)
	for i := range l {
		l[i] = fmt.Sprintf("Item %02d", i+1)
	}
	return l
}

// run serves the request carrying cookie to h until the benchmark ends, and
// checks that the last response set a cookie when it should. Each round
// gets a fresh copy of the request: gorilla keeps a request's sessions in a
// registry it stores in the request itself, and would otherwise decode the
// cookie once only.
func run(b *testing.B, h http.Handler, cookie *http.Cookie, wantSet bool) {
	base := httptest.NewRequest(http.MethodGet, "/", nil)
	base.AddCookie(cookie)
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	start := cpuTime()
	for b.Loop() {
		clear(w.h)
		r := *base
		h.ServeHTTP(w, &r)
	}
	if used := cpuTime() - start; used > 0 {
		b.ReportMetric(float64(used)/float64(b.N), "cpu-ns/op")
	}
	if set := w.h.Get("Set-Cookie") != ""; set != wantSet {
		b.Fatalf("Set-Cookie sent: %v, want %v", set, wantSet)
	}
}

// layer returns the session layer's Middleware around view, and a cookie
// that holds the list.
func layer(b *testing.B, view func(s sessions.Session)) (http.Handler, *http.Cookie) {
	m, err := sessions.New(sessions.Config{SecretKey: key})
	if err != nil {
		b.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = list()
	})).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { view(sessions.From(r)) }))
	return h, w.Result().Cookies()[0]
}

// cookieStore returns a handler that opens the CookieStore session, passes
// it to view, and saves it when view says so; and a cookie that holds the
// list.
func cookieStore(b *testing.B, view func(s *gorilla.Session) (save bool)) (http.Handler, *http.Cookie) {
	store := gorilla.NewCookieStore([]byte(key))
	handler := func(view func(s *gorilla.Session) bool) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s, err := store.Get(r, "session")
			if err != nil {
				b.Fatal(err)
			}
			if view(s) {
				if err := s.Save(r, w); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	w := httptest.NewRecorder()
	handler(func(s *gorilla.Session) bool { s.Values["groceries"] = list(); return true }).
		ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	return handler(view), w.Result().Cookies()[0]
}

func BenchmarkLoadRead(b *testing.B) {
	b.Run("impl=layer", func(b *testing.B) {
		h, c := layer(b, func(s sessions.Session) {
			if l, _ := s["groceries"].([]string); len(l) != 20 {
				b.Fatal("the list did not load")
			}
		})
		run(b, h, c, false)
	})
	b.Run("impl=gorilla", func(b *testing.B) {
		h, c := cookieStore(b, func(s *gorilla.Session) bool {
			if l, _ := s.Values["groceries"].([]string); len(l) != 20 {
				b.Fatal("the list did not load")
			}
			return false
		})
		run(b, h, c, false)
	})
}

func BenchmarkLoadChangeSave(b *testing.B) {
	b.Run("impl=layer", func(b *testing.B) {
		h, c := layer(b, func(s sessions.Session) {
			l := slices.Clone(s["groceries"].([]string))
			l[19] = "Item 21"
			s["groceries"] = l
		})
		run(b, h, c, true)
	})
	b.Run("impl=gorilla", func(b *testing.B) {
		h, c := cookieStore(b, func(s *gorilla.Session) bool {
			l := slices.Clone(s.Values["groceries"].([]string))
			l[19] = "Item 21"
			s.Values["groceries"] = l
			return true
		})
		run(b, h, c, true)
	})
}
