// Package testenv holds what the tests share to build, run and read the
// lesson's programs, as the Go repository's own internal/testenv serves
// its tests. Only test files import it: the grading command uses
// internal/program without it, so it does not link package testing.
//
// A test that builds or runs a program starts with NeedsPrograms, as Go's
// tests start with testenv.MustHaveGoBuild: go test -short skips it. The
// other functions are internal/program's of the same name for a test: they
// stop the test instead of returning an error, and clean up when the test
// ends.
package testenv

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
)

// NeedsPrograms skips the test under go test -short, and when the go
// command is not on PATH, with a reason that says which. Every test that
// builds or runs a program calls it first: those tests take seconds each,
// and -short is for a quick run of the rest. (go test puts its own go
// command on PATH; a test binary run by hand may not have one.)
func NeedsPrograms(t testing.TB) {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs programs; go test -short skips it")
		return
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("builds programs with the go command, which is not on PATH; add Go's bin folder to PATH")
	}
}

// NeedsFinished skips the test in a clone without finished/: a class's copy
// made as docs/classroom.md says, without the answer key. Such a test runs
// in the teacher's full clone.
func NeedsFinished(t testing.TB) {
	t.Helper()
	if _, err := os.Stat(filepath.Join(Root(t), "finished", "main.go")); errors.Is(err, os.ErrNotExist) {
		t.Skip("this clone has no finished/, as a class's copy made without the answer key; this test runs in the teacher's full clone")
	}
}

// Root returns the folder of the lesson's module, or stops the test.
func Root(t testing.TB) string {
	t.Helper()
	root, err := program.Root()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// Build compiles dir/main.go into a folder the test removes, or stops the
// test with what the compiler said.
func Build(t testing.TB, dir string) string {
	t.Helper()
	bin, said, err := program.Build(dir, t.TempDir())
	if err != nil {
		t.Fatalf("%v:\n%s", err, said)
	}
	return bin
}

// Start starts command as program.Start does, with its temporary files in a
// folder the test removes, and stops it when the test ends; a test that
// fails shows what it printed.
func Start(t testing.TB, command []string, opts program.Options) *program.Program {
	t.Helper()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	p, err := program.Start(command, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		p.Stop()
		if t.Failed() {
			t.Logf("%s printed:\n%s", filepath.Base(command[0]), p.Terminal())
		}
	})
	return p
}

// Run starts the program bin in the folder dir on a free port of this
// computer, as go run main.go does, with env added.
func Run(t testing.TB, bin, dir string, env ...string) *program.Program {
	t.Helper()
	return Start(t, []string{bin, "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, Env: env})
}

// NewModule returns a new folder that is a module of its own, using this
// repository's example.com/sessions (see program.NewModule).
func NewModule(t testing.TB) string {
	t.Helper()
	dir := t.TempDir()
	if err := program.NewModule(dir, Root(t)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// Copy copies files as program.Copy does, or stops the test.
func Copy(t testing.TB, from, to string, names ...string) {
	t.Helper()
	if err := program.Copy(from, to, names...); err != nil {
		t.Fatal(err)
	}
}

// ReadFile returns a file's text with Windows line ends made plain, or
// stops the test.
func ReadFile(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

// Save writes text to the file name as an editor's save looks to the
// server: into a new file, renamed over the old one, so that the reloader
// never builds half a file. The file is dated ahead by ahead, so that each
// save of a test is a change even on a coarse clock.
func Save(t testing.TB, name, text string, ahead time.Duration) {
	t.Helper()
	saving := name + ".saving"
	if err := os.WriteFile(saving, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(ahead)
	os.Chtimes(saving, later, later)
	if err := os.Rename(saving, name); err != nil {
		t.Fatal(err)
	}
}
