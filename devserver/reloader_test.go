package devserver

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// newLesson copies the program in testdata/lesson to a module of its own
// that uses this repository, with its version changed to version, and
// returns its folder.
func newLesson(t *testing.T, version string) string {
	t.Helper()
	dir := testenv.NewModule(t)
	testenv.Copy(t, filepath.Join("testdata", "lesson"), dir, "main.go", "index.html", filepath.Join("words", "words.go"))
	edit(t, dir, 0, "version 1", version)
	return dir
}

// lessonLine returns the number of the line of testdata/lesson/main.go that
// holds code.
func lessonLine(t *testing.T, code string) int {
	t.Helper()
	text := testenv.ReadFile(t, filepath.Join("testdata", "lesson", "main.go"))
	i := strings.Index(text, code)
	if i < 0 {
		t.Fatalf("testdata/lesson/main.go does not hold %q", code)
	}
	return strings.Count(text[:i], "\n") + 1
}

// edit makes the replacements (old, new, old, new...) in dir's main.go, and
// moves its time forward by step seconds, so that even a coarse clock shows a
// change.
func edit(t *testing.T, dir string, step int, replacements ...string) {
	t.Helper()
	file := filepath.Join(dir, "main.go")
	text, err := os.ReadFile(file)
	if err != nil || !strings.Contains(string(text), replacements[0]) {
		t.Fatalf("main.go does not hold %q (%v)", replacements[0], err)
	}
	if err := os.WriteFile(file, []byte(strings.NewReplacer(replacements...).Replace(string(text))), 0o644); err != nil {
		t.Fatal(err)
	}
	stamp := time.Now().Add(time.Duration(step) * time.Second)
	os.Chtimes(file, stamp, stamp)
}

// save edits main.go as edit does, and waits for the line that says the
// program saw the change.
func save(t *testing.T, p *program.Program, dir string, step int, replacements ...string) {
	t.Helper()
	mark := p.Mark()
	edit(t, dir, step, replacements...)
	if p.WaitFor(mark, " * Detected change in 'main.go', reloading\n") < 0 {
		t.Fatalf("no line says the change was seen: %q", p.Terminal()[mark:])
	}
}

// start runs command in dir, with env added, as testenv.Start does.
func start(t *testing.T, dir string, env []string, command ...string) *program.Program {
	t.Helper()
	return testenv.Start(t, command, program.Options{Dir: dir, Env: env})
}

// get asks p for path with method, with header's name and value pairs set,
// and returns the status and the page.
func get(t *testing.T, p *program.Program, method, path string, header ...string) (int, string) {
	t.Helper()
	r, _ := http.NewRequest(method, p.URL+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		if header[i] == "Host" {
			r.Host = header[i+1] // Go's client sends r.Host, whatever the header says
		}
	}
	b := program.NewBrowser(p.URL)
	b.Client.Timeout = 90 * time.Second // only a guard: a rebuild takes a second or so
	page, err := b.Do(r, header...)
	if err != nil {
		t.Fatalf("%s %s: %v; the terminal:\n%s", method, path, err, p.Terminal())
	}
	return page.Status, page.Body
}

// pageField returns the value of name=value on a page of the lesson
// program, such as pageField(page, "pid").
func pageField(page, name string) string {
	for _, field := range strings.Fields(page) {
		if value, ok := strings.CutPrefix(field, name+"="); ok {
			return value
		}
	}
	return ""
}

