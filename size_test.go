package sessions_test

import (
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"example.com/sessions"
	"github.com/gorilla/securecookie"
)

func TestTooLarge(t *testing.T) {
	s := sessions.Session{"groceries": items(20)}
	if err := s.CheckSize(); err != nil {
		t.Fatalf("20 items: %v", err)
	}
	s["groceries"] = items(300)
	err := s.CheckSize()
	var tooLarge *sessions.TooLargeError
	if !errors.As(err, &tooLarge) || tooLarge.Limit != sessions.MaxValueSize || tooLarge.Size <= sessions.MaxValueSize {
		t.Fatalf("300 items: %v, want a TooLargeError over %d", err, sessions.MaxValueSize)
	}
	if !strings.Contains(err.Error(), strconv.Itoa(tooLarge.Size)) || !strings.Contains(err.Error(), "4000") {
		t.Errorf("%q does not name the size and the limit", err)
	}
}

// TestCheckSizeIsExact fills a session one item at a time and checks that
// CheckSize says "fits" exactly while the real cookie is within the limit.
func TestCheckSizeIsExact(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	list := []string{}
	var lastLen int
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["groceries"] = slices.Clone(list)
		if err := s.CheckSize(); err != nil {
			s["groceries"] = list[:len(list)-1]
			w.WriteHeader(http.StatusConflict)
		}
	})
	for i := 0; ; i++ {
		list = append(list, fmt.Sprintf("Item%06d", i)) // ten letters and digits
		resp, _, c := b.get("/")
		if resp.StatusCode == http.StatusConflict {
			break
		}
		if c == nil || len(c.Value) > sessions.MaxValueSize {
			t.Fatalf("item %d: CheckSize said it fits but the cookie is %v", i, c)
		}
		lastLen = len(c.Value)
	}
	if lastLen < sessions.MaxValueSize-40 {
		t.Errorf("the last cookie that fit was %d bytes: CheckSize refused too early", lastLen)
	}
	t.Logf("%d ten-character items fit; the fullest cookie was %d bytes", len(list)-1, lastLen)
}

// TestCheckSizeAtTheLimit: CheckSize measures the cookie that securecookie
// will make, byte for byte. A session whose cookie takes exactly MaxValueSize
// bytes fits, one byte more of data does not, and a TooLargeError gives the
// real cookie's length.
func TestCheckSizeAtTheLimit(t *testing.T) {
	signer := securecookie.New(signingKey(testKey), nil)
	signer.SetSerializer(securecookie.NopEncoder{})
	signer.MaxLength(0) // measure past the limit too

	exact := -1 // the length of the text whose cookie takes MaxValueSize bytes
	for n := 2000; n < 2400; n++ {
		s := sessions.Session{"k": strings.Repeat("a", n)}
		value, err := signer.Encode("session", gobOf(s))
		if err != nil {
			t.Fatal(err)
		}
		err = s.CheckSize()
		var tooLarge *sessions.TooLargeError
		switch {
		case len(value) <= sessions.MaxValueSize && err != nil:
			t.Fatalf("%d letters: the cookie takes %d bytes, but CheckSize says %v", n, len(value), err)
		case len(value) > sessions.MaxValueSize && (!errors.As(err, &tooLarge) || tooLarge.Size != len(value)):
			t.Fatalf("%d letters: the cookie takes %d bytes, but CheckSize says %v", n, len(value), err)
		}
		if len(value) == sessions.MaxValueSize {
			exact = n
		}
	}
	if exact < 0 {
		t.Fatal("no text length gave a cookie of exactly MaxValueSize bytes")
	}
	// Through the middleware: the exact fit is sent, one letter more is not.
	m, _ := newManager(t, sessions.Config{})
	n := exact
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { sessions.From(r)["k"] = strings.Repeat("a", n) })
	if resp, _, c := b.get("/"); c == nil || len(c.Value) != sessions.MaxValueSize {
		t.Errorf("%d letters: status %d, cookie %v; want a cookie of %d bytes", n, resp.StatusCode, c, sessions.MaxValueSize)
	}
	n = exact + 1
	if resp, _, c := b.get("/"); resp.StatusCode != http.StatusConflict || c != nil {
		t.Errorf("%d letters: status %d, cookie %v; want 409 and no cookie", n, resp.StatusCode, c)
	}
}

