package devserver

import (
	"errors"
	"fmt"
	"html"
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

// browserAccept is the Accept header a browser sends when it opens a page.
const browserAccept = "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8"

// visibleText returns the words a browser shows on page: the body, without
// its tags, entities read, and spaces and line breaks made one space.
func visibleText(page string) string {
	_, body, _ := strings.Cut(page, "<body>")
	body = regexp.MustCompile(`<[^>]*>`).ReplaceAllString(body, "")
	return strings.Join(strings.Fields(html.UnescapeString(body)), " ")
}

// linkAddress finds the address a plain-text page gives a link, in brackets.
var linkAddress = regexp.MustCompile(` \(http://[^)\s]*\)`)

// sendWithAccept serves r with h, once with a browser's Accept header and
// once without, and returns both answers.
func sendWithAccept(h http.Handler, r func() *http.Request) (asHTML, asText *httptest.ResponseRecorder) {
	asText = httptest.NewRecorder()
	h.ServeHTTP(asText, r())
	asHTML = httptest.NewRecorder()
	browser := r()
	browser.Header.Set("Accept", browserAccept)
	h.ServeHTTP(asHTML, browser)
	return asHTML, asText
}

// errorPages gives each error page of this package, made as a request makes
// it where that is short, with what it must say.
func errorPages(t *testing.T) map[string]struct {
	h    http.Handler
	r    func() *http.Request
	says string
} {
	captureLog(t)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"index.html": "<h1>Groceries</h1>\n<ul>\n<li>{{item}}</li>\n</ul>\n", "main.go": "package main\n\nfunc main() {\n\titem := 'milk'\n}\n"})
	halfSaved := t.TempDir() // {{range}} typed, {{end}} not yet, as Auto Save saves it
	writeFiles(t, halfSaved, map[string]string{"index.html": "<h2>List Items:</h2>\n<ul>\n  {{range .session.groceries}}\n  <li>{{.}}</li>\n</ul>\n"})
	manager, err := sessions.New(sessions.Config{SecretKey: "test key, long enough"})
	if err != nil {
		t.Fatal(err)
	}
	app := func(view http.HandlerFunc) http.Handler {
		return newHandler(view, manager, appContext{root: root, debug: true})
	}
	template := func(w http.ResponseWriter, r *http.Request) { RenderTemplate(w, r, "index.html", nil) }
	evil := func(w http.ResponseWriter, r *http.Request) { panic("<script>alert('x')</script>") }
	post := func(target, body string, header ...string) func() *http.Request {
		return func() *http.Request {
			r := httptest.NewRequest(http.MethodPost, target, strings.NewReader(body))
			r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			for i := 0; i+1 < len(header); i += 2 {
				r.Header.Set(header[i], header[i+1])
			}
			return r
		}
	}
	page := func(p errorPage) http.Handler { return http.HandlerFunc(p.serve) }
	routes := http.NewServeMux()
	routes.HandleFunc("GET /{$}", template)
	get := func() *http.Request { return httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil) }
	compile := compileErrorPage("./main.go:4:10: more than one character in rune literal", root)
	return map[string]struct {
		h    http.Handler
		r    func() *http.Request
		says string
	}{
		"panic":         {app(evil), get, "panic: <script>alert('x')</script>"},
		"panic, no key": {newHandler(http.HandlerFunc(evil), manager, appContext{}), get, "could not finish this request"},
		"template":      {app(template), get, `function "item" not defined`},
		"template, no end": {newHandler(http.HandlerFunc(template), manager, appContext{root: halfSaved, debug: true}), get,
			"Go reached the end of index.html while a {{range}}, {{if}} or {{with}} was still open. " +
				"Each of them needs its {{end}}, as in {{range .session.groceries}} ... {{end}}. The last one left open is the {{range}} on line 3."},
		"Host":       {app(template), func() *http.Request { return httptest.NewRequest(http.MethodGet, "http://evil.example/", nil) }, "answers only this computer's browser"},
		"cross-site": {app(template), post("http://127.0.0.1:5000/", "new_item=jam", "Sec-Fetch-Site", "cross-site"), "sent from another web site"},
		"too large":  {app(template), post("http://127.0.0.1:5000/", strings.Repeat("a", 65<<10)), "larger than 64 KB"},
		"unreadable": {app(template), post("http://127.0.0.1:5000/", "a=%zz"), "The form could not be read"},
		"compile":    {page(compile), get, "item := 'milk'"},
		"not found": {newHandler(routes, manager, appContext{root: root, debug: true}), func() *http.Request {
			return httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/groceries<b>", nil)
		}, "There is no page at /groceries<b> in this app"},
		"method": {newHandler(routes, manager, appContext{root: root, debug: true}), func() *http.Request {
			return httptest.NewRequest(http.MethodDelete, "http://127.0.0.1:5000/", nil)
		}, "does not take a DELETE request; it takes GET, HEAD."},
		"crash":          {page(crashedPage(errors.New("exit status 3"), "stopping now")), get, "stopping now"},
		"not answered":   {page(notAnsweredPage(errors.New("connection refused"))), get, "did not answer"},
		"restarting":     {page(restartingPage), get, "being restarted"},
		"turned away":    {page(turnedAwayPage(256)), get, "256 requests are already waiting"},
		"not running":    {page(notRunningPage("The program could not be started: no such file")), get, "could not be started"},
		"still building": {page(textPage(503, "Still waiting for the program", "The program is still being built")), get, "still being built"},
	}
}