// TestReloader does what a learner does: run the program once, then save
// main.go again and again, and reload the page each time.
func TestReloader(t *testing.T) {
	testenv.NeedsPrograms(t)
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY="}, testenv.Build(t, dir), "-addr", "127.0.0.1:0")
	// The banner names main.go as Go recorded it when it built the program:
	// with forward slashes on every system, Windows too (runtime.Caller).
	serving := " * Serving " + filepath.ToSlash(filepath.Join(dir, "main.go")) + "\n"
	for _, line := range []string{serving, " * Debug mode: on\n", " * Restarting with a file watch\n"} {
		if p.WaitFor(0, line) < 0 {
			t.Errorf("the terminal lacks %q", line)
		}
	}

	t.Log("the page; what index prints, then one request line per request")
	mark := p.Mark()
	status, page := get(t, p, "GET", "/")
	if status != http.StatusOK || !strings.HasPrefix(page, "version 1 ") {
		t.Fatalf("the first page: %d %q", status, page)
	}
	get(t, p, "GET", "/style.css") // a second request: a second line for the first would show before its line
	requestLine := `"GET / HTTP/1.1" 200 -` + "\n"
	if p.WaitFor(mark, requestLine) < 0 || p.WaitFor(mark, `"GET /style.css HTTP/1.1" 404 -`) < 0 {
		t.Fatalf("no request lines: %q", p.Terminal()[mark:])
	}
	if got := p.Terminal()[mark:]; strings.Count(got, requestLine) != 1 || !strings.Contains(got, "index says version 1\n127.0.0.1 - - [") {
		t.Errorf("the terminal shows %q, want what index printed, then one request line", got)
	}

	t.Log("a panic gives a 500 page, and a line in the terminal that names the line of main.go")
	mark = p.Mark()
	if status, page := get(t, p, "GET", "/panic"); status != http.StatusInternalServerError {
		t.Errorf("a panic: %d %q, want 500", status, page)
	}
	slipLine := lessonLine(t, "_ = groceries.([]string)")
	if want := fmt.Sprintf("main.go:%d (main.main.func1)", slipLine); p.WaitFor(mark, want) < 0 {
		t.Errorf("the terminal shows %q, want a line naming %s", p.Terminal()[mark:], want)
	}
	_, page = get(t, p, "GET", "/panic")
	if want := fmt.Sprintf("main.go, around line %d:\n\n", slipLine); !strings.Contains(page, want) ||
		!strings.Contains(page, fmt.Sprintf(">   %d | \t\t_ = groceries.([]string)\n", slipLine)) {
		t.Errorf("the panic page %q does not show the lines around line %d, that one marked", page, slipLine)
	}

	t.Log("debug mode answers only requests that name this computer, at the front and at the program behind it")
	for _, host := range []string{"evil.example:5000", "192.168.1.20:5000", "localhost.evil.example"} {
		status, page := get(t, p, "GET", "/", "Host", host)
		if status != http.StatusBadRequest || !strings.Contains(page, "In debug mode, the server answers only this computer's browser, at "+p.URL) {
			t.Errorf("a request for the site %s: %d %q; want 400 and a page that says why", host, status, page)
		}
	}
	for _, host := range []string{"localhost:5000", "127.0.0.1", "[::1]:5000"} {
		if status, page := get(t, p, "GET", "/", "Host", host); status != http.StatusOK {
			t.Errorf("a request for %s: %d %q; want 200", host, status, page)
		}
	}
	_, page = get(t, p, "GET", "/")
	behind := &program.Program{URL: "http://" + pageField(page, "at")} // the program itself, past the front
	if status, page := get(t, behind, "GET", "/", "Host", "evil.example:5000"); status != http.StatusBadRequest {
		t.Errorf("a request for another site, sent to the program behind the front: %d %q; want 400", status, page)
	}
	if status, page := get(t, behind, "GET", "/"); status != http.StatusOK {
		t.Errorf("a request for 127.0.0.1, sent to the program behind the front: %d %q; want 200", status, page)
	}

	t.Log("a form from the app's own page keeps its Host through the reloader, so cross-origin protection lets it in")
	if status, page := get(t, p, "POST", "/", "Origin", p.URL); status != http.StatusOK {
		t.Errorf("a POST from the app's own page: %d %q, want 200", status, page)
	}
	if status, page := get(t, p, "POST", "/", "Origin", "http://attacker.example"); status != http.StatusForbidden {
		t.Errorf("a POST from another site: %d %q, want 403", status, page)
	}

	t.Log("a save shows on a reload made while the program is being rebuilt")
	save(t, p, dir, 1, "version 1", "version 2")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 2 ") {
		t.Errorf("a reload during the rebuild: %d %q, want version 2", status, page)
	}

	t.Log("a compile error shows in the browser and the terminal; the next good save brings the page back")
	mark = p.Mark()
	save(t, p, dir, 2, `	fmt.Println("index says`, "\titem := 'milk'\n\tfmt.Println(\"index says")
	line := lessonLine(t, `	fmt.Println("index says`)
	where := fmt.Sprintf("main.go:%d:", line)
	status, page = get(t, p, "GET", "/")
	for _, want := range []string{where, fmt.Sprintf(">   %d | \titem := 'milk'\n", line), "waiting for your next save"} {
		if status != http.StatusInternalServerError || !strings.Contains(page, want) {
			t.Errorf("the compile error page: %d %q, want 500 and %q", status, page, want)
		}
	}
	if p.WaitFor(mark, where) < 0 {
		t.Errorf("the terminal does not show the compiler's message: %q", p.Terminal()[mark:])
	}
	if strings.Contains(page, "command-line-arguments") || strings.Contains(p.Terminal()[mark:], "command-line-arguments") {
		t.Errorf("the page or the terminal shows go build's line \"# command-line-arguments\", which means nothing to a learner: %q", page)
	}
	if status, page := get(t, p, "GET", "/", "Host", "evil.example:5000"); status != http.StatusBadRequest || strings.Contains(page, "item := 'milk'") {
		t.Errorf("the compile error page, asked for as another site: %d %q; want 400, without the code", status, page)
	}
	save(t, p, dir, 3, "\titem := 'milk'\n", "", "version 2", "version 3")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 3 ") {
		t.Errorf("after the fix: %d %q, want version 3", status, page)
	}

	t.Log("a save during a build makes another build; the terminal says Detected change once for the two")
	mark = p.Mark()
	save(t, p, dir, 4, "version 3", "version 4")
	edit(t, dir, 5, "version 4", "version 5")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 5 ") {
		t.Errorf("after a save during a build: %d %q, want version 5", status, page)
	}
	if got := p.Terminal()[mark:]; strings.Count(got, " * Detected change") != 1 {
		t.Errorf("two saves in a burst: the terminal shows %q; want one Detected change line", got)
	}

	t.Log("a program that stops by itself gives a page that says so, until the next save")
	for _, path := range []string{"/crash", "/"} {
		status, page := get(t, p, "GET", path)
		if status != http.StatusInternalServerError || !strings.Contains(page, "The program stopped by itself (exit status 3)") ||
			!strings.Contains(page, "stopping now") {
			t.Errorf("GET %s after the program stopped: %d %q, want 500, what happened and what it printed", path, status, page)
		}
	}
	save(t, p, dir, 6, "version 5", "version 6")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 6 ") {
		t.Errorf("after a save: %d %q, want version 6", status, page)
	}

	t.Log("a second server on the same port says that this one is already running; this one says what it was")
	mark = p.Mark()
	out := runToEnd(t, dir, []string{"SECRET_KEY="}, testenv.Build(t, dir), "-addr", strings.TrimPrefix(p.URL, "http://"))
	if !strings.Contains(out, "This lesson's server is already running at "+p.URL) {
		t.Errorf("a second server on the port says %q", out)
	}
	get(t, p, "GET", "/style.css") // its request line comes after whatever the second server left
	if p.WaitFor(mark, `"GET /style.css HTTP/1.1"`) < 0 {
		t.Fatalf("no request line: %q", p.Terminal()[mark:])
	}
	if got := p.Terminal()[mark:]; strings.Contains(got, `"HEAD `) ||
		!strings.Contains(got, " * Another server, "+filepath.ToSlash(filepath.Join(dir, "main.go"))+", tried to start on this port, and stopped: this one is running here\n") {
		t.Errorf("after a second server tried the port, this one's terminal shows %q; want a line that says so, and no request line for it", got)
	}
}