// TestMakeRoom: values the app does not keep go, the largest first, until the
// session fits; what fits beside the kept ones stays.
func TestMakeRoom(t *testing.T) {
	s := sessions.Session{"groceries": items(20), "colour": "green", "notes": strings.Repeat("x", 1800), "more": strings.Repeat("y", 900)}
	if s.CheckSize() == nil {
		t.Fatal("the test's session should not fit in a cookie")
	}
	if removed := s.MakeRoom("groceries"); !slices.Equal(removed, []string{"notes"}) || s.CheckSize() != nil {
		t.Errorf("MakeRoom removed %q and left a session that fits: %v; want notes only removed, and a session that fits", removed, s.CheckSize() == nil)
	}
	if _, ok := s["groceries"]; !ok || s["colour"] != "green" || s["more"] == nil {
		t.Errorf("MakeRoom left the keys %q; want groceries, colour and more kept", slices.Sorted(maps.Keys(s)))
	}
	if removed := s.MakeRoom("groceries"); removed != nil {
		t.Errorf("MakeRoom on a session that fits removed %q", removed)
	}
	// A kept value too large on its own stays, with nothing beside it, and
	// CheckSize still says so.
	alone := sessions.Session{"groceries": items(400), "colour": "green"}
	if removed := alone.MakeRoom("groceries"); !slices.Equal(removed, []string{"colour"}) || alone.CheckSize() == nil {
		t.Errorf("MakeRoom beside a list too large on its own removed %q; want colour removed and the session still too large", removed)
	}
}

// TestOversizedAtSave: a handler that ends with too large a session gets a
// page that says so in the words of the person using the app, with 409
// Conflict: they did nothing the server should call its own failure. The
// browser keeps its cookie, and the log, a warning, names the three largest
// keys. A client that does not ask for HTML gets the words as plain text.
func TestOversizedAtSave(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["small"] = "x"
		if strings.Contains(r.URL.Path, "grow") {
			s["huge"] = strings.Repeat("a", 5000)
			s["big"] = strings.Repeat("b", 300)
			s["medium"] = strings.Repeat("m", 100)
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		fmt.Fprint(w, "page")
	})
	b.get("/")
	before := b.cookie
	resp, body, c := b.send(httptest.NewRequest(http.MethodPost, "/grow", nil))
	if resp.StatusCode != http.StatusConflict || c != nil || b.cookie != before {
		t.Fatalf("status %d, Set-Cookie %v; want 409 and the old cookie kept", resp.StatusCode, c != nil)
	}
	// The page says what the session layer wrote, as text: the handler's
	// Content-Type described its own page, and a browser must not guess.
	if got := resp.Header.Get("Content-Type"); got != "text/plain; charset=utf-8" || resp.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the page is served as %q, nosniff %q; want text/plain and nosniff", got, resp.Header.Get("X-Content-Type-Options"))
	}
	want := "409 Conflict\n\nThe session is full, so this change was not saved: its cookie would take "
	if !strings.HasPrefix(body, want) ||
		!strings.Contains(body, "and a browser keeps at most 4000. Your browser keeps the session it had. Go back to the page, and remove something if it has a way to. Or delete the cookie named session") ||
		strings.Contains(body, "CheckSize") {
		t.Errorf("the page %q does not explain", body)
	}
	largest := regexp.MustCompile(`level=WARN msg="sessions: not saved".*largest_keys="\\"huge\\" \(\d+ bytes\), \\"big\\" \(\d+ bytes\), \\"medium\\" \(\d+ bytes\)"`)
	if !largest.MatchString(logs.String()) {
		t.Errorf("the log %q is not a warning that names the three largest keys, largest first", logs)
	}
	if _, body, _ := b.get("/"); body != "page" {
		t.Errorf("the next request got %q", body)
	}

	// A browser asks for HTML, and gets a page: title, language, heading,
	// the same words, everything escaped, and a link back with a GET.
	for _, tt := range []struct{ path, back string }{
		{"/grow", "/grow"},
		{`/grow/"><script>x</script>`, "/grow/%22%3E%3Cscript%3Ex%3C/script%3E"},
		{"//grow.example/", "/"}, // a link to //host would leave the site
	} {
		r := httptest.NewRequest(http.MethodPost, "/", nil)
		r.URL.Path = tt.path
		r.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		resp, body, _ := b.send(r)
		for _, want := range []string{"<!DOCTYPE html>", `<html lang="en">`, "<title>The session is full</title>",
			"<h1>The session is full</h1>", "<p>The session is full, so this change was not saved: its cookie would take ",
			`<a href="` + tt.back + `">Go back to the page</a>`} {
			if !strings.Contains(body, want) {
				t.Errorf("%s: the HTML page lacks %q:\n%s", tt.path, want, body)
			}
		}
		if resp.StatusCode != http.StatusConflict || resp.Header.Get("Content-Type") != "text/html; charset=utf-8" ||
			strings.Contains(body, "<script") || strings.Contains(body, "src=") {
			t.Errorf("%s: %d %q; want 409, HTML, and no script:\n%s", tt.path, resp.StatusCode, resp.Header.Get("Content-Type"), body)
		}
		if !slices.Contains(resp.Header.Values("Vary"), "Accept") {
			t.Errorf("%s: Vary %q; want Accept, since the page depends on it", tt.path, resp.Header.Values("Vary"))
		}
	}
}

