//go:build unix

package devserver

import (
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// running tells whether the process pid still runs: a zombie, ended but not
// yet waited for by its parent, does not.
func running(pid int) bool {
	out, _ := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(pid)).Output()
	state := strings.TrimSpace(string(out))
	return state != "" && !strings.HasPrefix(state, "Z")
}

// processes returns the pids a page of the lesson program names: the child
// that answered, and its parent, the front.
func processes(t *testing.T, page string) (child, parent int) {
	t.Helper()
	child, err1 := strconv.Atoi(pageField(page, "pid"))
	parent, err2 := strconv.Atoi(pageField(page, "parent"))
	if err1 != nil || err2 != nil {
		t.Fatalf("the page %q names no processes", page)
	}
	return child, parent
}

// gone waits until none of pids runs and addr can be listened on again, and
// says what is left.
func gone(addr string, pids ...int) string {
	var left string
	for deadline := time.Now().Add(30 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		left = ""
		for _, pid := range pids {
			if running(pid) {
				left += "process " + strconv.Itoa(pid) + " still runs; "
			}
		}
		if l, err := net.Listen("tcp", addr); err != nil {
			left += "the port is still taken: " + err.Error()
		} else {
			l.Close()
		}
		if left == "" {
			return ""
		}
	}
	return left
}

// TestKilledFront: when the process that holds the port is killed, the
// program it started ends too, the port is free, and the program's build is
// gone from the temporary folder.
func TestKilledFront(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir, tmp := newLesson(t, "version 1"), t.TempDir()
	p := startLesson(t, dir, tmp, "SECRET_KEY=")
	save(t, p, dir, 1, "version 1", "version 2") // so that the program runs from a build
	_, page := get(t, p, "GET", "/")
	child, front := processes(t, page)
	if front != p.Pid() || child == front || version(page) != "version 2" {
		t.Fatalf("the page %q was not made by a new build, a child of the front %d", page, p.Pid())
	}
	p.Kill() // kill -9
	if !p.Exited(30 * time.Second) {
		t.Fatal("the front still runs after kill -9")
	}
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child); left != "" {
		t.Errorf("after kill -9 of the front: %s", left)
	}
	if builds := buildFolders(tmp); len(builds) != 0 {
		t.Errorf("after kill -9 of the front, the temporary folder holds %v", builds)
	}
}

// goRunSaved runs the lesson program with go run, as a learner does, in a
// temporary folder of its own, saves main.go once so that a build sits in
// that folder, and returns the program, the folder and a page it answered.
func goRunSaved(t *testing.T) (p *program.Program, tmp, page string) {
	t.Helper()
	dir := newLesson(t, "version 1")
	tmp = t.TempDir()
	p = testenv.Start(t, []string{"go", "run", "main.go", "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, Env: []string{"SECRET_KEY="}, TempDir: tmp})
	save(t, p, dir, 1, "version 1", "version 2")
	_, page = get(t, p, "GET", "/")
	return p, tmp, page
}

// TestKilledGoRun: when go run itself is killed (kill -9), the front it
// started and the front's program end within a second or two, the port is
// free, and neither go run's temporary folder nor a build is left.
func TestKilledGoRun(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	p, tmp, page := goRunSaved(t)
	child, front := processes(t, page)
	if front == p.Pid() {
		t.Fatalf("the page %q was made by a child of go run itself", page)
	}
	p.Kill() // kill -9 of go run only
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child, front); left != "" {
		t.Errorf("after kill -9 of go run: %s", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) != 0 {
		t.Errorf("after kill -9 of go run, the temporary folder holds %v", left)
	}
}

// TestKilledCachedGoRun: Go 1.24 and later run an unchanged main.go from the
// build cache, not from a folder of go run's own. When that go run is killed
// (kill -9), the front and its program end all the same and free the port.
// (The front used to watch its parent only when it ran from go run's
// folder, and stayed.)
func TestKilledCachedGoRun(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	goRun := []string{"go", "run", "main.go", "-addr", "127.0.0.1:0"}
	first := testenv.Start(t, goRun, program.Options{Dir: dir, Env: []string{"SECRET_KEY="}})
	first.Stop()
	p := testenv.Start(t, goRun, program.Options{Dir: dir, Env: []string{"SECRET_KEY="}})
	_, page := get(t, p, "GET", "/")
	child, front := processes(t, page)
	if filepath.Base(filepath.Dir(pageField(page, "exe"))) == "exe" {
		t.Logf("this Go ran the second go run from a folder of its own, not the build cache: %s", pageField(page, "exe"))
	}
	p.Kill() // kill -9 of go run only
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child, front); left != "" {
		t.Errorf("after kill -9 of a go run that ran main.go from the build cache (%s): %s", pageField(page, "exe"), left)
	}
}

// TestKilledParent: a built program run by another process, here a shell,
// stops with its program and frees the port when that process is killed.
func TestKilledParent(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	bin := testenv.Build(t, dir)
	p := testenv.Start(t, []string{"sh", "-c", `"$0" -addr 127.0.0.1:0; echo the shell goes on`, bin}, program.Options{Dir: dir, Env: []string{"SECRET_KEY="}})
	_, page := get(t, p, "GET", "/")
	child, front := processes(t, page)
	if front == p.Pid() {
		t.Fatalf("the shell %d answered, not a program it started: %q", p.Pid(), page)
	}
	p.Kill() // kill -9 of the shell only
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child, front); left != "" {
		t.Errorf("after kill -9 of the shell that ran the program: %s", left)
	}
}

