package devserver

import (
	"bytes"
	"fmt"
	"html/template"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/sessions"
)

// RenderTemplate is Flask's render_template: it fills the page in the file
// name with data and, as Flask does, the session ({{.session.groceries}}).
// The page is parsed again whenever its file changes, so an edit to
// index.html shows on the next reload. It is rendered into memory first, so a
// mistake in the template gives a clean 500 page, not half a page; the page
// names the mistake in debug mode only, and the terminal always does.
//
// The file is read from the folder of the program's main.go, as Flask reads
// templates/ from the app's root_path, whichever folder the program was
// started from.
func RenderTemplate(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	app := current(r)
	tmpl, err := parseTemplate(filepath.Join(app.root, name))
	var page bytes.Buffer
	if err == nil {
		err = tmpl.Execute(&page, sessions.TemplateData(r, data))
	}
	if err != nil {
		log.Print(err)
		message := "The page could not be made."
		if app.debug {
			message = err.Error() + "\n\nFix " + name + " and save it: the next reload reads it again."
		}
		errorPage(w, http.StatusInternalServerError, message)
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
		tmpl, err := template.ParseFiles(name)
		if err != nil {
			return nil, err
		}
		templates.parsed[name], templates.modTime[name] = tmpl, info.ModTime()
	}
	return templates.parsed[name], nil
}
