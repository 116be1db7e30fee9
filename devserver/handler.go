package devserver

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"mime"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/sessions"
)

// appContext is what Flask's current_app tells a view and its page: the
// folder of the program's files and whether debug mode is on. newHandler
// puts it in every request, as Flask pushes an application context.
type appContext struct {
	root  string // the folder of main.go (Flask's root_path), where the page and style.css are
	debug bool   // Config.Debug
}

type appContextKey struct{}

// appFor returns the appContext of r: the zero one, which reads files from
// the working folder with debug mode off, for a request that did not pass
// through newHandler.
func appFor(r *http.Request) appContext {
	a, _ := r.Context().Value(appContextKey{}).(appContext)
	return a
}

// newHandler puts around routes what Flask puts around every view: the
// application context, the stylesheet (Flask's static folder), the session,
// the debug page for a panic, the form read within MAX_CONTENT_LENGTH, and
// the refusal of forms posted from other web sites; in debug mode, also the
// refusal of requests that do not name this computer (see onlyThisComputer).
func newHandler(routes http.Handler, manager *sessions.Manager, app appContext) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /style.css", app.style)
	mux.HandleFunc("GET /favicon.ico", app.favicon)
	mux.Handle("/", manager.Middleware(noRoute(routes)))
	crossOrigin := http.NewCrossOriginProtection()
	crossOrigin.SetDenyHandler(http.HandlerFunc(crossSiteRefused))
	withApp := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), appContextKey{}, app)))
	})
	h := crossOrigin.Handler(readForm(recoverPanics(withApp, app.debug)))
	if app.debug {
		h = onlyThisComputer(h)
	}
	return h
}

// style serves the stylesheet from the program's folder, as Flask serves
// static/style.css, and nothing else from that folder: main.go stays private.
//
// As Flask does, it says Cache-Control: no-cache with an ETag, so that the
// browser asks on every load whether its copy is still the one, and gets a
// short 304 when it is. The starter, the finished app and the buttons page
// all serve /style.css on one port: a browser that kept one app's copy, or
// that asked only whether the file changed since a time (If-Modified-Since),
// could show another app's style until a hard reload. Werkzeug's ETag is
// made of the file's time, size and name; this one is made of its content,
// so two files that differ never share it.
func (app appContext) style(w http.ResponseWriter, r *http.Request) {
	file := filepath.Join(app.root, "style.css")
	info, err := os.Stat(file)
	var content []byte
	if err == nil && info.Mode().IsRegular() {
		content, err = os.ReadFile(file)
	}
	if err != nil || !info.Mode().IsRegular() {
		http.NotFound(w, r)
		return
	}
	sum := sha256.Sum256(content)
	w.Header().Set("Cache-Control", "no-cache")
	w.Header().Set("ETag", `"`+hex.EncodeToString(sum[:16])+`"`)
	http.ServeContent(w, r, "style.css", info.ModTime(), bytes.NewReader(content))
}

