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