// TestErrorPagesInHTML: a browser that asks for HTML gets each error page as
// a small web page: a doctype, lang, a title, a main landmark that starts
// with the status, as the plain page does, one heading, everything escaped,
// no script; and, besides the heading, the same words as the plain-text
// page that curl and the tests get.
func TestErrorPagesInHTML(t *testing.T) {
	for name, tt := range errorPages(t) {
		asHTML, asText := sendWithAccept(tt.h, tt.r)
		page, text := asHTML.Body.String(), asText.Body.String()
		if asHTML.Code < 400 || asHTML.Code != asText.Code {
			t.Errorf("%s: status %d as HTML, %d as text; want the same error status", name, asHTML.Code, asText.Code)
		}
		if ct := asText.Header().Get("Content-Type"); ct != "text/plain; charset=utf-8" || !strings.HasPrefix(text, fmt.Sprintf("%d %s\n\n", asText.Code, http.StatusText(asText.Code))) {
			t.Errorf("%s: without Accept: text/html, %s %q; want plain text that starts with the status", name, ct, text)
		}
		if ct := asHTML.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
			t.Errorf("%s: Content-Type %s for a browser, want text/html", name, ct)
		}
		for _, want := range []string{"<!doctype html>\n<html lang=\"en\">\n", "<link rel=\"icon\" href=\"data:,\">", "<main>\n<p class=\"status\">", "</p>\n<h1>", "</main>"} {
			if !strings.Contains(page, want) {
				t.Errorf("%s: the HTML page lacks %q:\n%s", name, want, page)
			}
		}
		if title := regexp.MustCompile(`<title>([^<]+)</title>`).FindStringSubmatch(page); title == nil || !strings.Contains(page, "<h1>"+title[1]+"</h1>") {
			t.Errorf("%s: the HTML page has no title, or a heading other than its title:\n%s", name, page)
		}
		if strings.Count(page, "<h1>") != 1 || strings.Contains(strings.ToLower(page), "<script") || strings.Contains(page, "http://") && !strings.Contains(page, "http://127.0.0.1") {
			t.Errorf("%s: the HTML page has a heading other than one <h1>, a script, or an address elsewhere:\n%s", name, page)
		}
		if !strings.Contains(visibleText(page), tt.says) {
			t.Errorf("%s: the HTML page does not say %q:\n%s", name, tt.says, page)
		}
		words := strings.Join(strings.Fields(linkAddress.ReplaceAllString(text, "")), " ")
		heading := regexp.MustCompile(`<h1>([^<]*)</h1>`).FindStringSubmatch(page)
		shown := visibleText(page) // the same words, with the heading after the status
		if heading != nil {
			shown = strings.Replace(shown, " "+html.UnescapeString(heading[1])+" ", " ", 1)
		}
		if name == "panic" { // two panics, two stacks
			words, _, _ = strings.Cut(words, "goroutine ")
			shown, _, _ = strings.Cut(shown, "goroutine ")
		}
		if shown != words {
			t.Errorf("%s: the HTML page shows, besides its heading,\n%s\nwant the plain page's words:\n%s", name, shown, words)
		}
	}
}

// TestErrorPagesShowCodeInPre: the code of the compile, panic and template
// pages is in <pre>, so its lines and indents are kept.
func TestErrorPagesShowCodeInPre(t *testing.T) {
	pages := errorPages(t)
	for name, want := range map[string]string{
		"compile":  "<pre>     1 | package main\n",
		"panic":    "<pre>panic: &lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;\nat ",
		"template": "&gt;    3 | &lt;li&gt;{{item}}&lt;/li&gt;\n",
		"crash":    "<pre>stopping now</pre>",
	} {
		asHTML, _ := sendWithAccept(pages[name].h, pages[name].r)
		if !strings.Contains(asHTML.Body.String(), want) {
			t.Errorf("%s: the HTML page lacks %q:\n%s", name, want, asHTML.Body)
		}
	}
}

