package sessions_test

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/testenv"
	"github.com/gorilla/securecookie"
)

// Point is a type of the app's own: gob must be told about it once.
type Point struct{ X, Y int }

// Celsius is not registered with gob.
type Celsius float64

type secret struct{ Code string }

// Basket is a map type of the app's own, not registered with gob.
type Basket map[string]int

// Colour is a text type of the app's own, not registered with gob.
type Colour string

// hidden is registered, but gob cannot encode it: it has no exported field.
type hidden struct{ code string }

func init() {
	gob.Register(Point{})
	gob.Register(hidden{})
}

// TestValueTypes checks that values come back with the type they went in
// with, as Flask's test_session_special_types does for its tagged JSON; a nil
// too, at the top, in a dictionary and in a list.
func TestValueTypes(t *testing.T) {
	when := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	stored := sessions.Session{
		"string": "Milk", "list": []string{"Bread", "Milk"}, "int": 3, "bool": true, "float": 2.5,
		"ints": []int{1, 2}, "int64": int64(1) << 40, "bytes": []byte{0xff, 0}, "labels": map[string]string{"a": "b"},
		"counts": map[string]int{"a": 1}, "time": when, "nested": map[string]any{"list": []any{"x", 1, nil}, "none": nil},
		"uint8": uint8(7), "nil": nil, "point": Point{X: 1, Y: 2}, "empty list": []string{}, "empty map": map[string]int{},
		"flags": map[string]bool{"organic": true}, "prices": map[string]float64{"Milk": 1.25}, // no gob.Register of ours
	}
	m, _ := newManager(t, sessions.Config{})
	var loaded sessions.Session
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if r.URL.Path == "/store" {
			for k, v := range stored {
				s[k] = v
			}
			return
		}
		loaded = s
	})
	b.get("/store")
	b.get("/load")
	for k, want := range stored {
		got := loaded[k]
		if k == "time" {
			if !got.(time.Time).Equal(when) {
				t.Errorf("%s: got %v, want %v", k, got, want)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) || reflect.TypeOf(got) != reflect.TypeOf(want) {
			t.Errorf("%s: got %#v (%T), want %#v (%T)", k, got, got, want, want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  []string
	}{
		{"unregistered struct", secret{"x"}, []string{`session["k"]`, "sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"unregistered pointer", &secret{"x"}, []string{"*sessions_test.secret", "gob.Register(&sessions_test.secret{})"}},
		{"unregistered number", Celsius(21.5), []string{"sessions_test.Celsius", "gob.Register(sessions_test.Celsius(0))"}},
		{"unregistered number's pointer", new(Celsius), []string{"*sessions_test.Celsius", "gob.Register(new(sessions_test.Celsius))"}},
		{"unregistered map type", Basket{"Milk": 2}, []string{"sessions_test.Basket", "gob.Register(sessions_test.Basket{})"}},
		{"unregistered text type", Colour("red"), []string{"sessions_test.Colour", `gob.Register(sessions_test.Colour(""))`}},
		{"registered, no exported field", hidden{"x"}, []string{"sessions_test.hidden", "no exported fields", "Store plain data"}},
		{"inside a dictionary", map[string]any{"n": 1, "s": secret{"x"}}, []string{"type sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"inside a list", []any{1, []any{secret{"x"}}}, []string{"type sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"channel", make(chan int), []string{"chan int", "Store plain data"}},
		{"function", func() {}, []string{"func()", "Store plain data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sessions.Session{"k": tt.value, "fine": "yes"}.CheckSize()
			var encErr *sessions.EncodeError
			if !errors.As(err, &encErr) || encErr.Key != "k" {
				t.Fatalf("CheckSize: %v, want an *EncodeError for key k", err)
			}
			if inner := errors.Unwrap(encErr); inner == nil || !strings.HasPrefix(inner.Error(), "gob: ") {
				t.Errorf("Unwrap gives %v, want encoding/gob's own error", inner)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestUnencodableAtSave: a handler that stores what gob cannot encode gets a
// 500, the program's mistake, that names the fix; the browser keeps its
// cookie. A browser gets it as an HTML page.
func TestUnencodableAtSave(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if r.URL.Path == "/bad" {
			s["when"] = secret{"x"}
		} else {
			s["ok"] = 1
		}
		fmt.Fprint(w, "page")
	})
	b.get("/ok")
	before := b.cookie
	resp, body, c := b.get("/bad")
	if resp.StatusCode != http.StatusInternalServerError || c != nil {
		t.Fatalf("status %d, Set-Cookie %v; want 500 and no cookie", resp.StatusCode, c != nil)
	}
	for _, want := range []string{"gob.Register(sessions_test.secret{})", `session["when"]`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page %q does not mention %q", body, want)
		}
	}
	if !strings.Contains(logs.String(), "gob.Register(sessions_test.secret{})") {
		t.Errorf("the log %q does not name the fix", logs)
	}
	if strings.Contains(body, "page") {
		t.Error("the handler's own body was sent with the 500")
	}
	r := httptest.NewRequest(http.MethodGet, "/bad", nil)
	r.Header.Set("Accept", "text/html")
	if resp, body, _ := b.send(r); resp.StatusCode != http.StatusInternalServerError ||
		!strings.Contains(body, "<title>The session could not be saved</title>") || !strings.Contains(body, "gob.Register(sessions_test.secret{})") {
		t.Errorf("asked for HTML: %d %q", resp.StatusCode, body)
	}
	if b.cookie != before {
		t.Error("the browser's cookie changed")
	}
}

// TestRegisterHintInMain: for a type declared in package main, the error
// gives the gob.Register call as a learner pastes it into main.go.
func TestRegisterHintInMain(t *testing.T) {
	testenv.NeedsPrograms(t)
	cmd := exec.Command("go", "run", filepath.Join("testdata", "registerhint", "main.go"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	for _, want := range []string{`session["cart"]`, "gob.Register(Item{})", "gob.Register(&Item{})", `add "encoding/gob" to the imports`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the error %q does not say %q", out, want)
		}
	}
	if strings.Contains(string(out), "Register(main.") || strings.Contains(string(out), "Register(&main.") {
		t.Errorf("the error %q spells the type main.Item, which does not compile inside package main", out)
	}
}

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
		!strings.Contains(body, "and a browser keeps at most 4000. Your browser keeps the session it had. Go back to the page, remove something") ||
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

// TestEncodersKeepNothing: an encoder that wrote only gob's basic types is
// used again for the next session, so one that wrote any other type must
// not be: its next stream would lack the type's description, and the
// cookie could not be read. Sessions with times and structs, between
// sessions of text, come back each time.
func TestEncodersKeepNothing(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	when := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	for i := range 4 {
		for _, stored := range []sessions.Session{
			{"groceries": []string{"Milk"}, "n": i},
			{"when": when, "point": Point{X: i, Y: 2}, "n": i},
		} {
			var loaded sessions.Session
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/store" {
					maps.Copy(sessions.From(r), stored)
				} else {
					loaded = sessions.From(r)
				}
			})
			b.get("/store")
			if b.get("/"); !reflect.DeepEqual(loaded, stored) {
				t.Fatalf("round %d: stored %v, read back %v", i, stored, loaded)
			}
		}
	}
}

// TestSameSessionSameCookie: a session makes the same cookie data whatever
// order its keys were stored in, since its entries, and those of the maps
// inside it, travel sorted by key (gob writes a map's entries in Go's random
// map order).
func TestSameSessionSameCookie(t *testing.T) {
	s := sessions.Session{}
	nested, counts := map[string]any{}, map[string]int{}
	for i := range 10 {
		s[fmt.Sprint("key ", i)] = i
		nested[fmt.Sprint("key ", i)] = []any{i}
		counts[fmt.Sprint("key ", i)] = i
	}
	s["nested"], s["counts"] = nested, counts
	var first string
	for try := range 5 {
		m, _ := newManager(t, sessions.Config{})
		b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { maps.Copy(sessions.From(r), s) })
		_, _, c := b.get("/")
		value := resign(t, c.Value, testKey, 0, nil) // the same timestamp: only the data can differ
		if try == 0 {
			first = value
		} else if value != first {
			t.Fatalf("the same session made two different cookies:\n%s\n%s", first, value)
		}
	}
}

// hugeMap returns the gob stream of a map holding one entry, "Milk": 1,
// whose count of entries says 2^26 instead of 1: what a forger holding the
// secret key could send.
func hugeMap(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(map[string]any{"Milk": 1}); err != nil {
		t.Fatal(err)
	}
	// A gob stream is a series of messages, each after its length in bytes
	// (here under 128, which takes one byte). The map is the last one: its
	// count (1) comes just before the first key ("Milk", 4 bytes long).
	stream, start := b.Bytes(), 0
	for start+1+int(stream[start]) < len(stream) {
		start += 1 + int(stream[start])
	}
	value := stream[start+1:]
	if stream[start] >= 128 || !bytes.Contains(value, []byte("\x01\x04Milk")) {
		t.Fatalf("unexpected gob stream %q", stream)
	}
	// gob writes 2^26 as -4 (four bytes follow), then 04 00 00 00.
	value = bytes.Replace(value, []byte("\x01\x04Milk"), []byte("\xfc\x04\x00\x00\x00\x04Milk"), 1)
	return append(append(stream[:start:start], byte(len(value))), value...)
}

// allocatedBy returns the bytes the program allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// key is a part of forgedData sent as a key, the way gob sends a string.
type key string

// forgedData writes parts as the session layer writes a cookie's data: a key
// as a string, a sessions.Mark as its form and count, anything else as a
// value of any form. With marks placed by hand, it is what a forger holding
// the secret key could send.
func forgedData(t *testing.T, parts ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	for _, part := range parts {
		var err error
		switch p := part.(type) {
		case key:
			err = enc.Encode(string(p))
		case sessions.Mark:
			enc.Encode(p.Form)
			err = enc.Encode(p.Count)
		default:
			enc.Encode("")
			err = enc.Encode(&part)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// claimMillions changes the count of the list or map that ends data, whose
// first entry is "Milk", to 2^26 instead of 1.
func claimMillions(t *testing.T, data []byte) []byte {
	t.Helper()
	// The list or map is in the last message: after the message's length
	// come its type, the value's length in bytes, 0, then the count (1) and
	// "Milk" after its length (4).
	last := 0
	for last+1+int(data[last]) < len(data) {
		last += 1 + int(data[last])
	}
	i := bytes.LastIndex(data, []byte("\x00\x01\x04Milk"))
	if last+1+int(data[last]) != len(data) || data[last] >= 128-4 || i < last+2 {
		t.Fatalf("unexpected gob stream %q", data)
	}
	// gob writes 2^26 as -4 (four bytes follow), then 04 00 00 00: four bytes
	// more, so the message's length and the value's length grow by 4.
	forged := bytes.Clone(data[:i])
	forged = append(forged, "\x00\xfc\x04\x00\x00\x00\x04Milk"...)
	forged = append(forged, data[i+len("\x00\x01\x04Milk"):]...)
	forged[last] += 4
	forged[i-1] += 4
	return forged
}

// gobsOwnMap is the data of a session whose value is a map as gob itself
// sends one, map[string]interface {}, claiming 2^26 entries: what a forger
// could send if the session layer had told gob about that type, or an app
// did. gob is told about a map type of the same shape under another name of
// the same length, and the stream then names the real type.
func gobsOwnMap(t *testing.T) []byte {
	type tally map[string]any
	gob.RegisterName("sessions_test.tally_map", tally{})
	data := forgedData(t, key("k"), tally{"Milk": 1})
	data = bytes.Replace(data, []byte("sessions_test.tally_map"), []byte("map[string]interface {}"), 1)
	return claimMillions(t, data)
}

// TestForgedCountsAreRefused: no count in a signed cookie can make one
// request use more than about 10 MB. gob makes room for as many entries as a
// map's count claims before it reads one (Go issue 79539): a session sent as
// a map let a stream of under 40 bytes claiming 2^26 entries allocate about
// 5 GB, and a map nested in a value, 99 bytes, 3.4 GB. A session now travels
// key by key, and a map or a list of any inside it entry by entry after a
// mark whose count no one trusts: the entries are added as they arrive. What
// gob still makes room for is bounded by gob: 10 MB for a message or a list
// of text, and such lists do not nest. A cookie in a previous form, a map, is
// refused like any data that cannot be decoded.
func TestForgedCountsAreRefused(t *testing.T) {
	good := goodCookie(t, testKey)
	now := time.Now().Unix()
	var previousForm bytes.Buffer
	gob.NewEncoder(&previousForm).Encode(map[string]any{"groceries": []string{"Milk"}})
	lists := []any{key("k")}
	for range 40 { // as many as a cookie holds
		lists = append(lists, sessions.Mark{Form: "[]interface {}", Count: 1 << 62})
	}
	for _, tt := range []struct {
		name  string
		data  []byte
		limit uint64 // bytes the request may allocate
	}{
		{"a session in the previous form, a map", previousForm.Bytes(), 1 << 20},
		{"a map claiming 2^26 entries", hugeMap(t), 4 << 20},
		{"a message claiming 1 GB", []byte("\xfc\x40\x00\x00\x00key"), 16 << 20}, // 2^30, as gob writes it
		{"a map in a value claiming 2^26 entries",
			forgedData(t, key("k"), sessions.Mark{Form: "map[string]interface {}", Count: 1 << 26}, key("Milk"), 1), 1 << 20},
		{"a map of numbers in a value claiming 2^26 entries",
			forgedData(t, key("k"), sessions.Mark{Form: "map[string]int", Count: 1 << 26}, key("Milk"), 1), 1 << 20},
		{"a list of text in a value claiming 2^26 items",
			forgedData(t, key("k"), sessions.Mark{Form: "[]string", Count: 1 << 26}, key("Milk")), 1 << 20},
		{"a list in a value claiming 2^26 items", forgedData(t, key("k"), sessions.Mark{Form: "[]interface {}", Count: 1 << 26}, "Milk"), 1 << 20},
		{"a map in a value as gob sends it, claiming 2^26 entries", gobsOwnMap(t), 1 << 20},
		{"a list of text claiming 2^26 items", claimMillions(t, forgedData(t, key("k"), []string{"Milk"})), 16 << 20},
		{"40 lists in lists, each claiming 2^62 items, then a list of text claiming 2^26",
			claimMillions(t, forgedData(t, append(lists, []string{"Milk"})...)), 16 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, len(sessions.From(r))) })
			b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, tt.data)}
			var body string
			allocated := allocatedBy(func() { _, body, _ = b.get("/") })
			if body != "0" || strings.Count(logs.String(), "\n") != 1 || !strings.Contains(logs.String(), "cannot be decoded") {
				t.Errorf("the view saw %s keys, log %q; want an empty session and one line saying why", body, logs)
			}
			if allocated > tt.limit {
				t.Errorf("%d bytes of signed data made the request allocate %d MB, more than %d MB", len(tt.data), allocated>>20, tt.limit>>20)
			}
			t.Logf("%d bytes of data: %.2f MB allocated", len(tt.data), float64(allocated)/(1<<20))
		})
	}
}

// TestDamagedSignedDataNeverPanics: no cookie makes the session layer panic,
// even one signed with the secret key whose data is damaged: cut short at
// every byte, or with any one bit flipped. The view always runs, with the
// session decoded or with an empty one, and no request allocates more than
// the bound encode states (about 10 MB).
func TestDamagedSignedDataNeverPanics(t *testing.T) {
	good := goodCookie(t, testKey)
	now := time.Now().Unix()
	data := gobOf(sessions.Session{
		"groceries": []string{"Bread", "Milk"}, "n": 3, "when": time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		"nested": map[string]any{"list": []any{"x", 1.5}}, "flags": map[string]bool{"organic": true},
		"point": Point{1, 2}, "_permanent": true,
	})
	var damaged [][]byte
	for n := range data {
		damaged = append(damaged, data[:n])
	}
	for i := range data {
		for bit := range 8 {
			d := bytes.Clone(data)
			d[i] ^= 1 << bit
			damaged = append(damaged, d)
		}
	}
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["visits"] = s.Get("visits", 0) // a change, so the session is saved again too
		fmt.Fprint(w, "page")
	})
	var most uint64
	for i, d := range damaged {
		b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, d)}
		var resp *http.Response
		var body string
		allocated := allocatedBy(func() { resp, body, _ = b.get("/") })
		most = max(most, allocated)
		if resp.StatusCode != http.StatusOK || body != "page" {
			t.Fatalf("damaged data %d (%q): status %d, %q", i, d, resp.StatusCode, body)
		}
		if allocated > 16<<20 {
			t.Errorf("damaged data %d (%q) made the request allocate %d MB", i, d, allocated>>20)
		}
	}
	t.Logf("%d damaged cookies; the most one allocated: %.2f MB", len(damaged), float64(most)/(1<<20))
}