// TestCtrlC: Ctrl+C in the terminal, which reaches go run, the front and the
// child at once, stops them all, frees the port and leaves no build behind.
// A request under way is answered first.
func TestCtrlC(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	p, tmp, page := goRunSaved(t)
	child, front := processes(t, page)
	if len(buildFolders(tmp)) == 0 {
		t.Errorf("no build in %s", tmp)
	}
	// Two requests under way: one through the front, and a longer one sent
	// to the program itself, which the front must wait for too.
	mark := p.Mark()
	slow := map[string]chan string{p.URL + "/slow?ms=1000": make(chan string, 1), "http://" + pageField(page, "at") + "/slow?ms=3000": make(chan string, 1)}
	for url, answer := range slow {
		go func() {
			b := program.NewBrowser("")
			b.Client.Timeout = 90 * time.Second
			page, err := b.Get(url)
			answer <- fmt.Sprint(page.Status, " ", page.Body, err)
		}()
	}
	for n := 0; n < 2; n++ {
		if mark = p.WaitFor(mark, "slow request begins"); mark < 0 {
			t.Fatal("the slow requests did not begin")
		}
		mark++
	}
	p.Interrupt()
	if !p.Exited(30 * time.Second) {
		t.Fatal("go run still runs after Ctrl+C")
	}
	for url, answer := range slow {
		select {
		case got := <-answer:
			if got != "200 slow request done<nil>" {
				t.Errorf("the request under way at %s when Ctrl+C was pressed got %q; want 200 slow request done", url, got)
			}
		default:
			t.Errorf("go run ended before the program finished the request under way at %s: the front must wait for it", url)
		}
	}
	if running(child) || len(buildFolders(tmp)) != 0 {
		t.Errorf("go run has ended, but the program still runs or its build is still there: the front must stop it first")
	}
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child, front); left != "" {
		t.Errorf("after Ctrl+C: %s", left)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "*")); len(left) != 0 {
		t.Errorf("after Ctrl+C the temporary folder holds %v", left)
	}
	if strings.Contains(p.Terminal(), "exit status") || strings.Contains(p.Terminal(), "signal:") || strings.Contains(p.Terminal(), "killed") {
		t.Errorf("Ctrl+C printed an error: %q", p.Terminal())
	}
}

// TestSaveWrittenInTwoParts: an editor that writes main.go in place can be
// caught half-way by the watch. When the rest arrives while the half is being
// built, the half's build is stopped, the browser gets the finished save, and
// neither the browser nor the terminal shows the half's compile error. A go
// command that waits 2 seconds after a build gives the rest the time to
// arrive during the build, as a slow build would; it leaves a file named
// built when it has read the half, and a line in finished when its wait
// is over: a build that was stopped leaves none.
func TestSaveWrittenInTwoParts(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	slowGo := t.TempDir()
	built, finished := filepath.Join(slowGo, "built"), filepath.Join(slowGo, "finished")
	writeFiles(t, slowGo, map[string]string{"go": "#!/bin/sh\n\"" + realGo + "\" \"$@\"\nstatus=$?\n" +
		"if [ \"$1\" = build ]; then touch \"" + built + "\"; sleep 2; echo build >> \"" + finished + "\"; fi\nexit $status\n"})
	if err := os.Chmod(filepath.Join(slowGo, "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY=", "PATH=" + slowGo + string(os.PathListSeparator) + os.Getenv("PATH")},
		testenv.Build(t, dir), "-addr", "127.0.0.1:0")
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 1 ") {
		t.Fatalf("the first page: %d %q", status, page)
	}

	file := filepath.Join(dir, "main.go")
	text, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	full := strings.ReplaceAll(string(text), "version 1", "version 2")
	mark := p.Mark()
	os.WriteFile(file, []byte(full[:len(full)/2]), 0o644) // half a program: it does not compile
	later := time.Now().Add(time.Second)
	os.Chtimes(file, later, later)
	if p.WaitFor(mark, " * Detected change") < 0 {
		t.Fatalf("the half-written file was not seen: %q", p.Terminal()[mark:])
	}
	for deadline := time.Now().Add(90 * time.Second); ; time.Sleep(10 * time.Millisecond) { // a guard only
		if _, err := os.Stat(built); err == nil {
			break // the build has read the half, and waits its 2 seconds
		}
		if time.Now().After(deadline) {
			t.Fatal("the half-written file was not built")
		}
	}
	os.WriteFile(file, []byte(full), 0o644)
	later = later.Add(time.Second)
	os.Chtimes(file, later, later)
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 2 ") {
		t.Errorf("after a save written in two parts: %d %q, want version 2", status, page)
	}
	if got := p.Terminal()[mark:]; strings.Contains(got, "does not compile") {
		t.Errorf("the terminal shows the compile error of the half-written file, although the rest came during its build: %q", got)
	}
	if got, _ := os.ReadFile(finished); string(got) != "build\n" {
		t.Errorf("the builds that ran to their end: %q; want only the finished save's: the half's build must stop when the rest is saved", got)
	}
}
