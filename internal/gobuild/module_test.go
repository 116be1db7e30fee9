package gobuild

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestModulePath reads the module line as the go command does, in the
// forms a go.mod written by hand, by go mod edit or on Windows takes.
func TestModulePath(t *testing.T) {
	for _, c := range []struct{ name, gomod, want string }{
		{"plain", "module example.com/sessions\n\ngo 1.25.0\n", "example.com/sessions"},
		{"no line end", "module example.com/sessions", "example.com/sessions"},
		{"Windows line ends", "module example.com/sessions\r\n\r\ngo 1.25.0\r\n", "example.com/sessions"},
		{"comment before", "// The lesson's module.\n// Deprecated: no.\nmodule example.com/sessions\n", "example.com/sessions"},
		{"comment after", "module example.com/sessions // the lesson\n", "example.com/sessions"},
		{"quoted", "module \"example.com/sessions\"\n", "example.com/sessions"},
		{"back-quoted", "module `example.com/sessions`\r\n", "example.com/sessions"},
		{"leading blank lines", "\n\n  \r\n\tmodule\texample.com/sessions\n", "example.com/sessions"},
		{"commented out", "// module example.com/old\nmodule example.com/sessions\n", "example.com/sessions"},
		{"a longer word", "modules x\nmodule example.com/sessions\n", "example.com/sessions"},
		{"no module line", "go 1.25.0\n", ""},
		{"the word alone", "module\n", ""},
		{"empty", "", ""},
		{"bad quotes", "module \"example.com/sessions\n", ""},
	} {
		if got := ModulePath(c.gomod); got != c.want {
			t.Errorf("%s: ModulePath(%q) = %q, want %q", c.name, c.gomod, got, c.want)
		}
	}
}

// TestFindModule finds the nearest go.mod above a folder, as go build
// does, and says so when there is none.
func TestFindModule(t *testing.T) {
	top := t.TempDir()
	inner := filepath.Join(top, "lesson", "finished")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	write(t, filepath.Join(top, "go.mod"), "// Outer.\r\nmodule \"example.com/outer\"\r\n")
	write(t, filepath.Join(top, "lesson", "go.mod"), "module lesson\n")
	if root, path, err := FindModule(inner); err != nil || root != filepath.Join(top, "lesson") || path != "lesson" {
		t.Errorf("FindModule(lesson/finished) = %q, %q, %v; want the lesson folder and lesson", root, path, err)
	}
	if root, path, err := FindModule(top); err != nil || root != top || path != "example.com/outer" {
		t.Errorf("FindModule(top) = %q, %q, %v; want the top folder and example.com/outer", root, path, err)
	}
	write(t, filepath.Join(top, "lesson", "go.mod"), "go 1.25.0\n")
	if _, _, err := FindModule(inner); err == nil {
		t.Errorf("FindModule found a module in a go.mod with no module line")
	}
}

// TestFindModuleNone: a folder with no go.mod above it gives an error that
// says so. The test's temporary folder may itself sit in a module, so the
// test looks from the top of the file system's tree of folders.
func TestFindModuleNone(t *testing.T) {
	top := filepath.VolumeName(t.TempDir()) + string(filepath.Separator)
	if _, err := os.Stat(filepath.Join(top, "go.mod")); err == nil {
		t.Skip("this computer has a go.mod at the top of its folders")
	}
	if root, path, err := FindModule(top); !errors.Is(err, os.ErrNotExist) || root != "" || path != "" {
		t.Errorf("FindModule(%s) = %q, %q, %v; want an error that no go.mod was found", top, root, path, err)
	}
}

func write(t *testing.T, name, text string) {
	t.Helper()
	if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}
