package devserver

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"log"
	"maps"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/testenv"
)

// newApp returns Run's handler around routes, for a program whose main.go
// is in a temporary folder with style.css, started from another folder.
func newApp(t *testing.T, routes http.Handler) http.Handler {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "style.css"), []byte("body { color: green; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	// main.go too, which a file server would give away.
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir()) // the working folder, which holds nothing: the files come from dir
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	return newHandler(routes, manager, appContext{root: rootPath(filepath.Join(dir, "main.go"))})
}

// send serves r with h and returns the status and the page.
func send(h http.Handler, r *http.Request) (int, string) {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code, w.Body.String()
}

// TestRequestLine: one line per request in Werkzeug's format, with the
// browser's address, the local time, the request line and the status.
func TestRequestLine(t *testing.T) {
	var out bytes.Buffer
	h := logRequests(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/missing" {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "hello") // no WriteHeader: net/http sends 200
	}), &out)
	for _, target := range []string{"/", "/missing?x=1"} {
		r := httptest.NewRequest(http.MethodGet, target, nil)
		r.RemoteAddr = "127.0.0.1:53211"
		send(h, r)
	}
	day := time.Now().Format("02/Jan/2006") // the test could straddle midnight, but not in a way that matters here
	want := regexp.MustCompile(`^127\.0\.0\.1 - - \[` + regexp.QuoteMeta(day) + ` \d\d:\d\d:\d\d\] "GET / HTTP/1\.1" 200 -\n` +
		`127\.0\.0\.1 - - \[` + regexp.QuoteMeta(day) + ` \d\d:\d\d:\d\d\] "GET /missing\?x=1 HTTP/1\.1" 404 -\n$`)
	if !want.MatchString(out.String()) {
		t.Errorf("the terminal shows\n%s\nwant two lines such as\n127.0.0.1 - - [%s 10:00:00] \"GET / HTTP/1.1\" 200 -", out.String(), day)
	}
}

// flaskHeader is the line Flask's log has above an error in a view:
// "[2026-12-07 16:13:50,123] ERROR in app: Exception on / [GET]".
var flaskHeader = regexp.MustCompile(`^\[(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d{3})\] ERROR in app: Exception on (\S+) \[([A-Z]+)\]\n`)

// afterHeader checks that the terminal's lines logs start with Flask's
// header for an error in the view of path and method, stamped with the
// local time between from and to, and returns what follows it.
func afterHeader(t *testing.T, logs, path, method string, from, to time.Time) string {
	t.Helper()
	m := flaskHeader.FindStringSubmatch(logs)
	if m == nil || m[2] != path || m[3] != method {
		t.Errorf("the terminal shows %q; want it to start as Flask does, [date time,ms] ERROR in app: Exception on %s [%s]", logs, path, method)
		return logs
	}
	stamp, err := time.ParseInLocation("2006-01-02 15:04:05,000", m[1], time.Local)
	if err != nil || stamp.Before(from.Truncate(time.Millisecond)) || stamp.After(to) {
		t.Errorf("the header's time %s is not the local time of the error, between %s and %s (%v)", m[1], from, to, err)
	}
	return logs[len(m[0]):]
}

// logsAfterHeader is afterHeader where Flask writes its header, without
// debug mode; in debug mode Flask writes none, and it returns logs as
// they are, after checking that they hold no header.
func logsAfterHeader(t *testing.T, debug bool, logs, path, method string, from, to time.Time) string {
	t.Helper()
	if debug {
		if strings.Contains(logs, "ERROR in app") {
			t.Errorf("in debug mode the terminal shows %q; Flask leaves the error to Werkzeug's debugger, which writes no such line", logs)
		}
		return logs
	}
	return afterHeader(t, logs, path, method, from, to)
}

