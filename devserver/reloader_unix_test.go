//go:build unix

package devserver

import (
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
)

// running tells whether the process pid still runs: a zombie, ended but not
// yet waited for by its parent, does not.
func running(pid int) bool {
	out, _ := exec.Command("ps", "-o", "stat=", "-p", strconv.Itoa(pid)).Output()
	state := strings.TrimSpace(string(out))
	return state != "" && !strings.HasPrefix(state, "Z")
}

// processes returns the pids a page of lessonProgram names: the child that
// answered, and its parent, the front.
func processes(t *testing.T, page string) (child, parent int) {
	t.Helper()
	_, rest, _ := strings.Cut(page, "pid=")
	pid, rest, _ := strings.Cut(rest, " parent=")
	child, err1 := strconv.Atoi(pid)
	parent, err2 := strconv.Atoi(strings.TrimSpace(rest))
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
// program it started ends too, and the port is free.
func TestKilledFront(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY="}, program.BuildT(t, dir), "-addr", "127.0.0.1:0")
	_, page := get(t, p, "GET", "/")
	child, front := processes(t, page)
	if front != p.Pid() || child == front {
		t.Fatalf("the page %q was not made by a child of the front %d", page, p.Pid())
	}
	p.Kill() // kill -9
	if !p.Exited(30 * time.Second) {
		t.Fatal("the front still runs after kill -9")
	}
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child); left != "" {
		t.Errorf("after kill -9 of the front: %s", left)
	}
}

// TestCtrlC: Ctrl+C in the terminal, which reaches go run, the front and the
// child at once, stops them all, frees the port and leaves no build behind.
func TestCtrlC(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go run; skipped with -short")
	}
	dir := newLesson(t, "version 1")
	tmp := t.TempDir()
	p := start(t, dir, []string{"SECRET_KEY=", "TMPDIR=" + tmp}, "go", "run", "main.go", "-addr", "127.0.0.1:0")
	save(t, p, dir, 1, "version 1", "version 2") // so that a build sits in the temporary folder
	_, page := get(t, p, "GET", "/")
	child, front := processes(t, page)
	if builds, _ := filepath.Glob(filepath.Join(tmp, "devserver-*", "*")); len(builds) == 0 {
		t.Errorf("no build in %s", tmp)
	}
	p.Interrupt()
	if !p.Exited(30 * time.Second) {
		t.Fatal("go run still runs after Ctrl+C")
	}
	if left := gone(strings.TrimPrefix(p.URL, "http://"), child, front); left != "" {
		t.Errorf("after Ctrl+C: %s", left)
	}
	if builds, _ := filepath.Glob(filepath.Join(tmp, "devserver-*")); len(builds) != 0 {
		t.Errorf("after Ctrl+C the temporary folder holds %v", builds)
	}
	if strings.Contains(p.Terminal(), "exit status") || strings.Contains(p.Terminal(), "signal:") {
		t.Errorf("Ctrl+C printed an error: %q", p.Terminal())
	}
}

// TestSaveWrittenInTwoParts: an editor that writes main.go in place can be
// caught half-way by the watch. When the rest arrives while the half is being
// built, the browser gets the finished save, not the half's compile error.
// A go command that waits a second before it ends gives the rest the time to
// arrive during the build, as a slow build would.
func TestSaveWrittenInTwoParts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program; skipped with -short")
	}
	realGo, err := exec.LookPath("go")
	if err != nil {
		t.Fatal(err)
	}
	slowGo := t.TempDir()
	writeFiles(t, slowGo, map[string]string{"go": "#!/bin/sh\n\"" + realGo + "\" \"$@\"\nstatus=$?\nsleep 1\nexit $status\n"})
	if err := os.Chmod(filepath.Join(slowGo, "go"), 0o755); err != nil {
		t.Fatal(err)
	}
	dir := newLesson(t, "version 1")
	p := start(t, dir, []string{"SECRET_KEY=", "PATH=" + slowGo + string(os.PathListSeparator) + os.Getenv("PATH")},
		program.BuildT(t, dir), "-addr", "127.0.0.1:0")
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
	time.Sleep(200 * time.Millisecond) // the build has read the half by now, and waits its second
	os.WriteFile(file, []byte(full), 0o644)
	later = later.Add(time.Second)
	os.Chtimes(file, later, later)
	if status, page := get(t, p, "GET", "/"); status != http.StatusOK || !strings.HasPrefix(page, "version 2 ") {
		t.Errorf("after a save written in two parts: %d %q, want version 2", status, page)
	}
}