// TestWantsHTML: the pages come as HTML to what asks for it, as browsers
// do, and as plain text to the rest.
func TestWantsHTML(t *testing.T) {
	for accept, want := range map[string]bool{
		browserAccept: true, "text/html": true, "TEXT/HTML; charset=utf-8": true,
		"": false, "*/*": false, "text/plain": false, "application/json, text/html;q=0": false, "text/html;q=0.0": false, "text/htmlx": false, "text/html;q=0.05": true,
	} {
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.Header.Set("Accept", accept)
		if got := wantsHTML(r); got != want {
			t.Errorf("Accept %q: HTML is %v, want %v", accept, got, want)
		}
	}
}

// TestAdviceAfterAPost: after a posted form, each error page that tells the
// learner to fix something gives a link back to the page, and following it
// sends no form: the app counts one form, not two. A reload would send the
// form again ("jam" added twice).
func TestAdviceAfterAPost(t *testing.T) {
	captureLog(t)
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"main.go": "package main\n\nfunc main() {\n\titem := 'milk'\n}\n"})
	manager, err := sessions.New(sessions.Config{SecretKey: "test key, long enough"})
	if err != nil {
		t.Fatal(err)
	}
	for name, broken := range map[string]func(w http.ResponseWriter, r *http.Request){
		"compile":      compileErrorPage("./main.go:4:10: more than one character in rune literal", root).serve,
		"crash":        crashedPage(errors.New("exit status 3"), "stopping now").serve,
		"not answered": notAnsweredPage(errors.New("EOF")).serve,
		"restarting":   restartingPage.serve,
		"turned away":  turnedAwayPage(2).serve,
		"panic":        func(w http.ResponseWriter, r *http.Request) { slip(w, r) },
		"template": func(w http.ResponseWriter, r *http.Request) {
			writeFiles(t, root, map[string]string{"index.html": "<ul><li>{{item}}</li></ul>"})
			RenderTemplate(w, r, "index.html", nil)
		},
	} {
		forms, fixed := 0, false
		view := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodPost && r.PostFormValue("new_item") != "" {
				forms++
			}
			if !fixed {
				broken(w, r)
				return
			}
			fmt.Fprintf(w, "%d forms", forms)
		})
		app := newHandler(view, manager, appContext{root: root, debug: true})
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:5000/?list=1", strings.NewReader("new_item=jam"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Accept", browserAccept)
		w := httptest.NewRecorder()
		app.ServeHTTP(w, r)
		page := w.Body.String()
		if strings.Contains(strings.ToLower(visibleText(page)), "reload") {
			t.Errorf("%s: after a form, the page tells the learner to reload, which sends the form again:\n%s", name, page)
		}
		link := regexp.MustCompile(`<a href="([^"]*)">([^<]*)</a>`).FindStringSubmatch(page)
		if link == nil {
			t.Errorf("%s: after a form, the page gives no link back to the page:\n%s", name, page)
			continue
		}
		fixed = true // the learner fixes it and saves, then follows the link, which a browser follows with a GET
		href := html.UnescapeString(link[1])
		status, again := send(app, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000"+href, nil))
		if href != "/?list=1" || status != http.StatusOK || again != "1 forms" {
			t.Errorf("%s: the link %q (%q) gives %d %q; want the page the form was sent to, and the one form counted once", name, link[2], href, status, again)
		}
	}
}

// TestTemplateErrorPage: a mistake in the template shows, in debug mode, the
// lines around the line Go names, that one marked as the compile-error page
// marks it, and the Jinja habit behind "function ... not defined".
func TestTemplateErrorPage(t *testing.T) {
	root := t.TempDir()
	captureLog(t)
	manager, err := sessions.New(sessions.Config{SecretKey: "test key, long enough"})
	if err != nil {
		t.Fatal(err)
	}
	view := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { RenderTemplate(w, r, "index.html", nil) })
	for step, tt := range []struct {
		page  string
		wants []string
	}{
		{"<h1>Groceries</h1>\n<p>{{session.groceries}}</p>\n", []string{
			"template: index.html:2: function \"session\" not defined\n",
			"Jinja writes {{session.groceries}}, and Go's templates write {{.session.groceries}}, with a dot in front.",
			"index.html, around line 2:\n\n     1 | <h1>Groceries</h1>\n>    2 | <p>{{session.groceries}}</p>\n"}},
		{"<ul>\n{{range .session.groceries}}\n<li>{{item}}</li>\n{{end}}\n</ul>\n", []string{
			"function \"item\" not defined",
			"In Go's templates, the item inside {{range}} is {{.}}",
			">    3 | <li>{{item}}</li>\n"}},
		{"<ul>{{range .session.groceries}}<li>{{.}}</li>\n</ul>\n", []string{"unexpected EOF", "index.html, around line 3:"}},
	} {
		file := filepath.Join(root, "index.html")
		writeFiles(t, root, map[string]string{"index.html": tt.page})
		touch(t, file, step)
		_, page := send(newHandler(view, manager, appContext{root: root, debug: true}), httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil))
		for _, want := range tt.wants {
			if !strings.Contains(page, want) {
				t.Errorf("%q: the page lacks %q:\n%s", tt.page, want, page)
			}
		}
	}
}