// TestLogViewError: an error in a view is logged as Flask logs it: without
// debug mode a header with the local time, the path without its query, and
// the method, then our message on a line of its own; in debug mode the
// message alone, as Werkzeug's debugger writes the traceback alone.
func TestLogViewError(t *testing.T) {
	for _, debug := range []bool{false, true} {
		logs := captureLog(t)
		from := time.Now()
		logViewError(httptest.NewRequest(http.MethodPost, "/list?sort=1", nil), "panic: boom, at main.go:27 (main.index)", debug)
		if rest := logsAfterHeader(t, debug, logs.String(), "/list", "POST", from, time.Now()); rest != "panic: boom, at main.go:27 (main.index)\n" {
			t.Errorf("debug %v: the terminal shows %q; want the message on one line", debug, rest)
		}
	}
}

// TestRequestLineStatus: the request line logs the status the browser got:
// the final one after 103 Early Hints, the 200 that a first Write sends,
// and the first WriteHeader's, whatever later ones say (net/http ignores
// them, and logs "superfluous response.WriteHeader call").
func TestRequestLineStatus(t *testing.T) {
	log.SetOutput(io.Discard) // net/http's line about the superfluous call
	t.Cleanup(func() { log.SetOutput(os.Stderr) })
	for _, tt := range []struct {
		name   string
		view   http.HandlerFunc
		status int
	}{
		{"103 Early Hints, then 200", func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Link", "</style.css>; rel=preload; as=style")
			w.WriteHeader(http.StatusEarlyHints)
			fmt.Fprint(w, "the page")
		}, http.StatusOK},
		{"103 Early Hints, then 404", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusEarlyHints)
			w.WriteHeader(http.StatusNotFound)
		}, http.StatusNotFound},
		{"a Write, then WriteHeader(500)", func(w http.ResponseWriter, r *http.Request) {
			fmt.Fprint(w, "the page")
			w.WriteHeader(http.StatusInternalServerError)
		}, http.StatusOK},
		{"WriteHeader(404), then WriteHeader(500)", func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusNotFound)
			w.WriteHeader(http.StatusInternalServerError)
		}, http.StatusNotFound},
	} {
		var out bytes.Buffer
		server := httptest.NewServer(logRequests(tt.view, &out))
		resp, err := http.Get(server.URL)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		server.Close() // the line is written once the handler returns
		if want := fmt.Sprintf(`"GET / HTTP/1.1" %d -`, tt.status); resp.StatusCode != tt.status || !strings.Contains(out.String(), want) {
			t.Errorf("%s: the browser got %d and the terminal shows %q; want %d and %s", tt.name, resp.StatusCode, out.String(), tt.status, want)
		}
	}
}

// echoForm answers with the form field new_item, read as the finished app
// reads it: r.ParseForm, then r.PostForm.
var echoForm = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
	if err := r.ParseForm(); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	fmt.Fprintf(w, "new_item=%q", r.PostForm.Get("new_item"))
})

// multipartPost is a form posted with enctype="multipart/form-data", with a
// file of fileSize bytes beside the item.
func multipartPost(t *testing.T, item string, fileSize int) *http.Request {
	var body bytes.Buffer
	form := multipart.NewWriter(&body)
	form.SetBoundary("the-boundary")
	form.WriteField("submit_action", "add")
	form.WriteField("new_item", item)
	if fileSize > 0 {
		file, _ := form.CreateFormFile("photo", "milk.jpg")
		file.Write(bytes.Repeat([]byte("x"), fileSize))
	}
	if err := form.Close(); err != nil {
		t.Fatal(err)
	}
	r := httptest.NewRequest(http.MethodPost, "/", &body)
	r.Header.Set("Content-Type", form.FormDataContentType())
	return r
}

// multipartFileHeader is what the file part adds to multipartPost's form,
// besides the file.
const multipartFileHeader = "\r\n--the-boundary\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"milk.jpg\"\r\nContent-Type: application/octet-stream\r\n\r\n"

