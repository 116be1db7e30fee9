package devserver

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// lessonProgram is a small program that runs with devserver, as main.go
// does. Its page names its version and its process, and it prints a line for
// each request, as fmt.Println does in step 23.5.3.
const lessonProgram = `//go:build ignore

package main

import (
	"fmt"
	"net/http"
	"os"

	"example.com/sessions/devserver"
)

func index(w http.ResponseWriter, r *http.Request) {
	fmt.Println("index says VERSION")
	fmt.Fprintf(w, "VERSION pid=%d parent=%d", os.Getpid(), os.Getppid())
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("POST /{$}", index)
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) {
		var groceries any
		_ = groceries.([]string)
	})
	mux.HandleFunc("GET /crash", func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("stopping now")
		os.Exit(3)
	})
	devserver.Run(mux, devserver.Config{Debug: os.Getenv("SECRET_KEY") == "", SecretKey: os.Getenv("SECRET_KEY")})
}
`

// newLesson writes lessonProgram at version into a module of its own that
// uses this repository, with index.html beside it, and returns its folder.
func newLesson(t *testing.T, version string) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs("..")
	if err != nil {
		t.Fatal(err)
	}
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		t.Fatal(err)
	}
	writeFiles(t, dir, map[string]string{
		"go.mod":     "module lesson\n\ngo 1.25\n",
		"go.sum":     string(sums),
		"index.html": "<h1>Session Practice</h1>\n",
		"main.go":    strings.ReplaceAll(lessonProgram, "VERSION", version),
	})
	cmd := exec.Command("go", "mod", "edit", "-require=example.com/sessions@v0.0.0", "-replace=example.com/sessions="+root,
		"-require=github.com/gorilla/securecookie@v1.1.2")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod edit: %v\n%s", err, out)
	}
	return dir
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
func (p *program) save(t *testing.T, dir string, step int, replacements ...string) {
	t.Helper()
	mark := p.mark()
	edit(t, dir, step, replacements...)
	if !p.waitFor(mark, " * Detected change in 'main.go', reloading\n") {
		t.Fatalf("no line says the change was seen: %q", p.terminal()[mark:])
	}
}

// buildLesson compiles dir's main.go into the test's own folder.
func buildLesson(t *testing.T, dir string) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "lesson")
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	cmd := exec.Command("go", "build", "-o", bin, "main.go")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// program is a running program and its terminal.
type program struct {
	cmd  *exec.Cmd
	url  string
	mu   sync.Mutex
	text bytes.Buffer // what the terminal shows: standard output and error
	done chan struct{}
}

// start runs command in dir, with env added, its temporary files kept in
// the test's own folder, and waits for the " * Running on" line.
func start(t *testing.T, dir string, env []string, command ...string) *program {
	t.Helper()
	tmp := t.TempDir()
	p := &program{done: make(chan struct{})}
	p.cmd = exec.Command(command[0], command[1:]...)
	p.cmd.Dir = dir
	p.cmd.Env = append(os.Environ(), append([]string{"TMPDIR=" + tmp, "TEMP=" + tmp, "TMP=" + tmp}, env...)...)
	p.cmd.Stdout, p.cmd.Stderr = p, p
	p.cmd.WaitDelay = 10 * time.Second // a process left behind keeps the pipe open: do not wait for it forever
	setProcessGroup(p.cmd)
	if err := p.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	go func() { p.cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.stop(); t.Logf("the terminal:\n%s", p.terminal()) })
	if !p.waitFor(0, " * Running on ") {
		t.Fatalf("no banner; the terminal:\n%s", p.terminal())
	}
	line, _, _ := strings.Cut(p.terminal()[strings.Index(p.terminal(), " * Running on ")+len(" * Running on "):], "\n")
	p.url = strings.TrimSpace(line)
	return p
}

func (p *program) Write(b []byte) (int, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text.Write(b)
}

// terminal returns what the program printed so far.
func (p *program) terminal() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.text.String()
}

