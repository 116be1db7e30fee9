package lesson

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/testenv"
)

// TestMyWorkSeesEachSave runs go test -run TestMyWork -v, as the README tells
// a learner to, in a copy of the repository: on the starter, twice, then
// after the README's step 23.5.2 is saved. go test keeps a test's result until a file
// the test opened changes; main.go is no file of the package (it is
// //go:build ignore), so the check must open it itself, or the second run
// shows the first one's report again, marked (cached).
func TestMyWorkSeesEachSave(t *testing.T) {
	testenv.NeedsPrograms(t)
	needUntouchedStarter(t)
	t.Parallel()
	dir := copyRepository(t)
	myWork := func() string {
		t.Helper()
		cmd := exec.Command("go", "test", "-run", "TestMyWork", "-v", ".")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("go test -run TestMyWork -v: %v\n%s", err, out)
		}
		return string(out)
	}
	if out := myWork(); !strings.Contains(out, "not yet  23.5.2 Save Session Data") {
		t.Fatalf("on the starter, TestMyWork says:\n%s", out)
	}
	// With nothing changed, go test shows the result it keeps: the cache is
	// at work here, so a stale result would show below.
	if out := myWork(); !strings.Contains(out, "(cached)") {
		t.Fatalf("run again with nothing changed, go test did not use its cache, so this test proves nothing:\n%s", out)
	}
	after := lessonFiles(t)
	// Saved as most editors save: main.go itself is written over, and its
	// folder does not change.
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(after["23.5.2"]["main.go"]), 0o644); err != nil {
		t.Fatal(err)
	}
	if out := myWork(); !strings.Contains(out, "done     23.5.2 Save Session Data") {
		t.Errorf("after step 23.5.2 is saved, TestMyWork still says:\n%s", out)
	}
}

// copyRepository copies what go test in the top folder needs (the top
// folder's files, internal/ and devserver/) to a new folder, as a learner's
// clone holds them.
func copyRepository(t *testing.T) string {
	t.Helper()
	root, dir := testenv.Root(t), t.TempDir()
	anHourAgo := time.Now().Add(-time.Hour)
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		top, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
		switch {
		case top == ".git":
			return nil // a worktree's .git is a file; this copy is no clone
		case d.IsDir() && rel != "." && top != "internal" && top != "devserver":
			return filepath.SkipDir // the lesson's own checks, the other programs, docs and CI
		case d.IsDir():
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			return err
		}
		// go test keeps no result that read a file changed in the last
		// seconds; a clone's files are older than that.
		return os.Chtimes(filepath.Join(dir, rel), anHourAgo, anHourAgo)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}