// FuzzSignedData: whatever data a cookie signed with the secret key holds,
// the view runs, and the request allocates no more than the bound encode
// states (about 10 MB). Run it with
//
//	go test -run '^$' -fuzz FuzzSignedData -parallel 1
func FuzzSignedData(f *testing.F) {
	f.Add(gobOf(sessions.Session{
		"groceries": []string{"Bread", "Milk"}, "n": 3, "when": time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		"nested": map[string]any{"list": []any{"x", 1.5, map[string]int{"a": 1}}}, "flags": map[string]bool{"organic": true},
		"point": Point{1, 2}, "labels": map[string]string{"a": "b"}, "prices": map[string]float64{"Milk": 1.25},
	}))
	f.Add([]byte{})
	good := goodCookie(f, testKey)
	now := time.Now().Unix()
	m, _ := newManager(f, sessions.Config{})
	b := newBrowser(f, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["visits"] = s.Get("visits", 0) // a change, so the session is saved again too
		fmt.Fprint(w, "page")
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		b.t = t
		b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, data)}
		var resp *http.Response
		var body string
		allocated := allocatedBy(func() { resp, body, _ = b.get("/") })
		if resp.StatusCode != http.StatusOK || body != "page" {
			t.Fatalf("status %d, %q", resp.StatusCode, body)
		}
		if allocated > 16<<20 {
			t.Errorf("%d bytes of signed data made the request allocate %d MB", len(data), allocated>>20)
		}
	})
}