// runToEnd runs a program that should stop at once with an error, and
// returns what it printed.
func runToEnd(t *testing.T, dir string, env []string, command ...string) string {
	t.Helper()
	cmd := exec.Command(command[0], command[1:]...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Errorf("%s ran without an error; it printed %q", command, out)
	}
	return string(out)
}

// TestWithSecretKey: with SECRET_KEY set, there is no reloader: one process
// serves, debug mode's checks are off, and error pages show no details. A
// weak key is refused at start.
func TestWithSecretKey(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	bin := testenv.Build(t, dir)
	p := start(t, dir, []string{"SECRET_KEY=a private phrase"}, bin, "-addr", "127.0.0.1:0")
	status, page := get(t, p, "GET", "/")
	if want := fmt.Sprintf("version 1 pid=%d ", p.Pid()); status != http.StatusOK || !strings.HasPrefix(page, want) {
		t.Errorf("the page: %d %q, want %q: the process that was started answers", status, page, want)
	}
	if !strings.Contains(p.Terminal(), " * Debug mode: off\n") || strings.Contains(p.Terminal(), "Restarting") {
		t.Errorf("the terminal: %q, want debug mode off and no reloader", p.Terminal())
	}
	if p.WaitFor(0, `"GET / HTTP/1.1" 200 -`) < 0 {
		t.Errorf("no request line: %q", p.Terminal())
	}
	status, page = get(t, p, "GET", "/panic")
	if status != http.StatusInternalServerError || !strings.Contains(page, "could not finish this request") ||
		strings.Contains(page, "panic:") || strings.Contains(page, "main.go") || strings.Contains(page, "goroutine") {
		t.Errorf("a panic with SECRET_KEY set: %d %q; want 500 and a page without details", status, page)
	}
	if status, _ := get(t, p, "GET", "/", "Host", "my-app.example"); status != http.StatusOK {
		t.Errorf("a request for the site my-app.example with SECRET_KEY set: %d; want 200, as in production", status)
	}
	if out := runToEnd(t, dir, []string{"SECRET_KEY="}, bin, "-addr", "0.0.0.0:0"); !strings.Contains(out, "Set SECRET_KEY to any private phrase first") {
		t.Errorf("debug mode on 0.0.0.0: %q, want a refusal", out)
	}
	mark := p.Mark()
	if out := runToEnd(t, dir, []string{"SECRET_KEY=another private phrase"}, bin, "-addr", strings.TrimPrefix(p.URL, "http://")); !strings.Contains(out, "This lesson's server is already running at "+p.URL) {
		t.Errorf("a second server on the port says %q", out)
	}
	get(t, p, "GET", "/style.css") // its request line comes after whatever the second server left
	if p.WaitFor(mark, `"GET /style.css HTTP/1.1"`) < 0 {
		t.Fatalf("no request line: %q", p.Terminal()[mark:])
	}
	if got := p.Terminal()[mark:]; strings.Contains(got, `"HEAD `) || !strings.Contains(got, " * Another server, ") {
		t.Errorf("after a second server tried the port, this one's terminal shows %q; want a line that says so, and no request line for it", got)
	}
	if out := runToEnd(t, dir, []string{"SECRET_KEY=12345678"}, bin, "-addr", "127.0.0.1:0"); !strings.Contains(out, "SECRET_KEY is too short: it has 8 characters") ||
		strings.Contains(out, "Running on") {
		t.Errorf("SECRET_KEY=12345678: %q, want a refusal at start", out)
	}
}

