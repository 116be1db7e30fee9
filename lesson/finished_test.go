package lesson

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"html"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// visitor is one browser on the finished app.
type visitor struct {
	t *testing.T
	*program.Browser
}

// page is what a visitor sees on the finished app: the status, the feedback
// line and the list, besides the whole page.
type page struct {
	program.Page
	message string
	list    []string
}

func (v visitor) do(r *http.Request) page {
	v.t.Helper()
	p, err := v.Do(r)
	if err != nil {
		v.t.Fatal(err)
	}
	return finishedPage(p)
}

// finishedPage reads the feedback line and the list off a page of the
// finished app.
func finishedPage(p program.Page) page {
	fp := page{Page: p}
	if _, rest, ok := strings.Cut(p.Body, `<p class="message" role="status" id="message">`); ok {
		msg, _, _ := strings.Cut(rest, "</p>")
		fp.message = html.UnescapeString(msg)
	}
	for _, part := range strings.Split(p.Body, `name="del_items" value="`)[1:] {
		item, _, _ := strings.Cut(part, `"`)
		fp.list = append(fp.list, html.UnescapeString(item))
	}
	return fp
}

func (v visitor) get() page {
	r, _ := http.NewRequest(http.MethodGet, v.URL+"/", nil)
	return v.do(r)
}

func (v visitor) post(form url.Values) page {
	r, _ := http.NewRequest(http.MethodPost, v.URL+"/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(r)
}

func (v visitor) add(item string) page {
	return v.post(url.Values{"submit_action": {"add"}, "new_item": {item}})
}

func (v visitor) remove(items ...string) page {
	return v.post(url.Values{"submit_action": {"remove"}, "del_items": items})
}

// session returns what the visitor's session cookie holds.
func (v visitor) session() sessions.Session {
	v.t.Helper()
	c := v.Cookie("session")
	if c == nil {
		v.t.Fatal("the browser has no session cookie")
	}
	s, _, err := sessions.Peek(c.Value)
	if err != nil {
		v.t.Fatal(err)
	}
	return s
}

// postMultipart posts form as a page with enctype="multipart/form-data" does.
func (v visitor) postMultipart(form map[string][]string) page {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for name, values := range form {
		for _, value := range values {
			w.WriteField(name, value)
		}
	}
	w.Close()
	r, _ := http.NewRequest(http.MethodPost, v.URL+"/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(r)
}

func (p page) expect(t *testing.T, step string, message string, list ...string) {
	t.Helper()
	if p.Status != http.StatusOK || p.message != message || !slices.Equal(p.list, list) {
		t.Errorf("%s: status %d, message %q, list %q; want 200, %q, %q", step, p.Status, p.message, p.list, message, list)
	}
}

// signedCookie returns a session cookie value holding s, signed with key the
// way the app signs it: by a sessions.Manager with the same SECRET_KEY,
// through its Middleware.
func signedCookie(t *testing.T, key string, s sessions.Session) string {
	t.Helper()
	m, err := sessions.New(sessions.Config{SecretKey: key})
	if err != nil {
		t.Fatal(err)
	}
	w := httptest.NewRecorder()
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		maps.Copy(sessions.From(r), s)
	})).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
	for _, c := range w.Result().Cookies() {
		return c.Value
	}
	t.Fatalf("the session %v made no cookie", s)
	return ""
}