// TestLastOpenTag: the tag that a missing {{end}} leaves open is found as
// Go's templates pair them: each {{end}} closes the latest block still open.
func TestLastOpenTag(t *testing.T) {
	for _, tt := range []struct {
		text, tag string
		line      int
	}{
		{"<ul>\n{{range .session.groceries}}\n<li>{{.}}</li>\n</ul>\n", "range", 2},
		{"{{range .session.groceries}}<li>{{.}}</li>{{end}}", "", 0},
		{"{{if .session.groceries}}\n{{range .session.groceries}}\n{{end}}\n", "if", 1},
		{"{{if .session.groceries}}\n{{- range .session.groceries -}}\n{{.}}\n", "range", 2},
		{"{{with .message}}{{.}}{{else if .session}}x{{else}}y\n", "with", 1},
		{"{{/* {{range .x}} {{if .y}} */}}\n{{if .session}}\n", "if", 2},
		{"{{/* a comment\nof two lines */}}\n{{range .session.groceries}}", "range", 3},
		{"{{ifx}}{{ended}}{{.range}}", "", 0},
	} {
		if tag, line := lastOpenTag(tt.text); tag != tt.tag || line != tt.line {
			t.Errorf("%q: {{%s}} on line %d; want {{%s}} on line %d", tt.text, tag, line, tt.tag, tt.line)
		}
	}
}

// touch moves file's time step seconds ahead, so that even a coarse clock
// shows a change.
func touch(t *testing.T, file string, step int) {
	t.Helper()
	stamp := time.Now().Add(time.Duration(step+1) * time.Second)
	if err := os.Chtimes(file, stamp, stamp); err != nil {
		t.Fatal(err)
	}
}

// TestNoRoute: an address the program's ServeMux does not know gets this
// package's 404 page, a method its page does not take the 405 page with
// Allow, and net/http's redirect to an address with its slash still comes;
// the pages the program has come as they are.
func TestNoRoute(t *testing.T) {
	routes := http.NewServeMux()
	routes.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "the page") })
	routes.HandleFunc("POST /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "the form") })
	routes.HandleFunc("GET /list/", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "the list") })
	routes.HandleFunc("POST /only-post", func(w http.ResponseWriter, r *http.Request) {})
	app := newApp(t, routes)
	for _, tt := range []struct {
		method, path string
		status       int
		says, allow  string
	}{
		{"GET", "/", 200, "the page", ""},
		{"POST", "/", 200, "the form", ""},
		{"GET", "/list/", 200, "the list", ""},
		{"GET", "/nothing", 404, "There is no page at /nothing in this app. Check the address for a typo, or open the app's first page (http://example.com/).", ""},
		{"PUT", "/", 405, "The page at / does not take a PUT request; it takes GET, HEAD, POST. Open the page (http://example.com/) instead.", "GET, HEAD, POST"},
		{"GET", "/only-post", 405, "The page at /only-post does not take a GET request; it takes POST.\n", "POST"},
		{"GET", "/list", 3, "/list/", ""}, // a redirect: 301 or 307, as Go's version decides
	} {
		w := httptest.NewRecorder()
		app.ServeHTTP(w, httptest.NewRequest(tt.method, tt.path, nil))
		if w.Code != tt.status && w.Code/100 != tt.status || !strings.Contains(w.Body.String()+w.Header().Get("Location"), tt.says) || w.Header().Get("Allow") != tt.allow {
			t.Errorf("%s %s: %d, Allow %q, %q; want %d, Allow %q, and %q", tt.method, tt.path, w.Code, w.Header().Get("Allow"), w.Body, tt.status, tt.allow, tt.says)
		}
	}
}
