package devserver

import (
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
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
	root := t.TempDir()
	t.Chdir(t.TempDir())
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
			from := time.Now()
			status, page := get()
			if status != http.StatusInternalServerError || !strings.HasPrefix(page, "500 Internal Server Error\n") {
				t.Errorf("debug %v, %s: %d %q; want a 500 page without half the page", debug, mistake, status, page)
			}
			if strings.Contains(page, "template: index.html:1:") != debug {
				t.Errorf("debug %v, %s: the page %q names the mistake: %v, want %v", debug, mistake, page, !debug, debug)
			}
			if rest := logsAfterHeader(t, debug, logs.String(), "/", "GET", from, time.Now()); !strings.HasPrefix(rest, "template: index.html:1:") {
				t.Errorf("debug %v, %s: the terminal shows %q, want the mistake", debug, mistake, rest)
			}
		}
	}
	edit(step, `<h1>Fixed</h1>`)
	if status, page := get(); status != http.StatusOK || page != `<h1>Fixed</h1>` {
		t.Errorf("after the fix: %d %q", status, page)
	}
}

// TestJinjaTags: a tag of Jinja, Flask's template language, left in the page
// gives the template error page in debug mode, naming the line and what to
// write in Go instead, and a plain 500 otherwise; the terminal names it
// always. (Go's templates would show the tag as text, around all the page's
// data.)
func TestJinjaTags(t *testing.T) {
	root := t.TempDir()
	manager, err := sessions.New(sessions.Config{SecretKey: "test key, long enough"})
	if err != nil {
		t.Fatal(err)
	}
	view := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = []string{"Milk", "Eggs"}
		RenderTemplate(w, r, "index.html", nil)
	})
	step := 0
	get := func(page string, debug bool) (int, string, string) {
		t.Helper()
		step++
		writeFiles(t, root, map[string]string{"index.html": page})
		stamp := time.Now().Add(time.Duration(step) * time.Second) // a new time even on coarse clocks
		os.Chtimes(filepath.Join(root, "index.html"), stamp, stamp)
		logs := captureLog(t)
		status, body := send(newHandler(view, manager, appContext{root: root, debug: debug}), httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil))
		return status, body, logs.String()
	}
	const top = "<h1>Session Practice</h1>\n<ul>\n"
	for _, tt := range []struct {
		page, want string
	}{
		{top + "{% for item in session['groceries'] %}\n<li>{{.}}</li>\n{% endfor %}\n</ul>",
			"index.html:3: {% for item in session['groceries'] %} is Jinja, the template language of Flask; Go's templates do not know it. " +
				"Write {{range .session.groceries}} instead, {{.}} for item inside it, and {{end}} where {% endfor %} was."},
		{top + "{%for item in session.groceries%}<li>{{item}}</li>{%endfor%}</ul>",
			"index.html:3: {%for item in session.groceries%} is Jinja, the template language of Flask; Go's templates do not know it. " +
				"Write {{range .session.groceries}} instead"},
		{top + "{% if session['groceries'] %}<li>yes</li>{% endif %}</ul>", "index.html:3: {% if session['groceries'] %} is Jinja" +
			", the template language of Flask; Go's templates do not know it. Write {{if .session.groceries}} instead, and {{end}} where {% endif %} was."},
		{top + "</ul>\n{# the list #}", "index.html:4: {# the list #} is Jinja, the template language of Flask; Go's templates do not know it. " +
			"A comment in Go's templates is written {{/* like this */}}."},
		{top + "{{range .session.groceries}}<li>{{.}}</li>{% endfor %}</ul>", "index.html:3: {% endfor %} is Jinja"},
		{top + "{{range .session.groceries}}<li>{{.}}</li>\n{{end %}</ul>", "index.html:4: %} is Jinja"},
	} {
		for _, debug := range []bool{true, false} {
			status, page, logs := get(tt.page, debug)
			if status != http.StatusInternalServerError || !strings.HasPrefix(page, "500 Internal Server Error\n") || strings.Contains(page, "map[") {
				t.Errorf("debug %v, %q: %d %q; want a 500 page, not the page with the tag as text", debug, tt.page, status, page)
			}
			if strings.Contains(page, tt.want) != debug {
				t.Errorf("debug %v, %q: the page %q names the tag: %v, want %v:\n%s", debug, tt.page, page, !debug, debug, tt.want)
			}
			if !strings.Contains(logs, tt.want) {
				t.Errorf("debug %v: the terminal shows %q; want %q", debug, logs, tt.want)
			}
		}
	}
	// Percent signs and hashes that are not Jinja, and a Jinja tag in a Go
	// comment, as buttons.html has.
	const css = "<style>.bar{width:100%}</style>{{/* Jinja's {% for item in session['groceries'] %} */}}" +
		"<p>100% {{len .session.groceries}} #1 {# not a comment</p>"
	if status, page, _ := get(css, true); status != http.StatusOK || page != "<style>.bar{width:100%}</style><p>100% 2 #1 {# not a comment</p>" {
		t.Errorf("a page with %% and # that are not Jinja: %d %q; want it filled in", status, page)
	}
}

// TestGoForm: the Go that a Jinja tag's error page suggests works. Each
// {{...}} the message says to write, closed with {{end}} where it opens a
// block, must parse and run on a page's data; a test the hint cannot
// rewrite (len(...), a |filter, ==) gets the forms Go has instead, never
// a guess such as {{if .not session.groceries}}.
func TestGoForm(t *testing.T) {
	for _, tt := range []struct{ tag, want string }{
		{"{% if session['groceries'] %}", "{{if .session.groceries}}"},
		{"{% if not session['groceries'] %}", "{{if not .session.groceries}}"},
		{"{% if not session.groceries %}", "{{if not .session.groceries}}"},
		{"{% elif session.groceries %}", "{{else if .session.groceries}}"},
		{"{% if len(session['groceries']) == 0 %}", "{{if not .session.groceries}}"},
		{"{% if session.groceries|length == 0 %}", "{{if eq (len .session.groceries) 3}}"},
		{"{% if not .session.groceries %}", "{{if not .session.groceries}}"},
		{"{% for item in session['groceries'] %}", "{{range .session.groceries}}"},
		{"{% for item in session.groceries|sort %}", "{{range .session.groceries}}"},
		{"{% elif len(session.groceries) > 2 %}", "{{else if not .session.groceries}}"},
	} {
		said := goForm(tt.tag)
		if !strings.Contains(said, tt.want) {
			t.Errorf("goForm(%q) = %q; want it to say %s", tt.tag, said, tt.want)
		}
		for _, action := range regexp.MustCompile(`\{\{[^}]*\}\}`).FindAllString(said, -1) {
			page := action
			switch {
			case strings.HasPrefix(action, "{{else"):
				page = "{{if false}}" + action + "{{end}}"
			case strings.HasPrefix(action, "{{if") || strings.HasPrefix(action, "{{range"):
				page = action + "{{end}}"
			case action == "{{end}}" || action == "{{.}}" || action == "{{/* like this */}}":
				continue
			}
			tmpl, err := template.New("page").Parse(page)
			if err == nil {
				err = tmpl.Execute(io.Discard, map[string]any{"session": sessions.Session{"groceries": []string{"Milk"}}})
			}
			if err != nil {
				t.Errorf("goForm(%q) says to write %s, which Go's templates refuse: %v", tt.tag, action, err)
			}
		}
	}
}
