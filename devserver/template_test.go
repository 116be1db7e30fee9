package devserver

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
)

// TestRenderTemplate: the page, read from the folder of main.go whatever the
// working folder, gets the view's values and the session, an edit shows on
// the next request, and a mistake in the template gives a clean 500 page that
// names it in debug mode only; the terminal names it always.
func TestRenderTemplate(t *testing.T) {
	root := tempDir(t)
	t.Chdir(tempDir(t))
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	view := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = []string{"Milk", "Eggs"}
		RenderTemplate(w, r, "index.html", map[string]any{"message": "Added Eggs."})
	})
	edit := func(step int, text string) {
		t.Helper()
		page := filepath.Join(root, "index.html")
		if err := os.WriteFile(page, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		stamp := time.Now().Add(time.Duration(step) * time.Second) // a new time even on coarse clocks
		os.Chtimes(page, stamp, stamp)
	}
	captureLog(t)
	debug := false
	get := func() (int, string) {
		app := newHandler(view, manager, appContext{root: root, debug: debug})
		return send(app, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil))
	}

	if status, page := get(); status != http.StatusInternalServerError || strings.Contains(page, "there is no index.html") {
		t.Errorf("with no index.html and debug mode off: %d %q, want a plain 500 page", status, page)
	}
	debug = true
	if _, page := get(); !strings.Contains(page, "there is no index.html in "+root+": the page must be in the folder of main.go") {
		t.Errorf("with no index.html in debug mode, the page is %q; want it to name the folder", page)
	}

	edit(1, `<h1>Session Practice</h1><p>{{.message}}</p>{{range .session.groceries}}<li>{{.}}</li>{{end}}`)
	if status, page := get(); status != http.StatusOK || page != `<h1>Session Practice</h1><p>Added Eggs.</p><li>Milk</li><li>Eggs</li>` {
		t.Errorf("the page: %d %q", status, page)
	}
	edit(2, `<h1>My Groceries</h1>`)
	if _, page := get(); page != `<h1>My Groceries</h1>` {
		t.Errorf("after an edit the page is %q, want the edited one", page)
	}

	broken := map[string]string{
		"a typo":                     `<h1>My Groceries</h1>{{range .session.groceries}}<li>{{.}}</li>{{end`,
		"an index past the list end": `<h1>My Groceries</h1>{{index .session.groceries 99}}`,
	}
	step := 3
	for _, debug = range []bool{true, false} {
		for mistake, text := range broken {
			logs := captureLog(t)
			edit(step, text)
			step++
			status, page := get()
			if status != http.StatusInternalServerError || strings.Contains(page, "<h1>") || !strings.HasPrefix(page, "500 Internal Server Error\n") {
				t.Errorf("debug %v, %s: %d %q; want a 500 page without half the page", debug, mistake, status, page)
			}
			if strings.Contains(page, "template: index.html:1:") != debug {
				t.Errorf("debug %v, %s: the page %q names the mistake: %v, want %v", debug, mistake, page, !debug, debug)
			}
			if !strings.Contains(logs.String(), "template: index.html:1:") {
				t.Errorf("debug %v, %s: the terminal shows %q, want the mistake", debug, mistake, logs)
			}
		}
	}
	edit(step, `<h1>Fixed</h1>`)
	if status, page := get(); status != http.StatusOK || page != `<h1>Fixed</h1>` {
		t.Errorf("after the fix: %d %q", status, page)
	}
}
