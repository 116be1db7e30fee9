package testenv

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// skipped is a testing.TB that keeps the reason it was told to skip with,
// instead of ending the test. Any other method of testing.TB panics.
type skipped struct {
	testing.TB
	reason string
}

func (s *skipped) Helper()                       {}
func (s *skipped) Skip(args ...any)              { s.reason = fmt.Sprint(args...) }
func (s *skipped) Skipf(format string, a ...any) { s.reason = fmt.Sprintf(format, a...) }
func (s *skipped) SkipNow()                      { s.reason = "(no reason)" }

// short sets the flag that go test -short sets, until the test ends.
func short(t *testing.T, on bool) {
	was := testing.Short()
	flag.Set("test.short", strconv.FormatBool(on))
	t.Cleanup(func() { flag.Set("test.short", strconv.FormatBool(was)) })
}

// TestNeedsPrograms: under -short, and without go on PATH, a test that
// builds programs is skipped with a reason that says what to do; otherwise
// it runs.
func TestNeedsPrograms(t *testing.T) {
	t.Run("short", func(t *testing.T) {
		short(t, true)
		s := &skipped{}
		NeedsPrograms(s)
		if !strings.Contains(s.reason, "go test -short skips it") {
			t.Errorf("under -short, the reason is %q", s.reason)
		}
	})
	t.Run("no go on PATH", func(t *testing.T) {
		short(t, false)
		t.Setenv("PATH", t.TempDir())
		s := &skipped{}
		NeedsPrograms(s)
		if !strings.Contains(s.reason, "not on PATH") {
			t.Errorf("without go on PATH, the reason is %q", s.reason)
		}
	})
	t.Run("go on PATH", func(t *testing.T) {
		short(t, false)
		s := &skipped{}
		NeedsPrograms(s)
		if s.reason != "" {
			t.Errorf("with go on PATH and no -short, it skipped: %q", s.reason)
		}
	})
}

// TestNeedsFinished: in a clone without finished/main.go, as a class's
// copy is, a test that needs it is skipped, saying why; in the teacher's
// full clone it runs.
func TestNeedsFinished(t *testing.T) {
	clone := t.TempDir()
	if err := os.WriteFile(filepath.Join(clone, "go.mod"), []byte("module example.com/sessions\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(clone)
	s := &skipped{}
	NeedsFinished(s)
	if !strings.Contains(s.reason, "no finished/") {
		t.Errorf("in a class's copy, the reason is %q", s.reason)
	}
	if err := os.Mkdir(filepath.Join(clone, "finished"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(clone, "finished", "main.go"), []byte("package main\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	s = &skipped{}
	NeedsFinished(s)
	if s.reason != "" {
		t.Errorf("with finished/main.go, it skipped: %q", s.reason)
	}
}