// newTestFront returns a front for the program whose one file is mainFile,
// with no builder and no watch running: the test moves it along itself. What
// the front prints goes to the returned terminal.
func newTestFront(t *testing.T, mainFile string) (*front, *terminal) {
	t.Helper()
	reader, writer, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	f := makeFront(mainFile, []string{mainFile}, writer)
	t.Cleanup(f.cancel)
	out := &terminal{}
	go io.Copy(out, reader)
	t.Cleanup(func() { writer.Close() })
	return f, out
}

// newMainFile returns a main.go in a new folder, for a test that saves it.
func newMainFile(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	writeFiles(t, dir, map[string]string{"main.go": "package main\n"})
	return filepath.Join(dir, "main.go")
}

// unchangedMainFile is a main.go for a test that does not change it: the
// lesson program's, where no temporary folder is needed, which Wine cannot
// remove.
var unchangedMainFile, _ = filepath.Abs(filepath.Join("testdata", "lesson", "main.go"))

// terminal keeps what a test front prints.
type terminal struct {
	mu   sync.Mutex
	text strings.Builder
}

func (t *terminal) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.text.Write(p)
}

// String returns what the test front printed so far.
func (t *terminal) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.text.String()
}

// waitFor waits until the terminal shows want, and tells whether it did
// within 30 seconds, a guard only.
func (t *terminal) waitFor(want string) bool {
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		t.mu.Lock()
		ok := strings.Contains(t.text.String(), want)
		t.mu.Unlock()
		if ok {
			return true
		}
	}
	return false
}