// TestNothingGivesWay: when a change outgrows the cookie, no value gives
// way, not even one the request did not change (another app's, say): the
// change is refused whole, the browser keeps its cookie, and the page says
// so. A change that fits is then saved with every value beside it.
func TestNothingGivesWay(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		switch r.URL.Path {
		case "/others":
			s["colour"] = "green"
			s["notes"] = strings.Repeat("n", 1200)
			s["more"] = strings.Repeat("m", 300)
		case "/list":
			s["groceries"] = items(200)
		case "/small":
			s["groceries"] = items(10)
		}
	})
	b.get("/others")
	before := b.cookie
	resp, body, c := b.get("/list")
	if resp.StatusCode == http.StatusOK || c != nil || b.cookie != before || !strings.Contains(body, "The session is full") {
		t.Fatalf("a list that fits only if notes goes: %d %q, Set-Cookie %v; want the full-session page and the old cookie kept", resp.StatusCode, body, c != nil)
	}
	if strings.Contains(logs.String(), "removed") {
		t.Errorf("the log %q says a value was removed", logs)
	}
	_, _, c = b.get("/small")
	stored, _, err := sessions.Peek(c.Value)
	if err != nil || len(stored["groceries"].([]string)) != 10 || stored["colour"] != "green" || stored["more"] == nil || stored["notes"] == nil {
		t.Errorf("the cookie holds the keys %q (%v); want groceries, colour, more and notes", slices.Sorted(maps.Keys(stored)), err)
	}
}

// sharedSite is two apps on one site, sharing one cookie, as finished/ and
// buttons/ do: each stores its own value as its page opens (GET), if it is
// missing, and a POST adds to it.
type sharedSite struct {
	list, digits http.Handler
}

