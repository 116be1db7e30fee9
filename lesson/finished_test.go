package sessions_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"maps"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
)

func (p page) expect(t *testing.T, step string, message string, list ...string) {
	t.Helper()
	if p.status != http.StatusOK || p.message != message || !slices.Equal(p.list, list) {
		t.Errorf("%s: status %d, message %q, list %q; want 200, %q, %q", step, p.status, p.message, p.list, message, list)
	}
}

func TestApp(t *testing.T) {
	if testing.Short() {
		t.Skip("the end-to-end test builds and runs main.go; skipped with -short")
	}
	const key = "end-to-end test key"
	bin := build(t, ".")
	a := startProgram(t, bin, "", "SECRET_KEY="+key)
	v := a.newVisitor(t)

	t.Run("lesson", func(t *testing.T) {
		p := v.get()
		p.expect(t, "first visit", "")
		if !strings.Contains(p.body, "<h1>Session Practice</h1>") || !strings.Contains(p.body, `name="new_item" required maxlength="60"`) {
			t.Errorf("the page lacks the lesson's heading or input:\n%s", p.body)
		}
		if strings.Contains(p.body, "Grocery List") {
			t.Error("an empty list shows the Grocery List form")
		}
		if c := v.cookie(); c == nil {
			t.Error("the first GET stored no session cookie (23.5.2)")
		}
		v.add("milk").expect(t, "add milk", "You just added 'Milk' to the list.", "Milk")
		v.add("green apples").expect(t, "title case", "You just added 'Green Apples' to the list.", "Green Apples", "Milk")
		v.add("bREAD").expect(t, "title case", "You just added 'Bread' to the list.", "Bread", "Green Apples", "Milk")
		v.add("o'neil's jam").expect(t, "apostrophe", "You just added 'O'Neil'S Jam' to the list.", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		other := a.newVisitor(t)
		other.add("日本tea").expect(t, "title case across scripts, as Python's str.title()", "You just added '日本Tea' to the list.", "日本Tea")
		v.add("  MILK ").expect(t, "duplicate", "The list already contains 'Milk'.", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		p = v.get()
		p.expect(t, "reload", "", "Bread", "Green Apples", "Milk", "O'Neil'S Jam")
		if !strings.Contains(p.body, "<h2>Grocery List</h2>") || !strings.Contains(p.body, `value="remove">Remove Selected`) {
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
			{"tab\there", "Items cannot contain control characters such as tabs or line breaks."},
			{"line\nbreak", "Items cannot contain control characters such as tabs or line breaks."},
			{"bad \xff byte", "That item is not valid text (UTF-8), so it was not added."},
		} {
			v.add(tt.item).expect(t, fmt.Sprintf("add %q", tt.item), tt.message, list...)
		}
		v.add(strings.Repeat("é", 60)).expect(t, "60 letters", "You just added '"+"É"+strings.Repeat("é", 59)+"' to the list.",
			append(slices.Clone(list), "É"+strings.Repeat("é", 59))...)
		v.remove("É" + strings.Repeat("é", 59))

		r, _ := http.NewRequest(http.MethodPost, a.url+"/", strings.NewReader("submit_action=add&new_item="+strings.Repeat("x", 70<<10)))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p := v.do(r)
		if want := "That form was larger than 64 KB, so it was not read and nothing was changed. Go back to the page"; p.status != http.StatusRequestEntityTooLarge || !strings.Contains(p.body, want) {
			t.Errorf("a 70 KB form: %d %q; want 413 and %q", p.status, p.body, want)
		}
		v.get().expect(t, "the page again after the large form", "", list...)

		r, _ = http.NewRequest(http.MethodPost, a.url+"/", strings.NewReader("submit_action=add&new_item=%zz"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		p = v.do(r)
		if want := `The form could not be read (invalid URL escape "%zz"), so nothing was changed. Go back to the page`; p.status != http.StatusBadRequest || !strings.Contains(p.body, want) {
			t.Errorf("a form that cannot be read: %d %q; want 400 and %q", p.status, p.body, want)
		}
		v.get().expect(t, "the page again after the unreadable form", "", list...)
	})

	t.Run("invisible characters", func(t *testing.T) {
		other := a.newVisitor(t)
		other.add("milk")
		blank := "Please type an item before clicking Add Item."
		for _, tt := range []struct{ name, item, message string }{
			{"a zero-width space", "\u200b", blank},
			{"a Hangul filler", "\u3164", blank},
			{"the blank braille pattern", "\u2800", blank},
			{"a byte order mark", "\ufeff", blank},
			{"a soft hyphen", "\u00ad", blank},
			{"tag characters", "\U000e0041\U000e0042", blank},
			{"a variation selector", "\ufe0f", blank},
			{"invisible characters between spaces", " \u200b \u2060 ", blank},
			{"a zero-width space inside", "mi\u200blk", "The list already contains 'Milk'."},
			{"a byte order mark before", "\ufeffmilk", "The list already contains 'Milk'."},
			{"a soft hyphen inside", "mil\u00adk", "The list already contains 'Milk'."},
			{"a right-to-left override", "\u202emilk", "The list already contains 'Milk'."},
			{"a word joiner and tag characters", "milk\u2060\U000e0020", "The list already contains 'Milk'."},
		} {
			other.add(tt.item).expect(t, fmt.Sprintf("%s (%q)", tt.name, tt.item), tt.message, "Milk")
		}
		// The price of one rule for every invisible character: emoji joined by
		// U+200D come apart (a family shows as its members, one by one).
		other.add("\U0001f468\u200d\U0001f469\u200d\U0001f467").expect(t, "an emoji family",
			"You just added '\U0001f468\U0001f469\U0001f467' to the list.", "Milk", "\U0001f468\U0001f469\U0001f467")
	})

	// devserver's TestForms checks the 64 KB limit of both kinds of form;
	// here, that the app's buttons work from a multipart form.
	t.Run("multipart form", func(t *testing.T) {
		other := a.newVisitor(t)
		other.postMultipart(map[string][]string{"submit_action": {"add"}, "new_item": {"eggs"}}).
			expect(t, "Add Item from a form sent as multipart/form-data", "You just added 'Eggs' to the list.", "Eggs")
		other.add("milk")
		other.postMultipart(map[string][]string{"submit_action": {"remove"}, "del_items": {"Eggs", "Milk"}}).
			expect(t, "Remove Selected from a form sent as multipart/form-data", "")
	})

	t.Run("cross-site post", func(t *testing.T) {
		list := v.get().list
		r, _ := http.NewRequest(http.MethodPost, a.url+"/", strings.NewReader("submit_action=add&new_item=forged"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "cross-site")
		r.Header.Set("Origin", "https://evil.example")
		p := v.do(r)
		if p.status != http.StatusForbidden || !strings.Contains(p.body, "another web site") {
			t.Errorf("a cross-site POST: status %d, body %q; want 403 that says why", p.status, p.body)
		}
		r, _ = http.NewRequest(http.MethodPost, a.url+"/", strings.NewReader("submit_action=add&new_item=same+site"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", "same-origin")
		r.Header.Set("Origin", a.url)
		v.do(r).expect(t, "a same-origin POST", "You just added 'Same Site' to the list.", slices.Sorted(slices.Values(append(slices.Clone(list), "Same Site")))...)
		v.remove("Same Site").expect(t, "remove it", "", list...)
	})

	t.Run("second browser", func(t *testing.T) {
		other := a.newVisitor(t)
		other.get().expect(t, "a second browser", "")
		other.add("tea").expect(t, "its own list", "You just added 'Tea' to the list.", "Tea")
		if slices.Contains(v.get().list, "Tea") {
			t.Error("the first browser sees the second browser's item")
		}
	})

	t.Run("post before get", func(t *testing.T) {
		a.newVisitor(t).add("eggs").expect(t, "a POST with no cookie", "You just added 'Eggs' to the list.", "Eggs")
		fresh := a.newVisitor(t)
		fresh.remove("Eggs").expect(t, "Remove Selected with no cookie", "")
		fresh.get().expect(t, "then a GET", "")
	})

	t.Run("tampered cookie", func(t *testing.T) {
		other := a.newVisitor(t)
		other.add("cake")
		c := other.cookie()
		raw, _ := base64.URLEncoding.DecodeString(c.Value)
		raw[3] ^= 1 // change the timestamp: the signature no longer matches
		u, _ := url.Parse(a.url)
		other.client.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: base64.URLEncoding.EncodeToString(raw)}})
		other.get().expect(t, "after tampering", "")
		if !a.waitForLog("does not match the secret key") {
			t.Errorf("the server log does not report the tampered cookie:\n%s", a.log())
		}
	})

	t.Run("full list", func(t *testing.T) {
		other := a.newVisitor(t)
		var p page
		var added []string
		item := ""
		for i := 0; i < 500; i++ {
			item = fmt.Sprintf("Groceries %03d", i)
			if p = other.add(item); strings.HasPrefix(p.message, "The list is full") {
				break
			}
			added = append(added, item)
		}
		full := "The list is full: a session cookie holds about 4 KB. Remove some items before adding '" + item + "'."
		if p.message != full || !slices.Equal(p.list, added) {
			t.Fatalf("after %d items: message %q, %d items shown; want %q", len(added), p.message, len(p.list), full)
		}
		if c := other.cookie(); c == nil || len("session")+len(c.Value) > 4096 {
			t.Errorf("the full list's cookie is %d bytes, over 4 KB", len(c.Value))
		}
		other.get().expect(t, "reload a full list", "", added...)
		// The full cookie passes; 20 KB more of headers do not (devserver's
		// TestHeaderLimit checks the limit itself; here, that the app has it).
		r, _ := http.NewRequest(http.MethodGet, a.url+"/", nil)
		r.Header.Set("X-Padding", strings.Repeat("a", 20<<10))
		if p := other.do(r); p.status != http.StatusRequestHeaderFieldsTooLarge {
			t.Errorf("a GET with the full cookie and 20 KB of other headers: %d, want 431 Request Header Fields Too Large", p.status)
		}
		other.remove(added[0]).expect(t, "make room", "", added[1:]...)
		other.add("Groceries Zzz").expect(t, "add again", "You just added 'Groceries Zzz' to the list.", append(slices.Clone(added[1:]), "Groceries Zzz")...)
		t.Logf("%d items of 13 characters fill the list", len(added))
	})

	t.Run("a list this app cannot use", func(t *testing.T) {
		// What a lesson experiment in the starter, which shares this app's
		// cookie, may leave under "groceries": a new list is started, the
		// page says what was there, and the session's other values stay.
		for _, tt := range []struct {
			name   string
			stored any
			was    string
		}{
			{"text", "milk", "string"},
			{"true or false", true, "bool"},
			{"a time", time.Date(2026, 11, 26, 10, 0, 0, 0, time.UTC), "time.Time"},
			{"a number", 5_000_000, "int"}, // {{range}} over it made 5 million checkboxes
			{"a list of numbers", []int{1, 2}, "[]int"},
			{"a dictionary", map[string]any{"milk": 2}, "map[string]interface {}"},
			{"a list of any values", []any{"milk", "eggs"}, "[]interface {}"},
		} {
			t.Run(tt.name, func(t *testing.T) {
				other := a.newVisitor(t)
				other.setCookie(signedCookie(t, key, sessions.Session{"groceries": tt.stored, "visits": 3}))
				other.get().expect(t, "the first page", "The list was saved as "+tt.was+", not []string, so a new list was started.")
				stored, _, err := sessions.Peek(other.cookie().Value)
				if got, ok := stored["groceries"].([]string); err != nil || !ok || len(got) != 0 || stored["visits"] != 3 {
					t.Errorf("the cookie now holds %#v (%v); want an empty list, and visits still 3", stored, err)
				}
				other.get().expect(t, "a reload", "")
				other.add("bread").expect(t, "add an item", "You just added 'Bread' to the list.", "Bread")
			})
		}
		t.Run("a POST before any GET", func(t *testing.T) {
			other := a.newVisitor(t)
			other.setCookie(signedCookie(t, key, sessions.Session{"groceries": "milk"}))
			other.add("bread").expect(t, "Add Item", "You just added 'Bread' to the list.", "Bread")
		})
	})

	t.Run("a session too full for the list", func(t *testing.T) {
		// Another app's values (about 3,950 bytes), and no list: the empty
		// list does not fit beside them, so the largest of them goes.
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
		removed := "The session cookie was too full for the list, so it no longer holds notes."
		for _, tt := range []struct {
			name    string
			send    func(v *visitor) page
			message string
			list    []string
		}{
			{"GET", (*visitor).get, removed, nil},
			{"Remove Selected", func(v *visitor) page { return v.remove("Milk") }, removed, nil},
			{"Add Item", func(v *visitor) page { return v.add("milk") }, removed + " You just added 'Milk' to the list.", []string{"Milk"}},
		} {
			t.Run(tt.name, func(t *testing.T) {
				other := a.newVisitor(t)
				other.setCookie(signedCookie(t, key, full))
				tt.send(other).expect(t, tt.name, tt.message, tt.list...)
				stored, _, err := sessions.Peek(other.cookie().Value)
				if _, ok := stored["groceries"].([]string); err != nil || !ok || stored["colour"] != "green" || stored["notes"] != nil {
					t.Errorf("the cookie now holds the keys %q (%v); want colour, groceries as a list, and notes gone", slices.Sorted(maps.Keys(stored)), err)
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
			r, _ := http.NewRequest(tt.method, a.url+tt.path, nil)
			p := v.do(r)
			if p.status != tt.status || tt.header != "" && p.header.Get(tt.header) != tt.want {
				t.Errorf("%s %s: %d %s=%q; want %d %q", tt.method, tt.path, p.status, tt.header, p.header.Get(tt.header), tt.status, tt.want)
			}
		}
		r, _ := http.NewRequest("GET", a.url+"/style.css", nil)
		if p := v.do(r); !strings.Contains(p.body, ".card") {
			t.Error("style.css is not the stylesheet")
		}
	})

	t.Run("banner", func(t *testing.T) {
		if want := " * Serving the finished app (main.go)\n * Debug mode: off\n * Running on " + a.url + "\n"; !strings.Contains(a.log(), want) {
			t.Errorf("the terminal shows\n%s\nwant the banner\n%s", a.log(), want)
		}
	})

	t.Run("port in use", func(t *testing.T) {
		out, err := exec.Command(bin, "-addr", strings.TrimPrefix(a.url, "http://")).CombinedOutput()
		if want := "This lesson's server is already running at " + a.url + ", probably in another terminal or VS Code tab. Stop it there with Ctrl+C"; err == nil || !strings.Contains(string(out), want) {
			t.Errorf("a second start on the port of the first: %v, %q; want an exit that says %q", err, out, want)
		}
	})

	t.Run("wrong folder", func(t *testing.T) {
		cmd := exec.Command(bin, "-addr", "127.0.0.1:0")
		cmd.Dir = t.TempDir() // no index.html here
		out, err := cmd.CombinedOutput()
		here, _ := filepath.Abs(".")
		if want := "There is no index.html in " + cmd.Dir + ". "; err == nil || !strings.Contains(string(out), want) ||
			!strings.Contains(string(out), "cd "+here+", then type go run main.go") {
			t.Errorf("starting in a folder without index.html: %v, %q; want an exit that says %q and to cd %s", err, out, want, here)
		}
	})

	t.Run("restart keeps the list", func(t *testing.T) {
		list := v.get().list
		a.stop()
		b := startProgram(t, bin, "", "SECRET_KEY="+key)
		v.a = b
		v.get().expect(t, "after a restart with the same SECRET_KEY", "", list...)
		c := startProgram(t, bin, "", "SECRET_KEY=another key")
		v.a = c
		v.get().expect(t, "after a restart with another SECRET_KEY", "")
	})
}

// signedCookie returns a session cookie value holding s, signed with key the
// way the app signs it: by a sessions.Manager with the same SECRET_KEY,
// through its Middleware.
func signedCookie(t *testing.T, key string, s sessions.Session) string {
	t.Helper()
	m, _ := newManager(t, sessions.Config{SecretKey: key})
	_, _, c := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { maps.Copy(sessions.From(r), s) }).get("/")
	if c == nil {
		t.Fatalf("the session %v made no cookie", s)
	}
	return c.Value
}

// setCookie gives the visitor's browser the session cookie value.
func (v *visitor) setCookie(value string) {
	u, _ := url.Parse(v.a.url)
	v.client.Jar.SetCookies(u, []*http.Cookie{{Name: "session", Value: value}})
}

// postMultipart posts form as a page with enctype="multipart/form-data" does.
func (v *visitor) postMultipart(form map[string][]string) page {
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	for name, values := range form {
		for _, value := range values {
			w.WriteField(name, value)
		}
	}
	w.Close()
	r, _ := http.NewRequest(http.MethodPost, v.a.url+"/", &body)
	r.Header.Set("Content-Type", w.FormDataContentType())
	return v.do(r)
}

// BenchmarkAppGET measures the whole handler stack of the built app (cross
// origin protection, session middleware, index, template) over HTTP: GET /
// with a 20-item list in the cookie.
func BenchmarkAppGET(b *testing.B) {
	a := startProgram(b, build(b, "."), "", "SECRET_KEY=benchmark key")
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	for _, item := range items(20) {
		resp, err := client.PostForm(a.url+"/", url.Values{"submit_action": {"add"}, "new_item": {item}})
		if err != nil {
			b.Fatal(err)
		}
		resp.Body.Close()
	}
	b.ReportAllocs()
	for b.Loop() {
		resp, err := client.Get(a.url + "/")
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
