package lesson

import (
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// TestSharedCookie runs the finished app and the buttons page side by side,
// as a learner runs one after the other: one browser, one cookie for both
// (a browser's cookies do not tell ports apart). When a change would outgrow
// the cookie, it is refused with a page that says so, and neither app's
// values are removed to make room: a full list survives the buttons page,
// and 40 digits survive the item that does not fit beside them.
func TestSharedCookie(t *testing.T) {
	testenv.NeedsFinished(t)
	testenv.NeedsPrograms(t)
	root := testenv.Root(t)
	const key = "shared cookie test key"
	list := testenv.Run(t, testenv.Build(t, filepath.Join(root, "finished")), root, "SECRET_KEY="+key)
	keypad := testenv.Run(t, testenv.Build(t, filepath.Join(root, "buttons")), root, "SECRET_KEY="+key)
	const full = "The session is full, so this change was not saved"

	// apps returns a visitor of each app, sharing one cookie jar.
	apps := func(t *testing.T) (visitor, visitor) {
		v := visitor{t, list.Browser()}
		return v, visitor{t, &program.Browser{URL: keypad.URL, Client: v.Client}}
	}

	t.Run("a full list, then the buttons page", func(t *testing.T) {
		shop, buttons := apps(t)
		shop.get()
		// Items of 60 characters, then shorter ones, down to 3, until none
		// fits: no room is left for the buttons page's output.
		added := 0
		for n := 60; n >= 3; n-- {
			for {
				id := fmt.Sprintf("%c%c%c", 'a'+added/676%26, 'a'+added/26%26, 'a'+added%26) // each item its own
				if p := shop.add(id + strings.Repeat("z", n-3)); p.Status != http.StatusOK {
					if p.Status != http.StatusConflict || !strings.Contains(p.Body, full) {
						t.Fatalf("item %d refused with %d %q; want the full-session page", added+1, p.Status, p.Body)
					}
					break
				}
				added++
			}
		}
		before := shop.Cookie("session").Value
		p := buttons.get()
		if p.Status != http.StatusConflict || !strings.Contains(p.Body, full) || !strings.Contains(p.Body, "Opening this page stores something") {
			t.Errorf("the buttons page with a full list: %d %q; want 409, the full-session page, saying that the page stores something as it opens", p.Status, p.Body)
		}
		// A browser asks for HTML, and gets a page it can show, with a way back.
		if p, err := buttons.Get("/", "Accept", "text/html"); err != nil || p.Status != http.StatusConflict ||
			!strings.Contains(p.Body, "<title>The session is full</title>") || !strings.Contains(p.Body, `<a href="/">Go back to the page</a>`) {
			t.Errorf("the buttons page with a full list, asked for HTML: %d %q (%v); want 409 and the HTML page", p.Status, p.Body, err)
		}
		if bp := buttons.press(digit("4")); bp.status != http.StatusConflict || !strings.Contains(bp.body, full) {
			t.Errorf("a digit with a full list: %d %q; want the full-session page", bp.status, bp.body)
		}
		if shop.Cookie("session").Value != before {
			t.Error("the cookie changed")
		}
		if p := shop.get(); len(p.list) != added {
			t.Errorf("the finished app now lists %d items; want the %d added", len(p.list), added)
		}
		t.Logf("%d items filled the list", added)
	})

	t.Run("40 digits, then an item", func(t *testing.T) {
		shop, buttons := apps(t)
		buttons.Get("/")
		for range 40 {
			buttons.press(digit("7"))
		}
		shop.get()
		added := 0
		for i := 0; ; i++ {
			item := fmt.Sprintf("Item %03d %s", i, strings.Repeat("z", 51))
			p := shop.add(item)
			if p.Status != http.StatusOK {
				if p.Status != http.StatusConflict || !strings.Contains(p.Body, full) || strings.Contains(p.Body, "You just added") {
					t.Fatalf("item %d: %d %q; want the full-session page", i+1, p.Status, p.Body)
				}
				break
			}
			added++
		}
		stored := shop.session()
		if list, _ := stored["groceries"].([]string); stored["output"] != strings.Repeat("7", 40) || len(list) != added {
			t.Errorf("the cookie now holds output %q and %d items; want 40 sevens and the %d items added", stored["output"], len(list), added)
		}
		if p, err := buttons.Get("/"); err != nil || readButtonsPage(p).output != strings.Repeat("7", 40) {
			t.Errorf("the buttons page shows %q (%v); want the 40 digits", readButtonsPage(p).output, err)
		}
		t.Logf("%d items fit beside 40 digits", added)
	})
}
