package program

import (
	"os"
	"path/filepath"
	"strings"
	"time"
)

// T is the part of testing.TB that the helpers below use. They take it
// instead of testing.TB so that the grading command, which uses this
// package, does not link package testing; every *testing.T is a T.
type T interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
	TempDir() string
	Cleanup(func())
	Failed() bool
}

// RootT returns the folder of the lesson's module, or stops the test.
func RootT(t T) string {
	t.Helper()
	root, err := Root()
	if err != nil {
		t.Fatal(err)
	}
	return root
}

// BuildT compiles dir/main.go into a folder the test removes, or stops the
// test with what the compiler said.
func BuildT(t T, dir string) string {
	t.Helper()
	bin, said, err := Build(dir, t.TempDir())
	if err != nil {
		t.Fatalf("%v:\n%s", err, said)
	}
	return bin
}

// StartT starts command as Start does, with its temporary files in a folder
// the test removes, and stops it when the test ends; a test that fails shows
// what it printed.
func StartT(t T, command []string, opts Options) *Program {
	t.Helper()
	if opts.TempDir == "" {
		opts.TempDir = t.TempDir()
	}
	p, err := Start(command, opts)
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

// RunT starts the program bin in the folder dir on a free port of this
// computer, as go run main.go does, with env added.
func RunT(t T, bin, dir string, env ...string) *Program {
	t.Helper()
	return StartT(t, []string{bin, "-addr", "127.0.0.1:0"}, Options{Dir: dir, Env: env})
}

// NewModuleT returns a new folder that is a module of its own, using this
// repository's example.com/sessions (see NewModule).
func NewModuleT(t T) string {
	t.Helper()
	dir := t.TempDir()
	if err := NewModule(dir, RootT(t)); err != nil {
		t.Fatal(err)
	}
	return dir
}

// CopyT copies files as Copy does, or stops the test.
func CopyT(t T, from, to string, names ...string) {
	t.Helper()
	if err := Copy(from, to, names...); err != nil {
		t.Fatal(err)
	}
}

// ReadT returns a file's text with Windows line ends made plain, or stops
// the test.
func ReadT(t T, name string) string {
	t.Helper()
	data, err := os.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return strings.ReplaceAll(string(data), "\r\n", "\n")
}

// SaveT writes text to the file name as an editor's save looks to the
// server: into a new file, renamed over the old one, so that the reloader
// never builds half a file. The file is dated ahead by ahead, so that each
// save of a test is a change even on a coarse clock.
func SaveT(t T, name, text string, ahead time.Duration) {
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