// favicon answers the browser's own request for /favicon.ico, which it makes
// for every page: with favicon.ico from the program's folder when there is
// one, and otherwise with 204 No Content, "no icon", and no request line
// (see logRequests). Flask has no such route: without an icon, each page
// costs a 404, a line in the terminal and an error in the browser's
// console, none of which the learner caused.
func (app appContext) favicon(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Cache-Control", "no-cache") // an icon added later shows on the next page
	file := filepath.Join(app.root, "favicon.ico")
	if info, err := os.Stat(file); err == nil && info.Mode().IsRegular() {
		http.ServeFile(w, r, file)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// noRoute answers with this package's pages a request that routes, a
// ServeMux, has no view for: 404 for an address it does not know, and 405
// for a method that the address does not take. net/http's own answers are
// one line of plain text; Werkzeug's are small HTML pages, as these are.
// Any other handler answers for itself.
func noRoute(routes http.Handler) http.Handler {
	mux, ok := routes.(*http.ServeMux)
	if !ok {
		return routes
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h, pattern := mux.Handler(r)
		if pattern != "" {
			mux.ServeHTTP(w, r)
			return
		}
		// What net/http would answer: 404, 405 with the methods it takes, or
		// a redirect to the address with its slash.
		muxAnswer := &headerOnly{header: http.Header{}}
		h.ServeHTTP(muxAnswer, r)
		switch muxAnswer.status {
		case http.StatusNotFound:
			notFoundPage(r).serve(w, r)
		case http.StatusMethodNotAllowed:
			w.Header().Set("Allow", muxAnswer.header.Get("Allow"))
			methodPage(r, muxAnswer.header.Get("Allow")).serve(w, r)
		default:
			mux.ServeHTTP(w, r)
		}
	})
}

// headerOnly is a ResponseWriter that keeps the status and the headers of
// an answer, and drops its body.
type headerOnly struct {
	header http.Header
	status int
}

func (a *headerOnly) Header() http.Header { return a.header }

func (a *headerOnly) WriteHeader(status int) {
	if a.status == 0 {
		a.status = status
	}
}

func (a *headerOnly) Write(b []byte) (int, error) {
	a.WriteHeader(http.StatusOK)
	return len(b), nil
}

// crossSiteRefused answers a form posted from another web site. Browsers say
// where a form comes from (the Origin and Sec-Fetch-Site headers), which
// http.CrossOriginProtection checks.
func crossSiteRefused(w http.ResponseWriter, r *http.Request) {
	textPage(http.StatusForbidden, "A form from another web site was refused",
		"This form was sent from another web site, so it was refused and nothing was changed. "+
			"This app accepts forms only from its own pages.").serve(w, r)
}

// maxContentLength is Flask's MAX_CONTENT_LENGTH: the largest body a request
// may send. A form of 60-character items is far smaller.
const maxContentLength = 64 << 10

// readForm reads a posted form before the view runs, so r.PostFormValue
// works for both kinds a browser sends: URL-encoded, and multipart (a form
// with enctype="multipart/form-data"). Like Flask past MAX_CONTENT_LENGTH, it
// answers 413 to a body over 64 KB instead of reading it.
func readForm(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = http.MaxBytesReader(w, r.Body, maxContentLength)
		var err error
		switch mediaType, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type")); mediaType {
		case "application/x-www-form-urlencoded":
			err = r.ParseForm()
		case "multipart/form-data":
			err = r.ParseMultipartForm(maxContentLength) // the whole body fits in memory: no temporary files
		}
		if err != nil {
			refuseBody(w, r, err)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// refuseBody answers a request whose body could not be read: 413 when it was
// larger than maxContentLength, as Flask does, and 400 otherwise, such as
// for a body cut short or sent in malformed chunks.
func refuseBody(w http.ResponseWriter, r *http.Request, err error) {
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		textPage(http.StatusRequestEntityTooLarge, "The form was too large",
			"That form was larger than 64 KB, so it was not read and nothing was changed. "+
				"Go back to the page and send a smaller one.").serve(w, r)
		return
	}
	textPage(http.StatusBadRequest, "The form could not be read", fmt.Sprintf("The form could not be read (%v), so nothing was changed. "+
		"Go back to the page and try again.", err)).serve(w, r)
}

// logRequests writes one line per request to out, in Werkzeug's words:
//
//	127.0.0.1 - - [26/Nov/2026 10:00:00] "GET / HTTP/1.1" 200 -
//
// The address is the browser's, the time is local, and "-" stands for the
// size, which Werkzeug does not log either. The browser's own request for
// an icon that the program does not have gets no line (see favicon).
func logRequests(next http.Handler, out io.Writer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		recorder := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		next.ServeHTTP(recorder, r)
		if r.URL.Path == "/favicon.ico" && recorder.status == http.StatusNoContent {
			return // the browser asked on its own, and there is no icon: see favicon
		}
		client, _, _ := net.SplitHostPort(r.RemoteAddr)
		fmt.Fprintf(out, "%s - - [%s] \"%s %s %s\" %d -\n",
			client, time.Now().Format("02/Jan/2006 15:04:05"), r.Method, r.RequestURI, r.Proto, recorder.status)
	})
}

// logViewError writes to the terminal an error in the view of r, as Flask
// does. Without debug mode, Flask's app.log_exception first writes a line in
// the format of Flask's log,
//
//	[2026-12-07 16:13:50,123] ERROR in app: Exception on / [GET]
//
// with the local time, the path without its query, and the method; then
// the traceback. In debug mode Flask leaves the error to Werkzeug's
// debugger, which writes the traceback alone. Here message stands for the
// traceback: the panic with the line it came from, or the template's
// mistake, the line a learner looks for (the debug page has the stack). It
// goes to the log's writer without the log's own date, so that each line
// looks like Flask's and Werkzeug's.
func logViewError(r *http.Request, message string, debugMode bool) {
	lines := message + "\n"
	if !debugMode {
		stamp := time.Now().Format("2006-01-02 15:04:05,000") // Python's asctime: milliseconds after a comma
		lines = fmt.Sprintf("[%s] ERROR in app: Exception on %s [%s]\n%s", stamp, r.URL.Path, r.Method, lines)
	}
	io.WriteString(log.Writer(), lines) // one write, so that two requests' lines do not mix
}

// statusRecorder notes the status a handler answers with.
type statusRecorder struct {
	http.ResponseWriter
	status  int
	written bool
}

func (s *statusRecorder) WriteHeader(code int) {
	if !s.written && code >= 200 {
		s.status, s.written = code, true
	}
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(p []byte) (int, error) {
	s.written = true
	return s.ResponseWriter.Write(p)
}

// Unwrap lets http.ResponseController reach the connection underneath.
func (s *statusRecorder) Unwrap() http.ResponseWriter { return s.ResponseWriter }