// TestForms: a multipart form is read like a URL-encoded one, within the same
// 64 KB, and a larger form of either kind gets 413 and a page that says so,
// without reaching the view. A form of exactly 64 KB is read.
func TestForms(t *testing.T) {
	app := newApp(t, echoForm)
	if status, page := send(app, multipartPost(t, "Milk", 0)); status != http.StatusOK || page != `new_item="Milk"` {
		t.Errorf("a multipart form: %d %q, want 200 new_item=\"Milk\"", status, page)
	}
	if status, page := send(app, multipartPost(t, "Milk", 60<<10)); status != http.StatusOK || page != `new_item="Milk"` {
		t.Errorf("a 60 KB multipart form: %d %q, want 200 new_item=\"Milk\"", status, page)
	}
	urlEncoded := func(size int) *http.Request {
		body := "submit_action=add&new_item=Milk&notes=" + strings.Repeat("m", max(size-len("submit_action=add&new_item=Milk&notes="), 0))
		r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		return r
	}
	exactly := func(size int) *http.Request { // a multipart form of size bytes
		r := multipartPost(t, "Milk", 0)
		overhead := int(r.ContentLength)
		return multipartPost(t, "Milk", size-overhead-len(multipartFileHeader))
	}
	for name, r := range map[string]*http.Request{
		"a URL-encoded form":          urlEncoded(0),
		"a URL-encoded form of 64 KB": urlEncoded(64 << 10),
		"a multipart form of 64 KB":   exactly(64 << 10),
	} {
		if r.ContentLength > 64<<10 {
			t.Fatalf("%s has %d bytes", name, r.ContentLength)
		}
		if status, page := send(app, r); status != http.StatusOK || page != `new_item="Milk"` {
			t.Errorf("%s (%d bytes): %d %q, want 200 new_item=\"Milk\"", name, r.ContentLength, status, page)
		}
	}
	for name, r := range map[string]*http.Request{
		"a multipart form of 64 KB and 1 byte":   exactly(64<<10 + 1),
		"a URL-encoded form of 64 KB and 1 byte": urlEncoded(64<<10 + 1),
		"a multipart form of 70 KB":              multipartPost(t, "Milk", 70<<10),
	} {
		status, page := send(app, r)
		if status != http.StatusRequestEntityTooLarge || !strings.Contains(page, "larger than 64 KB") || strings.Contains(page, "new_item") {
			t.Errorf("%s (%d bytes): %d %q, want 413 and a page that says it was larger than 64 KB", name, r.ContentLength, status, page)
		}
	}
}

// TestCrossSite: a form posted from another web site is refused with a page
// that says why; one from the app's own page goes through.
func TestCrossSite(t *testing.T) {
	app := newApp(t, echoForm)
	post := func(site string) *http.Request {
		r := httptest.NewRequest(http.MethodPost, "http://127.0.0.1:5000/", strings.NewReader("new_item=Milk"))
		r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r.Header.Set("Sec-Fetch-Site", site)
		return r
	}
	if status, page := send(app, post("cross-site")); status != http.StatusForbidden || !strings.Contains(page, "sent from another web site") {
		t.Errorf("a cross-site form: %d %q, want 403 and a page that says it came from another web site", status, page)
	}
	if status, page := send(app, post("same-origin")); status != http.StatusOK {
		t.Errorf("a form from the app's own page: %d %q, want 200", status, page)
	}
}

// TestStylesheet: style.css is served from the program's folder, and nothing
// else from it.
func TestStylesheet(t *testing.T) {
	routes := http.NewServeMux()
	routes.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "the page") })
	app := newApp(t, routes)
	if status, page := send(app, httptest.NewRequest(http.MethodGet, "/style.css", nil)); status != http.StatusOK || !strings.Contains(page, "color: green") {
		t.Errorf("GET /style.css: %d %q, want the stylesheet", status, page)
	}
	for _, path := range []string{"/main.go", "/style.css/../main.go", "/index.html"} {
		if status, page := send(app, httptest.NewRequest(http.MethodGet, path, nil)); status == http.StatusOK {
			t.Errorf("GET %s: %d %q, want it refused", path, status, page)
		}
	}
}

