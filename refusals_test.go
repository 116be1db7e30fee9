package sessions_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"example.com/sessions"
)

// TestSignedInTheFuture mirrors itsdangerous, which refuses a signature of
// negative age ("Signature age -N < 0"): such a signature would outlive
// PermanentLifetime. A cookie dated at most 5 seconds ahead of the server's
// clock is accepted, for servers whose clocks differ a little; one dated
// further ahead is refused with a log line that says so. The clock stands
// still inside a synctest bubble, so the edge is exact.
func TestSignedInTheFuture(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		good := goodCookie(t, testKey) // {"groceries": ["Milk"]}
		now := time.Now().Unix()
		for _, tt := range []struct {
			ahead int64 // seconds
			want  string
		}{
			{0, "[Milk]"}, {5, "[Milk]"}, {6, "none"}, {3600, "none"}, {100 * 365 * 24 * 3600, "none"},
		} {
			m, logs := newManager(t, sessions.Config{})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, sessions.From(r).Get("groceries", "none"))
			})
			b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now+tt.ahead, nil)}
			_, body, _ := b.get("/")
			refused := strings.Contains(logs.String(), "signed in the future: its timestamp is more than 5s ahead")
			if body != tt.want || refused != (tt.want == "none") {
				t.Errorf("signed %d s ahead: the view saw %s, log %q; want %s, and a log line only for a refused cookie",
					tt.ahead, body, logs, tt.want)
			}
		}
	})
}

// TestRefusalsAreCounted: a flood of bad cookies cannot fill the disk. The
// first refusal is logged as it comes; those of the minute after it are only
// counted, and the first refusal after that minute logs their count, then
// its own line. Inside a synctest bubble the minutes pass at once.
func TestRefusalsAreCounted(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		m, logs := newManager(t, sessions.Config{})
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { sessions.From(r) }))
		refuse := func(n int) {
			for range n {
				r := httptest.NewRequest(http.MethodGet, "/", nil)
				r.Header.Set("Cookie", "session=forged")
				h.ServeHTTP(httptest.NewRecorder(), r)
			}
		}
		expect := func(when string, want ...string) {
			t.Helper()
			lines := strings.Split(strings.TrimSpace(logs.String()), "\n")
			if len(lines) != len(want) {
				t.Fatalf("%s: the log has %d lines, want %d:\n%s", when, len(lines), len(want), logs)
			}
			for i, w := range want {
				if !strings.Contains(lines[i], w) {
					t.Errorf("%s: line %d is %q, want it to say %q", when, i+1, lines[i], w)
				}
			}
		}
		refused := "ignoring the session cookie"
		var wg sync.WaitGroup
		for range 10 { // ten browsers at once (run with -race)
			wg.Go(func() { refuse(1000) })
		}
		wg.Wait()
		expect("10,000 bad cookies", refused)
		time.Sleep(time.Minute)
		refuse(1)
		expect("a minute later", refused, "count=9999", refused)
		time.Sleep(59 * time.Second)
		refuse(3)
		expect("59 seconds after that", refused, "count=9999", refused)
		time.Sleep(time.Second)
		refuse(1)
		expect("a minute after the last line", refused, "count=9999", refused, "count=3", refused)
	})
}
