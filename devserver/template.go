package devserver

import (
	"bytes"
	"fmt"
	"html/template"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"time"

	"example.com/sessions"
)

// RenderTemplate is Flask's render_template: it fills the page in the file
// name with data and, as Flask does, the session ({{.session.groceries}}).
// The page is parsed again whenever its file changes, so an edit to
// index.html shows on the next reload. It is rendered into memory first, so a
// mistake in the template gives a clean 500 page, not half a page; the page
// names the mistake, with the lines around it, in debug mode only (see
// templateErrorPage), and the terminal always does.
//
// The file is read from the folder of the program's main.go, as Flask reads
// templates/ from the app's root_path, whichever folder the program was
// started from.
func RenderTemplate(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	app := appFor(r)
	tmpl, err := parseTemplate(filepath.Join(app.root, name))
	var page bytes.Buffer
	if err == nil {
		err = tmpl.Execute(&page, sessions.TemplateData(r, data))
	}
	if err != nil {
		logViewError(r, err.Error(), app.debug)
		page := textPage(http.StatusInternalServerError, "The page could not be made", "The page could not be made.")
		if app.debug {
			page = templateErrorPage(err, filepath.Join(app.root, name))
		}
		page.serve(w, r)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.WriteTo(w)
}

// templates keeps each page parsed, with the time its file had then.
var templates = struct {
	sync.Mutex
	parsed  map[string]*template.Template
	modTime map[string]time.Time
}{parsed: map[string]*template.Template{}, modTime: map[string]time.Time{}}

// parseTemplate returns the page in the file name, parsing it again when the
// file has changed since the last time.
func parseTemplate(name string) (*template.Template, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("there is no %s in %s: the page must be in the folder of main.go", filepath.Base(name), filepath.Dir(name))
	}
	templates.Lock()
	defer templates.Unlock()
	if !info.ModTime().Equal(templates.modTime[name]) {
		text, err := os.ReadFile(name)
		if err != nil {
			return nil, err
		}
		if err := jinjaTag(filepath.Base(name), string(text)); err != nil {
			return nil, err
		}
		tmpl, err := template.New(filepath.Base(name)).Parse(string(text))
		if err != nil {
			return nil, err
		}
		templates.parsed[name], templates.modTime[name] = tmpl, info.ModTime()
	}
	return templates.parsed[name], nil
}

// jinjaTag finds the first tag of Jinja, Flask's template language, in the
// page text: {% ... %} or {# ... #}. Go's templates take them for plain
// text, so the page would show them as they are, around all the page's data
// (a {{.}} outside {{range}} prints it all), and no error would say why. The
// error names the line and what to write in Go instead.
func jinjaTag(name, text string) error {
	text = blankActions(text) // what Go's own actions and comments say is Go's
	at := -1
	// " %}" with its space: CSS such as width:100%} is not Jinja. A comment
	// {# ... #} must end.
	for _, mark := range []string{"{%", " %}", "{#"} {
		if i := strings.Index(text, mark); i >= 0 && (at < 0 || i < at) && (mark != "{#" || strings.Contains(text[i:], "#}")) {
			at = i
		}
	}
	if at < 0 {
		return nil
	}
	line := strings.Count(text[:at], "\n") + 1
	tag := text[at:]
	if end := strings.IndexAny(tag, "}\n"); end >= 0 {
		tag = tag[:end+1]
	}
	tag = strings.TrimSpace(tag)
	return fmt.Errorf("template: %s:%d: %s is Jinja, the template language of Flask; Go's templates do not know it. %s",
		name, line, tag, goForm(tag))
}

// blankActions returns text with the actions of Go's templates, {{...}},
// comments {{/* ... */}} included, written over with spaces, their line
// breaks kept.
func blankActions(text string) string {
	b := []byte(text)
	for from := 0; ; {
		start := strings.Index(text[from:], "{{")
		if start < 0 {
			return string(b)
		}
		start += from
		end := "}}"
		if strings.HasPrefix(strings.TrimLeft(text[start+2:], "- "), "/*") {
			end = "*/"
		}
		stop := strings.Index(text[start+2:], end)
		if stop < 0 {
			return string(b)
		}
		stop += start + 2 + len(end)
		if end == "*/" {
			if close := strings.Index(text[stop:], "}}"); close >= 0 {
				stop += close + 2
			}
		}
		for i := start; i < stop; i++ {
			if b[i] != '\n' {
				b[i] = ' '
			}
		}
		from = stop
	}
}

// goForm says what to write in Go instead of the Jinja tag. It rewrites
// only a plain value, such as session['groceries'], or not and a plain
// value; for anything else (len(...), a |filter, ==) it shows the forms Go
// has instead of guessing: a wrong rewrite would send the learner to
// another error.
func goForm(tag string) string {
	inside := strings.TrimSpace(strings.Trim(tag, "{}%#-"))
	word, rest, _ := strings.Cut(inside, " ")
	rest = strings.TrimSpace(rest)
	switch {
	case strings.HasPrefix(tag, "{#"):
		return "A comment in Go's templates is written {{/* like this */}}."
	case word == "for":
		item, list, ok := strings.Cut(rest, " in ")
		if value, plain := goTest(list); ok && plain {
			return fmt.Sprintf("Write {{range %s}} instead, {{.}} for %s inside it, and {{end}} where {%% endfor %%} was.",
				value, strings.TrimSpace(item))
		}
		return "Write {{range .session.groceries}} ... {{end}} instead, and {{.}} for each item."
	case word == "if" || word == "elif":
		action := "if"
		if word == "elif" {
			action = "else if"
		}
		test, plain := goTest(rest)
		switch {
		case !plain:
			return fmt.Sprintf("Write {{%[1]s .session.groceries}} (the list has items) or {{%[1]s not .session.groceries}} (it is empty) instead. "+
				"Go's templates write a function before its values: {{%[1]s eq (len .session.groceries) 3}}.", action)
		case word == "elif":
			return fmt.Sprintf("Write {{else if %s}} instead.", test)
		}
		return fmt.Sprintf("Write {{if %s}} instead, and {{end}} where {%% endif %%} was.", test)
	case word == "else":
		return "Write {{else}} instead."
	case strings.HasPrefix(word, "end"):
		return "Write {{end}} instead."
	}
	return "Go's templates write their actions between {{ and }}, such as {{range .session.groceries}} ... {{end}}."
}

// plainValue matches a Jinja value that goTest can write in Go: names
// joined by dots or ['...'], such as session['groceries'] or
// session.groceries.
var plainValue = regexp.MustCompile(`^[A-Za-z_]\w*(\.[A-Za-z_]\w*|\['[^']*'\]|\["[^"]*"\])*$`)

// goTest writes a Jinja test in Go's template words, when it is a plain
// value or not and a plain value: session['groceries'] becomes
// .session.groceries, and not session.groceries becomes
// not .session.groceries. plain is false for anything else.
func goTest(jinja string) (test string, plain bool) {
	v := strings.TrimSpace(jinja)
	not := ""
	if rest, ok := strings.CutPrefix(v, "not "); ok {
		not, v = "not ", strings.TrimSpace(rest)
	}
	if !plainValue.MatchString(v) {
		return "", false
	}
	for _, quote := range []string{"'", `"`} {
		v = strings.ReplaceAll(v, "["+quote, ".")
		v = strings.ReplaceAll(v, quote+"]", "")
	}
	return not + "." + v, true
}