// TestStylesheetSwitchingApps: the starter and then the buttons page serve
// /style.css on one port. The browser revalidates its copy on every load, as
// Flask's Cache-Control: no-cache asks, with the conditional request it
// makes from what it was sent (If-None-Match, If-Modified-Since), and gets
// the buttons page's style, though that file is older than the starter's.
// Its own copy, asked again, gets a short 304.
func TestStylesheetSwitchingApps(t *testing.T) {
	apps := map[string]string{}
	for i, name := range []string{"buttons", "starter"} { // the buttons page's file is the older
		source := filepath.Join("..", "style.css")
		if name == "buttons" {
			source = filepath.Join("..", "buttons", "style.css")
		}
		apps[name] = t.TempDir()
		writeFiles(t, apps[name], map[string]string{"style.css": testenv.ReadFile(t, source)})
		stamp := time.Now().Add(time.Duration(i-10) * time.Hour)
		os.Chtimes(filepath.Join(apps[name], "style.css"), stamp, stamp)
	}
	if testenv.ReadFile(t, filepath.Join(apps["starter"], "style.css")) == testenv.ReadFile(t, filepath.Join(apps["buttons"], "style.css")) {
		t.Fatal("the starter's style.css and the buttons page's are the same: nothing to tell apart")
	}
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	load := func(app string, conditional http.Header) *httptest.ResponseRecorder {
		r := httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/style.css", nil)
		maps.Copy(r.Header, conditional)
		w := httptest.NewRecorder()
		newHandler(http.NotFoundHandler(), manager, appContext{root: apps[app]}).ServeHTTP(w, r)
		return w
	}
	first := load("starter", nil)
	if first.Code != http.StatusOK || first.Header().Get("Cache-Control") != "no-cache" || first.Body.String() != testenv.ReadFile(t, filepath.Join(apps["starter"], "style.css")) {
		t.Fatalf("the starter's style.css: %d, Cache-Control %q; want 200, no-cache and the file", first.Code, first.Header().Get("Cache-Control"))
	}
	conditional := http.Header{} // what a browser sends when it asks whether its copy is still good
	if etag := first.Header().Get("ETag"); etag != "" {
		conditional.Set("If-None-Match", etag)
	}
	if modified := first.Header().Get("Last-Modified"); modified != "" {
		conditional.Set("If-Modified-Since", modified)
	}
	if again := load("starter", conditional); again.Code != http.StatusNotModified {
		t.Errorf("the starter's style.css asked again with %v: %d, want 304", conditional, again.Code)
	}
	buttons := load("buttons", conditional)
	if buttons.Code != http.StatusOK || buttons.Body.String() != testenv.ReadFile(t, filepath.Join(apps["buttons"], "style.css")) {
		t.Errorf("the buttons page's style.css, asked with the starter's %v: %d %.60q; want 200 and the buttons page's style", conditional, buttons.Code, buttons.Body)
	}
}

// TestFavicon: the browser's own request for /favicon.ico gets 204 and no
// request line when the program has no icon, not a 404, which the browser's
// console shows as an error on every page; an icon in the program's folder
// is served, and its request logged.
func TestFavicon(t *testing.T) {
	routes := http.NewServeMux()
	routes.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "the page") })
	var out bytes.Buffer
	app := logRequests(newApp(t, routes), &out)
	for _, path := range []string{"/", "/favicon.ico"} {
		r := httptest.NewRequest(http.MethodGet, path, nil)
		r.RemoteAddr = "127.0.0.1:53211"
		w := httptest.NewRecorder()
		app.ServeHTTP(w, r)
		if path == "/favicon.ico" && (w.Code != http.StatusNoContent || w.Body.Len() != 0) {
			t.Errorf("GET /favicon.ico without an icon: %d %q, want 204 and nothing", w.Code, w.Body)
		}
	}
	if lines := out.String(); !strings.Contains(lines, `"GET / HTTP/1.1" 200 -`) || strings.Contains(lines, "favicon") {
		t.Errorf("the terminal shows %q; want the line of the page, and none for the icon", lines)
	}
	root := t.TempDir()
	writeFiles(t, root, map[string]string{"favicon.ico": "an icon"})
	manager, err := sessions.New(sessions.Config{SecretKey: "test key"})
	if err != nil {
		t.Fatal(err)
	}
	if status, body := send(newHandler(routes, manager, appContext{root: root}), httptest.NewRequest(http.MethodGet, "/favicon.ico", nil)); status != http.StatusOK || body != "an icon" {
		t.Errorf("GET /favicon.ico with favicon.ico in the program's folder: %d %q, want 200 and the icon", status, body)
	}
}

