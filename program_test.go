package sessions_test

import (
	"bufio"
	"bytes"
	"fmt"
	"html"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// The tests of the programs (the finished app in app_test.go, the README's
// steps in lesson_test.go, the gob.Register hint in codec_test.go) build and
// run them, and talk to the servers over HTTP as a browser would, like the
// wiki_test.go of Go's "Writing Web Applications". These are their helpers.

// app is a running build of main.go.
type app struct {
	cmd  *exec.Cmd
	url  string
	logs *bytes.Buffer
	mu   *sync.Mutex
}

// build compiles dir/main.go into a folder the test removes when it ends,
// and returns the program's path.
func build(t testing.TB, dir string) string {
	t.Helper()
	bin, said, ok := tryBuild(t, dir)
	if !ok {
		t.Fatalf("go build main.go in %s:\n%s", dir, said)
	}
	return bin
}

// tryBuild compiles dir/main.go as build does, and returns the program's
// path, or what go build said when main.go does not compile.
func tryBuild(t testing.TB, dir string) (bin, said string, ok bool) {
	t.Helper()
	bin = filepath.Join(t.TempDir(), "lesson-app")
	if runtime.GOOS == "windows" {
		bin += ".exe" // Windows runs only files named .exe
	}
	cmd := exec.Command("go", "build", "-o", bin, "main.go")
	cmd.Dir = dir
	out, err := cmd.CombinedOutput()
	return bin, string(out), err == nil
}

// startProgram starts bin on a free port in the folder dir, with env added to
// this process's environment, and waits for its " * Running on" banner. Its
// temporary files (the reloader's builds, in debug mode) go to a folder the
// test removes.
func startProgram(t testing.TB, bin, dir string, env ...string) *app {
	t.Helper()
	a := &app{logs: new(bytes.Buffer), mu: new(sync.Mutex)}
	tmp := t.TempDir()
	a.cmd = exec.Command(bin, "-addr", "127.0.0.1:0")
	a.cmd.Env = append(append(os.Environ(), "TMPDIR="+tmp, "TEMP="+tmp, "TMP="+tmp), env...)
	a.cmd.Dir = dir
	a.cmd.WaitDelay = 10 * time.Second // a process left behind holding the output: do not wait for it forever
	stdout, err := a.cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	a.cmd.Stderr = lockedWriter{a.mu, a.logs}
	if err := a.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(a.stop)
	banner := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			if _, url, ok := strings.Cut(sc.Text(), " * Running on "); ok {
				banner <- url
			}
			fmt.Fprintln(lockedWriter{a.mu, a.logs}, sc.Text()) // what fmt.Println shows in the terminal
		}
	}()
	select {
	case a.url = <-banner:
	case <-time.After(30 * time.Second):
		t.Fatalf("the app printed no banner; its log:\n%s", a.log())
	}
	return a
}

// stop stops the program as Ctrl+C does, so that the reloader in debug mode
// stops its child and removes its builds, or kills it where that cannot be
// sent (Windows) or does not work within 10 seconds.
func (a *app) stop() {
	if a.cmd.Process == nil || a.cmd.ProcessState != nil {
		return
	}
	exited := make(chan struct{})
	go func() { a.cmd.Wait(); close(exited) }()
	if a.cmd.Process.Signal(os.Interrupt) == nil {
		select {
		case <-exited:
			return
		case <-time.After(10 * time.Second):
		}
	}
	a.cmd.Process.Kill()
	<-exited
}

func (a *app) log() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.logs.String()
}

// waitForLog waits up to five seconds for text in the app's log, which
// reaches the test through a pipe, a moment after the response.
func (a *app) waitForLog(text string) bool {
	for range 50 {
		if strings.Contains(a.log(), text) {
			return true
		}
		time.Sleep(100 * time.Millisecond)
	}
	return false
}

// mark returns how much of the log there is so far, for waitFor.
func (a *app) mark() int { return len(a.log()) }

// waitFor waits until one of texts shows in the log after mark, and returns
// where it starts, or -1. The 90 seconds only guard against a test that
// hangs: a rebuild takes a second or two.
func (a *app) waitFor(mark int, texts ...string) int {
	for deadline := time.Now().Add(90 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		for _, text := range texts {
			if i := strings.Index(a.log()[mark:], text); i >= 0 {
				return mark + i
			}
		}
	}
	return -1
}

type lockedWriter struct {
	mu *sync.Mutex
	w  io.Writer
}

func (l lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

// visitor is one browser: an http.Client with its own cookie jar.
type visitor struct {
	t      *testing.T
	a      *app
	client *http.Client
}

func (a *app) newVisitor(t *testing.T) *visitor {
	jar, _ := cookiejar.New(nil)
	return &visitor{t: t, a: a, client: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// page is what a visitor sees: the status, the feedback line, the list.
type page struct {
	status  int
	message string
	list    []string
	body    string
	header  http.Header
}

func (v *visitor) do(r *http.Request) page {
	v.t.Helper()
	resp, err := v.client.Do(r)
	if err != nil {
		v.t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	p := page{status: resp.StatusCode, body: string(body), header: resp.Header}
	if _, rest, ok := strings.Cut(p.body, `<p class="message" role="status">`); ok {
		msg, _, _ := strings.Cut(rest, "</p>")
		p.message = html.UnescapeString(msg)
	}
	for _, part := range strings.Split(p.body, `name="del_items" value="`)[1:] {
		item, _, _ := strings.Cut(part, `"`)
		p.list = append(p.list, html.UnescapeString(item))
	}
	return p
}

func (v *visitor) get() page {
	r, _ := http.NewRequest(http.MethodGet, v.a.url+"/", nil)
	return v.do(r)
}

func (v *visitor) post(form url.Values) page {
	r, _ := http.NewRequest(http.MethodPost, v.a.url+"/", strings.NewReader(form.Encode()))
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return v.do(r)
}

func (v *visitor) add(item string) page {
	return v.post(url.Values{"submit_action": {"add"}, "new_item": {item}})
}

func (v *visitor) remove(items ...string) page {
	return v.post(url.Values{"submit_action": {"remove"}, "del_items": items})
}

func (v *visitor) cookie() *http.Cookie {
	u, _ := url.Parse(v.a.url)
	for _, c := range v.client.Jar.Cookies(u) {
		if c.Name == "session" {
			return c
		}
	}
	return nil
}

// readFile returns a file's text with Windows line ends made plain.
func readFile(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

// newModule makes a folder with a go.mod of its own whose sessions package
// is this folder's, for programs the tests write or change.
func newModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	root, err := filepath.Abs(".")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module lesson\n\ngo 1.25\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "go.sum"), []byte(readFile(t, "go.sum")), 0o644)
	cmd := exec.Command("go", "mod", "edit", "-require=example.com/sessions@v0.0.0", "-replace=example.com/sessions="+root,
		"-require=github.com/gorilla/securecookie@v1.1.2")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go mod edit: %v\n%s", err, out)
	}
	return dir
}