// serveFront serves f as the front does, with newServer's limits, and
// returns its address.
func serveFront(t *testing.T, f *front, change func(*http.Server)) string {
	t.Helper()
	server := httptest.NewUnstartedServer(f)
	server.Config = newServer(f)
	if change != nil {
		change(server.Config)
	}
	server.Start()
	t.Cleanup(server.Close)
	return server.URL
}

// fetch asks url for its page, with a guard of 30 seconds.
func fetch(url string) (int, http.Header, string, error) {
	client := http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		return 0, nil, "", err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(body), err
}

// TestWaitingIsNotCutShort: a request that waits for a build or a start
// longer than the server's write and read timeouts still gets a page: after
// the wait limit, one that says what is going on and reloads itself; before
// it, the page of the program, or here of the problem, that came.
func TestWaitingIsNotCutShort(t *testing.T) {
	f, _ := newTestFront(t, unchangedMainFile)
	f.room.waitLimit = 600 * time.Millisecond
	url := serveFront(t, f, func(s *http.Server) { s.WriteTimeout, s.ReadTimeout = 100*time.Millisecond, 100*time.Millisecond })

	status, header, page, err := fetch(url)
	if err != nil || status != http.StatusServiceUnavailable || header.Get("Refresh") != "5" ||
		!strings.Contains(page, "The program is still starting after 0.6 seconds") || !strings.Contains(page, "reloads itself") {
		t.Errorf("a request that waited past the limit: %v, %d, Refresh %q, %q; want 503, a page that says the program is still starting, and Refresh: 5",
			err, status, header.Get("Refresh"), page)
	}

	f.room.waitLimit = time.Minute
	go func() {
		time.Sleep(400 * time.Millisecond) // past both timeouts
		f.switchTo(nil, notRunningPage("the compile error"), 0)
	}()
	if status, _, page, err := fetch(url); err != nil || status != http.StatusInternalServerError || !strings.Contains(page, "the compile error") {
		t.Errorf("a request that waited for a build that does not compile: %v, %d %q; want 500 and the compile error", err, status, page)
	}
}