// TestHeaderLimit: a request that carries a full 4 KB session cookie among a
// browser's usual headers is answered, and so is one whose headers take
// 11 KB: the 8 KB of MaxHeaderBytes, and the 4 KB that net/http allows on
// top. One of 13 KB is refused with 431.
func TestHeaderLimit(t *testing.T) {
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	server.Config = newServer(server.Config.Handler)
	server.Start()
	defer server.Close()
	get := func(header http.Header) int {
		t.Helper()
		r, _ := http.NewRequest(http.MethodGet, server.URL+"/", nil)
		r.Header = header
		r.Close = true // each on a new connection: one used before may let more through
		resp, err := server.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.StatusCode
	}
	browser := http.Header{
		"User-Agent":                {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36"},
		"Accept":                    {"text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8"},
		"Accept-Language":           {"en-US,en;q=0.9"},
		"Accept-Encoding":           {"gzip, deflate, br, zstd"},
		"Sec-Ch-Ua":                 {`"Google Chrome";v="131", "Chromium";v="131", "Not_A Brand";v="24"`},
		"Sec-Ch-Ua-Mobile":          {"?0"},
		"Sec-Ch-Ua-Platform":        {`"Windows"`},
		"Sec-Fetch-Dest":            {"document"},
		"Sec-Fetch-Mode":            {"navigate"},
		"Sec-Fetch-Site":            {"same-origin"},
		"Sec-Fetch-User":            {"?1"},
		"Upgrade-Insecure-Requests": {"1"},
		"Cache-Control":             {"max-age=0"},
		"Referer":                   {server.URL + "/"},
		"Cookie":                    {"session=" + strings.Repeat("a", sessions.MaxValueSize)},
	}
	if status := get(browser); status != http.StatusOK {
		t.Errorf("a request with a 4 KB session cookie: %d, want 200", status)
	}
	for _, tt := range []struct {
		size   int
		status int
	}{{11 << 10, http.StatusOK}, {13 << 10, http.StatusRequestHeaderFieldsTooLarge}} {
		header := http.Header{"X-Padding": {strings.Repeat("a", tt.size)}}
		if status := get(header); status != tt.status {
			t.Errorf("a request with %d KB of headers: %d, want %d", tt.size>>10, status, tt.status)
		}
	}
}

// TestIdleConnectionsClose: a browser's keep-alive connection that sends
// nothing more is closed after a few seconds, so idle connections cannot hold
// every file descriptor for minutes (net/http's default keeps them two).
func TestIdleConnectionsClose(t *testing.T) {
	if testing.Short() {
		t.Skip("waits for the server to close an idle connection; skipped with -short")
	}
	t.Parallel()
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	server.Config = newServer(server.Config.Handler)
	server.Start()
	defer server.Close()
	conn, err := net.Dial("tcp", server.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
	reader := bufio.NewReader(conn)
	resp, err := http.ReadResponse(reader, nil)
	if err != nil {
		t.Fatal(err)
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // only a guard: the server should close it long before
	if _, err := reader.ReadByte(); err != io.EOF {
		t.Errorf("an idle keep-alive connection: %v, want the server to close it (EOF)", err)
	}
}
