package devserver

import (
	"fmt"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
)

// newLesson copies the program in testdata/lesson to a module of its own
// that uses this repository, with its version changed to version, and
// returns its folder.
func newLesson(t *testing.T, version string) string {
	t.Helper()
	dir := program.NewModuleT(t)
	program.CopyT(t, filepath.Join("testdata", "lesson"), dir, "main.go", "index.html")
	edit(t, dir, 0, "version 1", version)
	return dir
}

// lessonLine returns the number of the line of testdata/lesson/main.go that
// holds code.
func lessonLine(t *testing.T, code string) int {
	t.Helper()
	text := program.ReadT(t, filepath.Join("testdata", "lesson", "main.go"))
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

// start runs command in dir, with env added, as program.StartT does.
func start(t *testing.T, dir string, env []string, command ...string) *program.Program {
	t.Helper()
	return program.StartT(t, command, program.Options{Dir: dir, Env: env})
}

// get asks p for path with method, with header's name and value pairs set,
// and returns the status and the page.
func get(t *testing.T, p *program.Program, method, path string, header ...string) (int, string) {
	t.Helper()
	r, _ := http.NewRequest(method, p.URL+path, nil)
	b := program.NewBrowser(p.URL)
	b.Client.Timeout = 90 * time.Second // only a guard: a rebuild takes a second or so
	page, err := b.Do(r, header...)
	if err != nil {
		t.Fatalf("%s %s: %v; the terminal:\n%s", method, path, err, p.Terminal())
	}
	return page.Status, page.Body
}

// TestReloader does what a learner does: run the program once, then save
// main.go again and again, and reload the page each time.
func TestReloader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY="}, program.BuildT(t, dir), "-addr", "127.0.0.1:0")
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
	save(t, p, dir, 3, "\titem := 'milk'\n", "", "version 2", "version 3")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 3 ") {
		t.Errorf("after the fix: %d %q, want version 3", status, page)
	}

	t.Log("a save during a build makes another build")
	mark = p.Mark()
	save(t, p, dir, 4, "version 3", "version 4")
	edit(t, dir, 5, "version 4", "version 5")
	second := mark + strings.Index(p.Terminal()[mark:], " * Detected change") + 1
	if p.WaitFor(second, " * Detected change") < 0 {
		t.Fatalf("a save during the build was not seen: %q", p.Terminal()[mark:])
	}
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 5 ") {
		t.Errorf("after a save during a build: %d %q, want version 5", status, page)
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

	t.Log("a second server on the same port says that this one is already running")
	out := runToEnd(t, dir, []string{"SECRET_KEY="}, program.BuildT(t, dir), "-addr", strings.TrimPrefix(p.URL, "http://"))
	if !strings.Contains(out, "This lesson's server is already running at "+p.URL) {
		t.Errorf("a second server on the port says %q", out)
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
// serves, and debug mode's checks are off.
func TestWithSecretKey(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	dir := newLesson(t, "version 1")
	bin := program.BuildT(t, dir)
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
	if out := runToEnd(t, dir, []string{"SECRET_KEY="}, bin, "-addr", "0.0.0.0:0"); !strings.Contains(out, "Set SECRET_KEY to any private phrase first") {
		t.Errorf("debug mode on 0.0.0.0: %q, want a refusal", out)
	}
}