// TestWaitingRequestsCapped: up to maxWaiting requests wait for the program;
// the next gets 503 and a page that says why, at once.
func TestWaitingRequestsCapped(t *testing.T) {
	f, _ := newTestFront(t, unchangedMainFile)
	f.room.maxWaiting = 2
	url := serveFront(t, f, nil)
	type result struct {
		status int
		page   string
		err    error
	}
	results := make(chan result, 2)
	for range 2 {
		go func() {
			status, _, page, err := fetch(url)
			results <- result{status, page, err}
		}()
	}
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(5 * time.Millisecond) {
		f.mu.Lock()
		waiting := f.room.waiting
		f.mu.Unlock()
		if waiting == 2 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("%d requests wait, want 2", waiting)
		}
	}
	status, header, page, err := fetch(url)
	if err != nil || status != http.StatusServiceUnavailable || header.Get("Retry-After") == "" ||
		!strings.Contains(page, "2 requests are already waiting for the program, so this one was turned away") {
		t.Errorf("a third request: %v, %d %q; want 503 and a page that says 2 requests wait", err, status, page)
	}
	if strings.Contains(page, "form") {
		t.Errorf("a third request, a GET: the page %q speaks of a form", page)
	}
	resp, err := http.PostForm(url, map[string][]string{"new_item": {"jam"}})
	if err != nil {
		t.Fatal(err)
	}
	posted, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if want := "The form you sent did not reach the program, so nothing was changed. Send it again once the page is back."; !strings.Contains(string(posted), want) {
		t.Errorf("a form turned away: %d %q; want a page that says %q", resp.StatusCode, posted, want)
	}
	f.switchTo(nil, notRunningPage("the compile error"), 0)
	for range 2 {
		if r := <-results; r.err != nil || r.status != http.StatusInternalServerError || !strings.Contains(r.page, "the compile error") {
			t.Errorf("a request that waited: %v, %d %q; want the compile error", r.err, r.status, r.page)
		}
	}
}

// TestStoppingFront: a request that waits when the front stops gets a page
// that says so, as does one that comes after.
func TestStoppingFront(t *testing.T) {
	f, _ := newTestFront(t, unchangedMainFile)
	url := serveFront(t, f, nil)
	go func() {
		for {
			f.mu.Lock()
			waiting := f.room.waiting
			f.mu.Unlock()
			if waiting > 0 {
				break
			}
			time.Sleep(5 * time.Millisecond)
		}
		f.programs.stopAll() // no program runs: the front is stopping
		f.mu.Lock()
		close(f.room.switched)
		f.room.switched = make(chan struct{})
		f.mu.Unlock()
	}()
	for _, when := range []string{"while it waited", "after"} {
		if status, _, page, err := fetch(url); err != nil || status != http.StatusServiceUnavailable || !strings.Contains(page, "The server is stopping") {
			t.Errorf("a request %s: %v, %d %q; want 503 and a page that says the server is stopping", when, err, status, page)
		}
	}
}

