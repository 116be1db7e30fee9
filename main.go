//go:build ignore

// This program is the lesson's main.py in Go: "Try It! Flask Sessions"
// (LCHS 23.5 and 23.6). Run it with
//
//	go run main.go
//
// then open http://127.0.0.1:5000. The list you build lives in the browser's
// session cookie, not on the server.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"html/template"
	"log"
	"net"
	"net/http"
	"os"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

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
	session := sessions.From(r)
	message := ""
	if r.Method == http.MethodPost {
		r.Body = http.MaxBytesReader(w, r.Body, maxFormBytes)
		if err := r.ParseForm(); err != nil {
			formError(w, r, err)
			return
		}
		currentList, _ := session["groceries"].([]string) // a POST before any GET starts with none
		switch r.PostForm.Get("submit_action") {
		case "add":
			// 23.6: read the item, title-case it, and add it once.
			newItem := strings.TrimSpace(r.PostForm.Get("new_item"))
			problem := checkItem(newItem)
			newItem = title(newItem)
			if problem != "" {
				message = problem
			} else if slices.Contains(currentList, newItem) {
				message = fmt.Sprintf("The list already contains '%s'.", newItem)
			} else {
				currentList = append(currentList, newItem)
				slices.Sort(currentList)
				session["groceries"] = currentList
				message = fmt.Sprintf("You just added '%s' to the list.", newItem)
				if session.CheckSize() != nil { // a cookie holds about 4 KB
					session["groceries"] = slices.DeleteFunc(currentList, func(item string) bool { return item == newItem })
					message = fmt.Sprintf("The list is full: a session cookie holds about 4 KB. Remove some items before adding '%s'.", newItem)
				}
			}
		case "remove":
			// The finished code: drop every checked item.
			checked := r.PostForm["del_items"]
			session["groceries"] = slices.DeleteFunc(currentList, func(item string) bool { return slices.Contains(checked, item) })
		}
	} else {
		// 23.5.2: save an empty list, once, so a reload keeps the list.
		if _, ok := session["groceries"]; !ok {
			session["groceries"] = []string{}
		}
	}
	renderTemplate(w, r, "index.html", map[string]any{"message": message})
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

// maxFormBytes caps a form body, as Flask's MAX_CONTENT_LENGTH would.
const maxFormBytes = 64 << 10

// maxItemLength matches maxlength="60" on the page's input.
const maxItemLength = 60

// checkItem says what is wrong with a new item, or "" when nothing is.
func checkItem(item string) string {
	switch {
	case item == "":
		return "Please type an item before clicking Add Item."
	case !utf8.ValidString(item):
		return "That item is not valid text (UTF-8), so it was not added."
	case strings.ContainsFunc(item, unicode.IsControl):
		return "Items cannot contain control characters such as tabs or line breaks."
	case utf8.RuneCountInString(item) > maxItemLength:
		return fmt.Sprintf("Items can be at most %d characters long; that one has %d.", maxItemLength, utf8.RuneCountInString(item))
	}
	return ""
}

// formError answers a form that could not be read, leaving the list as it was.
func formError(w http.ResponseWriter, r *http.Request, err error) {
	message := "The form could not be read, so nothing was changed. Please try again."
	status := http.StatusBadRequest
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		message = "That form was larger than 64 KB, so it was not read and nothing was changed."
		status = http.StatusRequestEntityTooLarge
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8") // headers go before WriteHeader
	w.WriteHeader(status)
	renderTemplate(w, r, "index.html", map[string]any{"message": message})
}