// mark returns how much the program printed so far, for waitFor.
func (p *program) mark() int { return len(p.terminal()) }

// waitFor waits until text shows in the terminal after mark, and tells
// whether it did: the time limit only guards against a test that hangs.
func (p *program) waitFor(mark int, text string) bool {
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if strings.Contains(p.terminal()[mark:], text) {
			return true
		}
	}
	return false
}

// exited waits for the program to end, and tells whether it did.
func (p *program) exited() bool {
	select {
	case <-p.done:
		return true
	case <-time.After(30 * time.Second):
		return false
	}
}

// stop ends the program as Ctrl+C would, or kills it if it does not end.
func (p *program) stop() {
	interrupt(p.cmd)
	if !p.exited() {
		kill(p.cmd)
		<-p.done
	}
}

// get asks for path with method and returns the status and the page.
func (p *program) get(t *testing.T, method, path string, header ...string) (int, string) {
	t.Helper()
	r, _ := http.NewRequest(method, p.url+path, nil)
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	client := http.Client{Timeout: 90 * time.Second} // only a guard: a rebuild takes a second or so
	resp, err := client.Do(r)
	if err != nil {
		t.Fatalf("%s %s: %v; the terminal:\n%s", method, path, err, p.terminal())
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}

// TestReloader does what a learner does: run the program once, then save
// main.go again and again, and reload the page each time.
func TestReloader(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY="}, buildLesson(t, dir), "-addr", "127.0.0.1:0")
	for _, line := range []string{" * Serving " + filepath.Join(dir, "main.go") + "\n", " * Debug mode: on\n", " * Restarting with a file watch\n"} {
		if !p.waitFor(0, line) {
			t.Errorf("the terminal lacks %q", line)
		}
	}

	t.Log("the page; what index prints, then one request line per request")
	mark := p.mark()
	status, page := p.get(t, "GET", "/")
	if status != http.StatusOK || !strings.HasPrefix(page, "version 1 ") {
		t.Fatalf("the first page: %d %q", status, page)
	}
	p.get(t, "GET", "/style.css") // a second request: a second line for the first would show before its line
	requestLine := `"GET / HTTP/1.1" 200 -` + "\n"
	if !p.waitFor(mark, requestLine) || !p.waitFor(mark, `"GET /style.css HTTP/1.1" 404 -`) {
		t.Fatalf("no request lines: %q", p.terminal()[mark:])
	}
	if got := p.terminal()[mark:]; strings.Count(got, requestLine) != 1 || !strings.Contains(got, "index says version 1\n127.0.0.1 - - [") {
		t.Errorf("the terminal shows %q, want what index printed, then one request line", got)
	}

	t.Log("a panic gives a 500 page, and a line in the terminal that names the line of main.go")
	mark = p.mark()
	if status, page := p.get(t, "GET", "/panic"); status != http.StatusInternalServerError {
		t.Errorf("a panic: %d %q, want 500", status, page)
	}
	slipLine := strings.Count(lessonProgram[:strings.Index(lessonProgram, "_ = groceries.([]string)")], "\n") + 1
	if want := fmt.Sprintf("main.go:%d (main.main.func1)", slipLine); !p.waitFor(mark, want) {
		t.Errorf("the terminal shows %q, want a line naming %s", p.terminal()[mark:], want)
	}

	t.Log("a form from the app's own page keeps its Host through the reloader, so cross-origin protection lets it in")
	if status, page := p.get(t, "POST", "/", "Origin", p.url); status != http.StatusOK {
		t.Errorf("a POST from the app's own page: %d %q, want 200", status, page)
	}
	if status, page := p.get(t, "POST", "/", "Origin", "http://attacker.example"); status != http.StatusForbidden {
		t.Errorf("a POST from another site: %d %q, want 403", status, page)
	}

	t.Log("a save shows on a reload made while the program is being rebuilt")
	p.save(t, dir, 1, "version 1", "version 2")
	if status, page := p.get(t, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 2 ") {
		t.Errorf("a reload during the rebuild: %d %q, want version 2", status, page)
	}

	t.Log("a compile error shows in the browser and the terminal; the next good save brings the page back")
	mark = p.mark()
	p.save(t, dir, 2, `	fmt.Println("index says`, "\titem := 'milk'\n\tfmt.Println(\"index says")
	line := strings.Count(lessonProgram[:strings.Index(lessonProgram, `	fmt.Println("index says`)], "\n") + 1
	where := fmt.Sprintf("main.go:%d:", line)
	status, page = p.get(t, "GET", "/")
	for _, want := range []string{where, fmt.Sprintf(">   %d | \titem := 'milk'\n", line), "waiting for your next save"} {
		if status != http.StatusInternalServerError || !strings.Contains(page, want) {
			t.Errorf("the compile error page: %d %q, want 500 and %q", status, page, want)
		}
	}
	if !p.waitFor(mark, where) {
		t.Errorf("the terminal does not show the compiler's message: %q", p.terminal()[mark:])
	}
	p.save(t, dir, 3, "\titem := 'milk'\n", "", "version 2", "version 3")
	if status, page := p.get(t, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 3 ") {
		t.Errorf("after the fix: %d %q, want version 3", status, page)
	}

	t.Log("a save during a build makes another build")
	mark = p.mark()
	p.save(t, dir, 4, "version 3", "version 4")
	edit(t, dir, 5, "version 4", "version 5")
	second := mark + strings.Index(p.terminal()[mark:], " * Detected change") + 1
	if !p.waitFor(second, " * Detected change") {
		t.Fatalf("a save during the build was not seen: %q", p.terminal()[mark:])
	}
	if status, page := p.get(t, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 5 ") {
		t.Errorf("after a save during a build: %d %q, want version 5", status, page)
	}

	t.Log("a program that stops by itself gives a page that says so, until the next save")
	for _, path := range []string{"/crash", "/"} {
		status, page := p.get(t, "GET", path)
		if status != http.StatusInternalServerError || !strings.Contains(page, "The program stopped by itself (exit status 3)") ||
			!strings.Contains(page, "stopping now") {
			t.Errorf("GET %s after the program stopped: %d %q, want 500, what happened and what it printed", path, status, page)
		}
	}
	p.save(t, dir, 6, "version 5", "version 6")
	if status, page := p.get(t, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 6 ") {
		t.Errorf("after a save: %d %q, want version 6", status, page)
	}

	t.Log("a second server on the same port says that this one is already running")
	out := runToEnd(t, dir, []string{"SECRET_KEY="}, buildLesson(t, dir), "-addr", strings.TrimPrefix(p.url, "http://"))
	if !strings.Contains(out, "This lesson's server is already running at "+p.url) {
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
	bin := buildLesson(t, dir)
	p := start(t, dir, []string{"SECRET_KEY=a private phrase"}, bin, "-addr", "127.0.0.1:0")
	status, page := p.get(t, "GET", "/")
	if want := fmt.Sprintf("version 1 pid=%d ", p.cmd.Process.Pid); status != http.StatusOK || !strings.HasPrefix(page, want) {
		t.Errorf("the page: %d %q, want %q: the process that was started answers", status, page, want)
	}
	if !strings.Contains(p.terminal(), " * Debug mode: off\n") || strings.Contains(p.terminal(), "Restarting") {
		t.Errorf("the terminal: %q, want debug mode off and no reloader", p.terminal())
	}
	if !p.waitFor(0, `"GET / HTTP/1.1" 200 -`) {
		t.Errorf("no request line: %q", p.terminal())
	}
	if out := runToEnd(t, dir, []string{"SECRET_KEY="}, bin, "-addr", "0.0.0.0:0"); !strings.Contains(out, "Set SECRET_KEY to any private phrase first") {
		t.Errorf("debug mode on 0.0.0.0: %q, want a refusal", out)
	}
}
