//go:build ignore

// This program is the starter code of the lesson "Try It! Flask Sessions"
// (LCHS 23.5): the Flask starter's main.py in Go, before any step. Run it from
// this folder with
//
//	go run main.go
//
// then open http://127.0.0.1:5000. The README, one folder up, walks you
// through each step.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"
	"unicode"

	"example.com/sessions"
)

// main.py: app.config['DEBUG'] = True. In Go, debug mode (error details in
// the browser) is on while SECRET_KEY is not set: on your own computer.
var debug = os.Getenv("SECRET_KEY") == ""

// main.py: app.secret_key = ... The key signs the session cookie. It comes
// from the SECRET_KEY environment variable, so it stays out of the code;
// restart with the same key and every browser keeps its list.
var secretKey = os.Getenv("SECRET_KEY")

const developmentKey = "development key: anyone reading main.go can sign cookies with it"

// index serves the lesson's one page, GET and POST, like main.py's index().
func index(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		// pass
	} else {
		// pass
	}
	renderTemplate(w, r, "index.html", nil)
}

func main() {
	addr := flag.String("addr", "127.0.0.1:5000", "`host:port` to listen on; port 0 picks a free port")
	flag.Parse()
	if debug {
		log.Print("Debug mode: SECRET_KEY is not set, so cookies are signed with a development key and errors show their details in the browser. Set SECRET_KEY before you put this app online.")
		secretKey = developmentKey
	}
	sessionManager, err := sessions.New(sessions.Config{SecretKey: secretKey, Debug: debug})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := os.Stat("index.html"); err != nil {
		wd, _ := os.Getwd()
		log.Fatalf("There is no index.html in %s. Run the app from the folder that holds main.go and index.html: cd into it, then type go run main.go", wd)
	}

	// main.py: @app.route('/', methods=['GET', 'POST'])
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("POST /{$}", index)
	mux.HandleFunc("GET /style.css", style)

	csrf := http.NewCrossOriginProtection()
	csrf.SetDenyHandler(http.HandlerFunc(crossSiteRefused))
	server := &http.Server{
		Handler:           csrf.Handler(sessionManager.Middleware(mux)),
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}

	// main.py: app.run()
	listener, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("%v\nAnother program may be using that port. Stop it, or pick another port: go run main.go -addr 127.0.0.1:5001\n"+
			"(On macOS, AirPlay Receiver takes port 5000; it can be turned off in System Settings, General, AirDrop & Handoff.)", err)
	}
	fmt.Printf(" * Running on http://%s\nPress CTRL+C to quit\n", listener.Addr())
	log.Fatal(server.Serve(listener))
}

// renderTemplate is Flask's render_template: the page gets the handler's
// values and, as in Flask, the session. It renders into memory first, so that
// a mistake in the template gives an error page, not half a page; the page
// names the mistake in debug mode only.
func renderTemplate(w http.ResponseWriter, r *http.Request, name string, data map[string]any) {
	tmpl, err := parseTemplate(name)
	var page bytes.Buffer
	if err == nil {
		err = tmpl.Execute(&page, sessions.TemplateData(r, data))
	}
	if err != nil {
		log.Print(err)
		message := "500 Internal Server Error"
		if debug {
			message = err.Error()
		}
		http.Error(w, message, http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	page.WriteTo(w)
}

// templates keeps each page parsed, and parseTemplate parses it again when
// its file changes, so an edit to index.html shows on the next reload, as
// with Flask's DEBUG = True.
var templates = struct {
	sync.Mutex
	parsed  map[string]*template.Template
	modTime map[string]time.Time
}{parsed: map[string]*template.Template{}, modTime: map[string]time.Time{}}

func parseTemplate(name string) (*template.Template, error) {
	info, err := os.Stat(name)
	if err != nil {
		return nil, err
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

// style serves the stylesheet (Flask serves static/style.css by itself).
func style(w http.ResponseWriter, r *http.Request) {
	http.ServeFile(w, r, "style.css")
}

// crossSiteRefused answers a form posted from another web site.
func crossSiteRefused(w http.ResponseWriter, r *http.Request) {
	http.Error(w, "403 Forbidden: this form was sent from another web site, so it was refused and nothing was changed.", http.StatusForbidden)
}

// title capitalises s as Python's str.title() does (step 23.6 uses it): a
// letter that follows a letter is lower case, any other letter upper case
// ("o'neil" -> "O'Neil").
func title(s string) string {
	var b strings.Builder
	afterLetter := false
	for _, c := range s {
		if afterLetter {
			b.WriteRune(unicode.ToLower(c))
		} else {
			b.WriteRune(unicode.ToTitle(c))
		}
		afterLetter = unicode.IsUpper(c) || unicode.IsLower(c) || unicode.IsTitle(c)
	}
	return b.String()
}