// TestFinished uses the finished app (finished/main.go) as a browser would:
// the lesson's steps, then everything a learner might type or leave in the
// cookie.
func TestFinished(t *testing.T) {
	testenv.NeedsFinished(t)
	testenv.NeedsPrograms(t)
	const key = "end-to-end test key"
	root := testenv.Root(t)
	bin := testenv.Build(t, filepath.Join(root, "finished"))
	// Started from the top folder, as go run finished/main.go is: it still
	// reads its page and stylesheet from finished/, as Flask reads them
	// from the app's root_path.
	a := testenv.Run(t, bin, root, "SECRET_KEY="+key)
	v := visitor{t, a.Browser()}

	t.Run("lesson", func(t *testing.T) {
		p := v.get()
		p.expect(t, "first visit", "")
		if !strings.Contains(p.Body, "<h1>Session Practice</h1>") || !strings.Contains(p.Body, `name="new_item" required maxlength="60"`) {
			t.Errorf("the page lacks the lesson's heading or input:\n%s", p.Body)
		}
		if strings.Contains(p.Body, "Grocery List") {
			t.Error("an empty list shows the Grocery List form")
		}
		if c := v.Cookie("session"); c == nil {
			t.Error("the first GET stored no session cookie (23.5.2)")
		}
		p = v.add("milk")
		p.expect(t, "add milk", "You just added 'Milk' to the list.", "Milk")
		// The field has the focus, and the message comes after it: a screen
		// reader reads the message as the field's description.
		if !strings.Contains(p.Body, `autofocus aria-describedby="message">`) {
			t.Errorf("the text field is not described by the message:\n%s", p.Body)
		}
		if p = v.get(); strings.Contains(p.Body, "aria-describedby") {
			t.Errorf("with no message, the text field is still described by one:\n%s", p.Body)
		}
		v.add("green apples").expect(t, "title case", "You just added 'Green Apples' to the list.", "Green Apples", "Milk")
		v.add("bREAD").expect(t, "title case", "You just added 'Bread' to the list.", "Bread", "Green Apples", "Milk")
		v.add("o'neil's jam").expect(t, "apostrophe", "You just added 'O'Neil'S Jam' to the list.", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		other := visitor{t, a.Browser()}
		other.add("日本tea").expect(t, "title case across scripts, as Python's str.title()", "You just added '日本Tea' to the list.", "日本Tea")
		// U+01C6 (dž) has a title case of its own, U+01C5 (Dž), which is not
		// its upper case, U+01C4 (DŽ): Python's .title() gives Dž.
		other.add("\u01c6em").expect(t, "a title-case digraph", "You just added '\u01c5em' to the list.", "\u01c5em", "日本Tea")
		v.add("  MILK ").expect(t, "duplicate", "The list already contains 'Milk'.", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		p = v.get()
		p.expect(t, "reload", "", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		if !strings.Contains(p.Body, "<h2>Grocery List</h2>") || !strings.Contains(p.Body, `value="remove">Remove Selected`) {
			t.Error("the list form lacks its heading or Remove Selected button")
		}
		v.remove("Milk", "Bread", "Not On The List").expect(t, "remove", "", "Green Apples", "O'Neil'S Jam")
		v.post(url.Values{"submit_action": {"unknown"}}).expect(t, "unknown action", "", "Green Apples", "O'Neil'S Jam")
		v.post(url.Values{}).expect(t, "empty form", "", "Green Apples", "O'Neil'S Jam")
	})

	t.Run("bad input", func(t *testing.T) {
		list := v.get().list
		for _, tt := range []struct{ item, message string }{
			{"", "Please type an item before clicking Add Item."},
			{"   ", "Please type an item before clicking Add Item."},
			{strings.Repeat("x", 61), "Items can be at most 60 characters long; that one has 61."},
			{strings.Repeat("é", 61), "Items can be at most 60 characters long; that one has 61."},
			{"tab\there", "Items cannot contain control characters such as tabs or line breaks."},
			{"line\nbreak", "Items cannot contain control characters such as tabs or line breaks."},
			{"bad \xff byte", "That item is not valid text (UTF-8), so it was not added."},
		} {
			v.add(tt.item).expect(t, fmt.Sprintf("add %q", tt.item), tt.message, list...)
		}
		v.add(strings.Repeat("é", 60)).expect(t, "60 letters", "You just added '"+"É"+strings.Repeat("é", 59)+"' to the list.",
			append(slices.Clone(list), "É"+strings.Repeat("é", 59))...)
		v.remove("É" + strings.Repeat("é", 59))

		r, _ := http.NewRequest(http.MethodPost, a.URL+"/", strings.NewReader("submit_action=add&new_item="+strings.Repeat("x", 70<<10)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := v.do(r)
		if want := "That form was larger than 64 KB, so it was not read and nothing was changed. Go back to the page"; p.Status != http.StatusRequestEntityTooLarge || !strings.Contains(p.Body, want) {
			t.Errorf("a 70 KB form: %d %q; want 413 and %q", p.Status, p.Body, want)
		}
		v.get().expect(t, "the page again after the large form", "", list...)

		r, _ = http.NewRequest(http.MethodPost, a.URL+"/", strings.NewReader("submit_action=add&new_item=%zz"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p = v.do(r)
		if want := `The form could not be read (invalid URL escape "%zz"), so nothing was changed. Go back to the page`; p.Status != http.StatusBadRequest || !strings.Contains(p.Body, want) {
			t.Errorf("a form that cannot be read: %d %q; want 400 and %q", p.Status, p.Body, want)
		}
		v.get().expect(t, "the page again after the unreadable form", "", list...)
	})

	t.Run("invisible characters", func(t *testing.T) {
		other := visitor{t, a.Browser()}
		other.add("milk")
		blank := "Please type an item before clicking Add Item."
		for _, tt := range []struct{ name, item, message string }{
			{"a zero-width space", "\u200b", blank},
			{"a Hangul filler", "\u3164", blank},
			{"the blank braille pattern", "\u2800", blank},
			{"the object replacement character", "\ufffc", blank},
			{"a byte order mark", "\ufeff", blank},
			{"a soft hyphen", "\u00ad", blank},
			{"tag characters", "\U000e0041\U000e0042", blank},
			{"a variation selector", "\ufe0f", blank},
			{"invisible characters between spaces", " \u200b \u2060 ", blank},
			{"a zero-width space inside", "mi\u200blk", "The list already contains 'Milk'."},
			{"a byte order mark before", "\ufeffmilk", "The list already contains 'Milk'."},
			{"a soft hyphen inside", "mil\u00adk", "The list already contains 'Milk'."},
			{"an object replacement character inside", "mil\ufffck", "The list already contains 'Milk'."},
			{"a right-to-left override", "\u202emilk", "The list already contains 'Milk'."},
			{"a word joiner and tag characters", "milk\u2060\U000e0020", "The list already contains 'Milk'."},
		} {
			other.add(tt.item).expect(t, fmt.Sprintf("%s (%q)", tt.name, tt.item), tt.message, "Milk")
		}
		// Two invisible characters change how emoji look, so an item keeps
		// them there: the joiner between two emoji (a family is one picture)
		// and the variation selector after a symbol (a red heart). Anywhere
		// else they go, as the others do.
		family := "\U0001f468\u200d\U0001f469\u200d\U0001f467"
		cook := "\U0001f469\U0001f3fd\u200d\U0001f373" // with a skin tone
		redHeart := "\u2764\ufe0f"
		fire := redHeart + "\u200d\U0001f525" // a heart on fire: the joiner after the selector
		keycap := "1\ufe0f\u20e3"
		list := []string{"Milk"}
		for _, tt := range []struct{ name, item, kept string }{
			{"an emoji family", family, family},
			{"a cook with a skin tone", cook, cook},
			{"a red heart", redHeart, redHeart},
			{"a heart on fire", fire, fire},
			{"a keycap", keycap, keycap},
			{"a lone joiner and selector, and an emoji after them", "\u200d\ufe0f\u2615", "\u2615"},
		} {
			list = slices.Sorted(slices.Values(append(list, tt.kept)))
			other.add(tt.item).expect(t, fmt.Sprintf("%s (%q)", tt.name, tt.item), "You just added '"+tt.kept+"' to the list.", list...)
		}
		for _, tt := range []struct{ name, item, message string }{
			{"a joiner alone", "\u200d", blank},
			{"a joiner and a selector", " \u200d\ufe0f ", blank},
			{"a joiner after a word", "milk\u200d", "The list already contains 'Milk'."},
			{"a selector after a word", "milk\ufe0f", "The list already contains 'Milk'."},
			{"a joiner at the end", "\u2615\u200d", "The list already contains '\u2615'."},
			{"two selectors", "\u2764\ufe0f\ufe0f", "The list already contains '" + redHeart + "'."},
			{"two joiners", "\U0001f468\u200d\u200d\U0001f469\u200d\U0001f467", "The list already contains '" + family + "'."},
			{"a zero-width space inside an emoji family", "\U0001f468\u200d\U0001f469\u200b\u200d\U0001f467", "The list already contains '" + family + "'."},
		} {
			other.add(tt.item).expect(t, fmt.Sprintf("%s (%q)", tt.name, tt.item), tt.message, list...)
		}
	})

	// devserver's TestForms checks the 64 KB limit of both kinds of form;
	// here, that the app's buttons work from a multipart form.
	t.Run("multipart form", func(t *testing.T) {
		other := visitor{t, a.Browser()}
		other.postMultipart(map[string][]string{"submit_action": {"add"}, "new_item": {"eggs"}}).
			expect(t, "Add Item from a form sent as multipart/form-data", "You just added 'Eggs' to the list.", "Eggs")
		other.add("milk")
		other.postMultipart(map[string][]string{"submit_action": {"remove"}, "del_items": {"Eggs", "Milk"}}).
			expect(t, "Remove Selected from a form sent as multipart/form-data", "")
	})

	t.Run("cross-site post", func(t *testing.T) {
		list := v.get().list
		r, _ := http.NewRequest(http.MethodPost, a.URL+"/", strings.NewReader("submit_action=add&new_item=forged"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		p := v.do(r)
		if p.Status != http.StatusForbidden || !strings.Contains(p.Body, "another web site") {
			t.Errorf("a cross-site POST: status %d, body %q; want 403 that says why", p.Status, p.Body)
		}
		r, _ = http.NewRequest(http.MethodPost, a.URL+"/", strings.NewReader("submit_action=add&new_item=same+site"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Origin", a.URL)
		v.do(r).expect(t, "a same-origin POST", "You just added 'Same Site' to the list.", slices.Sorted(slices.Values(append(slices.Clone(list), "Same Site")))...)
		v.remove("Same Site").expect(t, "remove it", "", list...)
	})

	t.Run("second browser", func(t *testing.T) {
		other := visitor{t, a.Browser()}
		other.get().expect(t, "a second browser", "")
		other.add("tea").expect(t, "its own list", "You just added 'Tea' to the list.", "Tea")
		if slices.Contains(v.get().list, "Tea") {
			t.Error("the first browser sees the second browser's item")
		}
	})

	t.Run("post before get", func(t *testing.T) {
		visitor{t, a.Browser()}.add("eggs").expect(t, "a POST with no cookie", "You just added 'Eggs' to the list.", "Eggs")
		fresh := visitor{t, a.Browser()}
		fresh.remove("Eggs").expect(t, "Remove Selected with no cookie", "")
		fresh.get().expect(t, "then a GET", "")
	})

	t.Run("tampered cookie", func(t *testing.T) {
		other := visitor{t, a.Browser()}
		other.add("cake")
		raw, _ := base64.URLEncoding.DecodeString(other.Cookie("session").Value)
		raw[3] ^= 1 // change the timestamp: the signature no longer matches
		other.SetCookie(&http.Cookie{Name: "session", Value: base64.URLEncoding.EncodeToString(raw)})
		other.get().expect(t, "after tampering", "")
		if a.WaitFor(0, "does not match the secret key") < 0 {
			t.Errorf("the server log does not report the tampered cookie:\n%s", a.Terminal())
		}
	})

	t.Run("full list", func(t *testing.T) {
		// The session layer refuses the item that would outgrow the cookie,
		// with a page that says so; the list stays as it was.
		other := visitor{t, a.Browser()}
		var p page
		var added []string
		for i := 0; i < 500; i++ {
			item := fmt.Sprintf("Groceries %03d", i)
			if p = other.add(item); p.Status != http.StatusOK {
				break
			}
			added = append(added, item)
		}
		full := "The session is full, so this change was not saved: its cookie would take "
		if p.Status != http.StatusConflict || !strings.Contains(p.Body, full) ||
			!strings.Contains(p.Body, "Go back to the page, and remove something if it has a way to.") {
			t.Fatalf("after %d items: %d %q; want 409 and a page that starts %q", len(added), p.Status, p.Body, full)
		}
		if c := other.Cookie("session"); c == nil || len("session")+len(c.Value) > 4096 {
			t.Errorf("the full list's cookie is %d bytes, over 4 KB", len(c.Value))
		}
		other.get().expect(t, "back to the page", "", added...)
		// The full cookie passes; 20 KB more of headers do not (devserver's
		// TestHeaderLimit checks the limit itself; here, that the app has it).
		r, _ := http.NewRequest(http.MethodGet, a.URL+"/", nil)
		r.Header.Set("X-Padding", strings.Repeat("a", 20<<10))
		if p := other.do(r); p.Status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a GET with the full cookie and 20 KB of other headers: %d, want 431 Request Header Fields Too Large", p.Status)
		}
		other.remove(added[0]).expect(t, "make room", "", added[1:]...)
		other.add("Groceries Zzz").expect(t, "add again", "You just added 'Groceries Zzz' to the list.", append(slices.Clone(added[1:]), "Groceries Zzz")...)
		t.Logf("%d items of 13 characters fill the list", len(added))
	})

	t.Run("a list this app cannot use", func(t *testing.T) {
		// What a lesson experiment in the starter, which shares this app's
		// cookie, may leave under "groceries": a new list is started, and
		// the session's other values stay.
		for _, tt := range []struct {
			name   string
			stored any
		}{
			{"text", "milk"},
			{"true or false", true},
			{"a time", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC)},
			{"a number", 5_000_000}, // {{range}} over it made 5 million checkboxes
			{"a list of numbers", []int{1, 2}},
			{"a dictionary", map[string]any{"milk": 2}},
			{"a list of any values", []any{"milk", "eggs"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				other := visitor{t, a.Browser()}
				other.SetCookie(&http.Cookie{Name: "session", Value: signedCookie(t, key, sessions.Session{"groceries": tt.stored, "visits": 3})})
				other.get().expect(t, "the first page", "")
				stored := other.session()
				if got, ok := stored["groceries"].([]string); !ok || len(got) != 0 || stored["visits"] != 3 {
					t.Errorf("the cookie now holds %#v; want an empty list, and visits still 3", stored)
				}
				other.add("bread").expect(t, "add an item", "You just added 'Bread' to the list.", "Bread")
			})
		}
		t.Run("a POST before any GET", func(t *testing.T) {
			other := visitor{t, a.Browser()}
			other.SetCookie(&http.Cookie{Name: "session", Value: signedCookie(t, key, sessions.Session{"groceries": "milk"})})
			other.add("bread").expect(t, "Add Item", "You just added 'Bread' to the list.", "Bread")
		})
	})

	t.Run("a session too full for the list", func(t *testing.T) {
		// Another app's values (about 3,950 bytes), and no list: the empty
		// list does not fit beside them. Nothing is removed to make room:
		// each request gets the full-session page, and the cookie stays.
		full := sessions.Session{"colour": "green", "notes": ""}
		for n := 2000; full.CheckSize() == nil; n++ {
			full["notes"] = strings.Repeat("x", n)
		}
		full["notes"] = full["notes"].(string)[1:]
		withList := maps.Clone(full)
		withList["groceries"] = []string{}
		if full.CheckSize() != nil || withList.CheckSize() == nil {
			t.Fatal("the test's session should fit in a cookie, and no longer fit with an empty list beside it")
		}
		for _, tt := range []struct {
			name    string
			send    func(v visitor) page
			opening bool // the page stores something as it opens: the page says so
		}{
			{"GET", visitor.get, true},
			{"Remove Selected", func(v visitor) page { return v.remove("Milk") }, false},
			{"Add Item", func(v visitor) page { return v.add("milk") }, false},
		} {
			t.Run(tt.name, func(t *testing.T) {
				other := visitor{t, a.Browser()}
				cookie := signedCookie(t, key, full)
				other.SetCookie(&http.Cookie{Name: "session", Value: cookie})
				p := tt.send(other)
				if p.Status != http.StatusConflict || !strings.Contains(p.Body, "The session is full, so this change was not saved") ||
					strings.Contains(p.Body, "Opening this page stores something") != tt.opening {
					t.Errorf("%s: %d %q; want the full-session page", tt.name, p.Status, p.Body)
				}
				if other.Cookie("session").Value != cookie {
					t.Errorf("the cookie changed; want the old one kept, notes and all")
				}
			})
		}
	})

	// devserver's TestDebugOnlyOnThisComputer checks which addresses debug
	// mode refuses; here, that the app, run without SECRET_KEY, does.
	t.Run("debug mode on another address", func(t *testing.T) {
		var env []string
		for _, kv := range os.Environ() {
			if !strings.HasPrefix(kv, "SECRET_KEY=") {
				env = append(env, kv)
			}
		}
		ctx, cancel := context.WithTimeout(t.Context(), 10*time.Second) // had it started serving, stop it
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, "-addr", "0.0.0.0:5000")
		cmd.Env = env
		cmd.WaitDelay = 5 * time.Second // and a child it started
		out, err := cmd.CombinedOutput()
		if want := "Set SECRET_KEY to any private phrase first"; err == nil || !strings.Contains(string(out), want) || strings.Contains(string(out), "Running on") {
			t.Errorf("debug mode with -addr 0.0.0.0:5000: %v, %q; want an exit that says %q", err, out, want)
		}
	})

	t.Run("routes", func(t *testing.T) {
		for _, tt := range []struct {
			method, path string
			status       int
			header, want string
		}{
			{"GET", "/nothing-here", http.StatusNotFound, "", ""},
			{"PUT", "/", http.StatusMethodNotAllowed, "Allow", "GET, HEAD, POST"},
			{"DELETE", "/", http.StatusMethodNotAllowed, "Allow", "GET, HEAD, POST"},
			{"GET", "/style.css", http.StatusOK, "Content-Type", "text/css; charset=utf-8"},
		} {
			r, _ := http.NewRequest(tt.method, a.URL+tt.path, nil)
			p := v.do(r)
			if p.Status != tt.status || tt.header != "" && p.Header.Get(tt.header) != tt.want {
				t.Errorf("%s %s: %d %s=%q; want %d %q", tt.method, tt.path, p.Status, tt.header, p.Header.Get(tt.header), tt.status, tt.want)
			}
		}
		r, _ := http.NewRequest("GET", a.URL+"/style.css", nil)
		if p := v.do(r); !strings.Contains(p.Body, ".card") {
			t.Error("style.css is not the stylesheet")
		}
	})

	t.Run("banner", func(t *testing.T) {
		if want := " * Serving the finished app (finished/main.go)\n * Debug mode: off\n * Running on " + a.URL + "\n"; !strings.Contains(a.Terminal(), want) {
			t.Errorf("the terminal shows\n%s\nwant the banner\n%s", a.Terminal(), want)
		}
	})

	t.Run("port in use", func(t *testing.T) {
		out, err := exec.Command(bin, "-addr", strings.TrimPrefix(a.URL, "http://")).CombinedOutput()
		if want := "This lesson's server is already running at " + a.URL + ", probably in another terminal or VS Code tab. Stop it there with Ctrl+C"; err == nil || !strings.HasPrefix(string(out), want) {
			t.Errorf("a second start on the port of the first: %v, %q; want an exit whose message starts %q, with no log date before it", err, out, want)
		}
	})

	t.Run("restart keeps the list", func(t *testing.T) {
		list := v.get().list
		a.Stop()
		b := testenv.Run(t, bin, root, "SECRET_KEY="+key)
		v.URL = b.URL // a new port on the same host: the browser sends the same cookie
		v.get().expect(t, "after a restart with the same SECRET_KEY", "", list...)
		c := testenv.Run(t, bin, root, "SECRET_KEY=another private key")
		v.URL = c.URL
		v.get().expect(t, "after a restart with another SECRET_KEY", "")
	})
}

// BenchmarkFinishedGET measures the whole handler stack of the built app
// (cross-origin protection, session middleware, index, template) over HTTP:
// GET / with a 20-item list in the cookie.
func BenchmarkFinishedGET(b *testing.B) {
	testenv.NeedsFinished(b)
	root := testenv.Root(b)
	a := testenv.Run(b, testenv.Build(b, filepath.Join(root, "finished")), root, "SECRET_KEY=the benchmark's key")
	browser := a.Browser()
	for i := range 20 {
		if _, err := browser.Post("/", url.Values{"submit_action": {"add"}, "new_item": {fmt.Sprintf("Item %02d", i+1)}}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := browser.Client.Get(a.URL + "/")
		if err != nil {
			b.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			b.Fatal(resp.Status)
		}
	}
}