// startLesson builds the lesson program in dir and runs it, with env added,
// its temporary files in tmp.
func startLesson(t *testing.T, dir, tmp string, env ...string) *program.Program {
	t.Helper()
	return testenv.Start(t, []string{testenv.Build(t, dir), "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, Env: env, TempDir: tmp})
}

// version returns the version a page of the lesson program names, such as
// "version 2".
func version(page string) string {
	v, _, _ := strings.Cut(page, " pid=")
	return v
}

// TestTwoQuickSaves: two saves in quick succession, as an editor's Auto Save
// or a typo fixed at once make, and a reload soon after the second: the page
// is the second save's, whether the second came during the first's build or
// after. (The reloader used to answer with the first save's build.)
func TestTwoQuickSaves(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	p := startLesson(t, dir, t.TempDir(), "SECRET_KEY=")
	n, step := 1, 1
	for _, tt := range []struct{ gap, after time.Duration }{
		{300 * time.Millisecond, 100 * time.Millisecond},
		{time.Second, 0},
		{1500 * time.Millisecond, 500 * time.Millisecond},
		{2500 * time.Millisecond, time.Second},
	} {
		edit(t, dir, step, fmt.Sprintf("version %d", n), fmt.Sprintf("version %d", n+1))
		time.Sleep(tt.gap)
		edit(t, dir, step+1, fmt.Sprintf("version %d", n+1), fmt.Sprintf("version %d", n+2))
		time.Sleep(tt.after)
		n, step = n+2, step+2
		if status, page := get(t, p, "GET", "/"); status != http.StatusOK || version(page) != fmt.Sprintf("version %d", n) {
			t.Errorf("saves %v apart, a reload %v after the second: %d %q; want version %d", tt.gap, tt.after, status, page, n)
		}
	}
}

// TestThreeQuickSaves: three saves 300 ms apart, as Auto Save makes while
// a learner types, and a reload right after the third: the page is the
// third save's, never a build of the first or the second.
func TestThreeQuickSaves(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	p := startLesson(t, dir, t.TempDir(), "SECRET_KEY=")
	for n := 1; n <= 3; n++ {
		if n > 1 {
			time.Sleep(300 * time.Millisecond)
		}
		edit(t, dir, n, fmt.Sprintf("version %d", n), fmt.Sprintf("version %d", n+1))
	}
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || version(page) != "version 4" {
		t.Errorf("three saves 300 ms apart, a reload right after the third: %d %q; want version 4", status, page)
	}
}

// TestSaveOfAnotherFile: a save of another Go file of the program's module,
// a package main.go imports, is a change too.
func TestSaveOfAnotherFile(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	p := startLesson(t, dir, t.TempDir(), "SECRET_KEY=")
	if _, page := get(t, p, "GET", "/"); pageField(page, "word") != "first" {
		t.Fatalf("the first page: %q", page)
	}
	mark := p.Mark()
	file := filepath.Join(dir, "words", "words.go")
	testenv.Save(t, file, strings.Replace(testenv.ReadFile(t, file), `"first"`, `"second"`, 1), time.Second)
	if p.WaitFor(mark, " * Detected change in 'words/words.go', reloading\n") < 0 {
		t.Errorf("no line says that words/words.go changed: %q", p.Terminal()[mark:])
	}
	if _, page := get(t, p, "GET", "/"); pageField(page, "word") != "second" {
		t.Errorf("after a save of words/words.go the page is %q; want word=second", page)
	}
}

// buildFolders returns the folders of the front's builds in tmp.
func buildFolders(tmp string) []string {
	folders, _ := filepath.Glob(filepath.Join(tmp, buildPrefix+"*"))
	return folders
}

// TestSwitchToANewBuild: after a save, the new build answers, under a name
// of its own; the old program is asked to stop, finishes the request it was
// answering, ends, and its build is removed. Its end is not news: the
// terminal does not say it stopped by itself, nor that it had to be killed.
func TestSwitchToANewBuild(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir, tmp := newLesson(t, "version 1"), t.TempDir()
	p := startLesson(t, dir, tmp, "SECRET_KEY=")
	save(t, p, dir, 1, "version 1", "version 2")
	_, before := get(t, p, "GET", "/")
	if version(before) != "version 2" || len(buildFolders(tmp)) != 1 {
		t.Fatalf("after a save the page is %q, and %s holds the builds %q", before, tmp, buildFolders(tmp))
	}

	mark := p.Mark()
	slow := make(chan string, 1)
	go func() {
		b := program.NewBrowser(p.URL)
		b.Client.Timeout = 90 * time.Second
		page, err := b.Get("/slow?ms=3000")
		slow <- fmt.Sprint(page.Status, " ", page.Body, err)
	}()
	if p.WaitFor(mark, "slow request begins") < 0 {
		t.Fatal("the slow request did not begin")
	}
	save(t, p, dir, 2, "version 2", "version 3")
	_, after := get(t, p, "GET", "/")
	if version(after) != "version 3" || pageField(after, "exe") == pageField(before, "exe") || pageField(after, "pid") == pageField(before, "pid") {
		t.Errorf("after another save the page is %q; want version 3 from another build, named apart from %s", after, pageField(before, "exe"))
	}
	if got := <-slow; got != "200 slow request done<nil>" {
		t.Errorf("the request the old program was answering got %q; want 200 slow request done", got)
	}
	for deadline := time.Now().Add(30 * time.Second); len(buildFolders(tmp)) != 1 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
	}
	if folders := buildFolders(tmp); len(folders) != 1 || folders[0] != filepath.Dir(pageField(after, "exe")) {
		t.Errorf("the temporary folder holds the builds %q; want only the one that runs, %s", folders, pageField(after, "exe"))
	}
	get(t, p, "GET", "/style.css") // its request line comes after the old program's end
	if p.WaitFor(mark, `"GET /style.css`) < 0 {
		t.Fatal("no request line")
	}
	if got := p.Terminal()[mark:]; strings.Contains(got, "stopped by itself") || strings.Contains(got, "killed") {
		t.Errorf("the terminal says %q; want nothing about the old program's end", got)
	}
}

// TestDebugAnswersAsProduction: the front changes nothing a request gets.
// The program in debug mode, behind the front, and the same program with
// SECRET_KEY set, on its own, answer each request with the same status:
// forms from other sites refused however their headers are hidden, a body
// in malformed chunks or too large refused as production refuses it.
func TestDebugAnswersAsProduction(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	bin := testenv.Build(t, dir)
	debug := start(t, dir, []string{"SECRET_KEY="}, bin, "-addr", "127.0.0.1:0")
	production := start(t, dir, []string{"SECRET_KEY=a private phrase, long enough"}, bin, "-addr", "127.0.0.1:0")
	const form = "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 13\r\n\r\nnew_item=Milk"
	for _, tt := range []struct {
		name, headers string
		status        int
	}{
		{"a form from the app's own page", "Origin: http://HOST\r\nSec-Fetch-Site: same-origin\r\n" + form, http.StatusOK},
		{"a form from another site", "Origin: http://attacker.example\r\n" + form, http.StatusForbidden},
		{"a form from another site, said by Sec-Fetch-Site", "Sec-Fetch-Site: cross-site\r\n" + form, http.StatusForbidden},
		{"a form from another site, its Origin named in Connection", "Origin: http://attacker.example\r\nConnection: Origin\r\n" + form, http.StatusForbidden},
		{"a form from another site, Sec-Fetch-Site named in Connection", "Sec-Fetch-Site: cross-site\r\nConnection: Sec-Fetch-Site\r\n" + form, http.StatusForbidden},
		{"a form from the same site, Sec-Fetch-Site named in Connection", "Sec-Fetch-Site: same-origin\r\nOrigin: http://other.example\r\nConnection: Sec-Fetch-Site\r\n" + form, http.StatusOK},
		{"a body in malformed chunks", "Content-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnew_item=Milk\r\n0\r\n\r\n", http.StatusBadRequest},
		{"a form of 70 KB", fmt.Sprintf("Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\nnew_item=%s", 9+70<<10, strings.Repeat("m", 70<<10)), http.StatusRequestEntityTooLarge},
	} {
		var statuses []int
		for _, p := range []*program.Program{debug, production} {
			host := strings.TrimPrefix(p.URL, "http://")
			status, _ := rawRequest(t, host, "POST / HTTP/1.1\r\nHost: "+host+"\r\n"+strings.ReplaceAll(tt.headers, "HOST", host))
			statuses = append(statuses, status)
		}
		if statuses[0] != statuses[1] || statuses[0] != tt.status {
			t.Errorf("%s: %d in debug mode, %d in production; want %d in both", tt.name, statuses[0], statuses[1], tt.status)
		}
	}
	_, first := get(t, debug, "GET", "/")
	_, second := get(t, debug, "GET", "/")
	if pageField(first, "from") != pageField(second, "from") {
		t.Errorf("two requests reached the program on the connections from %s and %s; want the front to keep one open",
			pageField(first, "from"), pageField(second, "from"))
	}
}

// TestInheritedChildVariable: the variable that marks the reloader's child,
// inherited from elsewhere, does not make the program a child: it starts as
// usual, on the address it was given, and says so. (It used to listen where
// the variable said, 0.0.0.0 included, in debug mode.)
func TestInheritedChildVariable(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY=", childEnv + "=0.0.0.0:0", "DEVSERVER_CHILD_ADDR=0.0.0.0:0"}, testenv.Build(t, dir), "-addr", "127.0.0.1:0")
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") || !strings.Contains(p.Terminal(), " * "+childEnv+" is set, but the development server did not start this program") {
		t.Errorf("with %s set the program runs at %s and says %q; want it at 127.0.0.1, as usual", childEnv, p.URL, p.Terminal())
	}
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || version(page) != "version 1" {
		t.Errorf("the page: %d %q", status, page)
	}
}
