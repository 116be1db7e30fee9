package program_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// TestNewModule makes a module as the grading command and the tests do,
// copies the starter's main.go into it and builds it: the module must say
// a go line the lesson's own go.mod allows, or go build asks for go mod
// tidy and every student's work "does not compile".
func TestNewModule(t *testing.T) {
	root := testenv.Root(t)
	dir := testenv.NewModule(t)
	testenv.Copy(t, root, dir, "main.go")
	if _, said, err := program.Build(dir, t.TempDir()); err != nil {
		t.Fatalf("the starter's main.go in a new module: %v\n%s", err, said)
	}
	mod := testenv.ReadFile(t, filepath.Join(dir, "go.mod"))
	rootMod := testenv.ReadFile(t, filepath.Join(root, "go.mod"))
	_, after, _ := strings.Cut(rootMod, "\ngo ")
	line, _, _ := strings.Cut(after, "\n")
	if line == "" || !strings.Contains(mod, "\ngo "+line+"\n") {
		t.Errorf("the new module's go.mod does not say the lesson's go %q:\n%s", line, mod)
	}
	if _, err := os.Stat(filepath.Join(dir, "go.sum")); err != nil {
		t.Errorf("the new module has no go.sum: %v", err)
	}
}

// TestRoot finds the lesson's module above the working folder, past a
// module of another name (as from .ci/browser), in a go.mod written on
// Windows with a comment first and the path quoted.
func TestRoot(t *testing.T) {
	top, err := filepath.EvalSymlinks(t.TempDir()) // the working folder's name, as on macOS
	if err != nil {
		t.Fatal(err)
	}
	inner := filepath.Join(top, "ci", "browser", "deeper")
	if err := os.MkdirAll(inner, 0o755); err != nil {
		t.Fatal(err)
	}
	files := map[string]string{
		"go.mod":            "// The lesson.\r\nmodule \"example.com/sessions\"\r\n\r\ngo 1.25.0\r\n",
		"ci/browser/go.mod": "module example.com/sessions/ci/browser\n",
	}
	for name, text := range files {
		if err := os.WriteFile(filepath.Join(top, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	t.Chdir(inner)
	if root, err := program.Root(); err != nil || root != top {
		t.Errorf("Root() from %s = %q, %v; want %s", inner, root, err, top)
	}
	t.Chdir(filepath.Join(top, ".."))
	if root, err := program.Root(); err == nil || !strings.Contains(err.Error(), "holds the go.mod of example.com/sessions") {
		t.Errorf("Root() from a folder outside the lesson = %q, %v; want an error that says so", root, err)
	}
}