func newSharedSite(m *sessions.Manager) sharedSite {
	app := func(key string, empty, add func(old any, text string) any) http.Handler {
		return m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			s := sessions.From(r)
			switch _, ok := s[key]; {
			case r.Method == http.MethodPost:
				s[key] = add(s[key], r.URL.Query().Get("add"))
				fmt.Fprintf(w, "You just added %s.", r.URL.Query().Get("add"))
			case !ok:
				s[key] = empty(nil, "")
			}
		}))
	}
	return sharedSite{
		list: app("groceries", func(any, string) any { return []string{} },
			func(old any, item string) any { l, _ := old.([]string); return append(l, item) }),
		digits: app("output", func(any, string) any { return "" },
			func(old any, digit string) any { o, _ := old.(string); return o + digit }),
	}
}

// fullCookie returns a browser on handler whose cookie holds s, grown by
// grow until one more step would not fit.
func fullCookie(t *testing.T, m *sessions.Manager, handler http.Handler, s sessions.Session, grow func(sessions.Session)) *browser {
	for {
		next := maps.Clone(s)
		if grow(next); next.CheckSize() != nil {
			break
		}
		s = next
	}
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { maps.Copy(sessions.From(r), s) })
	b.get("/")
	b.handler = handler
	return b
}

// TestSharedCookieLosesNothing: a full list, then the other app (its page
// opening, and a digit); full digits, then an item, and the list app's page
// opening. Each time the change is refused with the full-session page, the
// browser keeps its cookie, and both apps' values are still in it. The
// page of a refused GET says how to get out, since going back would come
// here again.
func TestSharedCookieLosesNothing(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	site := newSharedSite(m)
	// One byte more each time, so that the full cookie has no room for one
	// more digit: the list's last item grows.
	moreItems := func(s sessions.Session) {
		l, ok := s["groceries"].([]string)
		if l = slices.Clone(l); !ok {
			l = []string{"Milk", "Eggs", ""}
		}
		l[len(l)-1] += "x"
		s["groceries"] = l
	}
	moreDigits := func(s sessions.Session) { o, _ := s["output"].(string); s["output"] = o + "1" }
	for _, tt := range []struct {
		name    string
		start   sessions.Session
		grow    func(sessions.Session)
		then    http.Handler
		method  string
		opening bool // the page of a GET says more
	}{
		{"a full list, then the buttons page opens", sessions.Session{}, moreItems, site.digits, http.MethodGet, true},
		{"a full list, then a digit", sessions.Session{"output": "12"}, moreItems, site.digits, http.MethodPost, false},
		{"full digits, then an item", sessions.Session{"groceries": []string{"Milk"}}, moreDigits, site.list, http.MethodPost, false},
		{"full digits, then the list page opens", sessions.Session{}, moreDigits, site.list, http.MethodGet, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			b := fullCookie(t, m, site.list, tt.start, tt.grow)
			before := b.cookie
			held, _, _ := sessions.Peek(before.Value)
			b.handler = tt.then
			resp, body, c := b.send(httptest.NewRequest(tt.method, "/?add=7", nil))
			if resp.StatusCode == http.StatusOK || c != nil || b.cookie != before ||
				!strings.Contains(body, "The session is full, so this change was not saved") || strings.Contains(body, "You just added") {
				t.Fatalf("%d %q, Set-Cookie %v; want the full-session page and no new cookie", resp.StatusCode, body, c != nil)
			}
			if got := strings.Contains(body, "Opening this page stores something"); got != tt.opening {
				t.Errorf("the page %q says how to get out of a page that stores as it opens: %v, want %v", body, got, tt.opening)
			}
			if tt.opening && !strings.Contains(body, "The largest value in the session is ") {
				t.Errorf("the page %q does not name the largest value", body)
			}
			_, _, _ = b.get("/") // the same app's page, opened again, changes nothing it lacks room for
			if now, _, _ := sessions.Peek(b.cookie.Value); !reflect.DeepEqual(now, held) {
				t.Errorf("the cookie now holds the keys %q; want %q, unchanged", slices.Sorted(maps.Keys(now)), slices.Sorted(maps.Keys(held)))
			}
		})
	}
}
