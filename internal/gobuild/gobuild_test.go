package gobuild

import (
	"context"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// program writes a module of its own with main.go, and returns main.go's path.
func program(t *testing.T, main string) string {
	t.Helper()
	dir := t.TempDir()
	write(t, filepath.Join(dir, "go.mod"), "module tiny\n\ngo 1.25.0\n")
	write(t, filepath.Join(dir, "main.go"), "//go:build ignore\n\npackage main\n\n"+main)
	return filepath.Join(dir, "main.go")
}

// TestBuild: a main.go that compiles gives a program that runs, with the
// flags given, at the path Build returns.
func TestBuild(t *testing.T) {
	mainFile := program(t, "import \"fmt\"\n\nvar word = \"unset\"\n\nfunc main() { fmt.Println(\"built:\", word) }\n")
	bin, said, err := Build(context.Background(), mainFile, filepath.Join(t.TempDir(), "tiny"), "-ldflags=-X main.word=given")
	if err != nil || said != "" {
		t.Fatalf("Build: %v\n%s", err, said)
	}
	if runtime.GOOS == "windows" && !strings.HasSuffix(bin, ".exe") {
		t.Errorf("on Windows the program %s does not end in .exe, so it cannot run", bin)
	}
	out, err := exec.Command(bin).CombinedOutput()
	if got := strings.TrimSpace(string(out)); err != nil || got != "built: given" {
		t.Errorf("the program printed %q (%v), want \"built: given\": the flags were not used", got, err)
	}
}

// TestBuildMessages: a main.go that does not compile gives what the
// compiler said, file and line included, without go build's
// "# command-line-arguments" line, and an error.
func TestBuildMessages(t *testing.T) {
	mainFile := program(t, "func main() { undefinedName() }\n")
	out := filepath.Join(t.TempDir(), "tiny")
	bin, said, err := Build(context.Background(), mainFile, out)
	if err == nil || bin != "" {
		t.Fatalf("Build of a main.go that does not compile = %q, %v; want an error", bin, err)
	}
	if !strings.Contains(said, "main.go:5:15: undefined: undefinedName") {
		t.Errorf("the messages do not say what the compiler said, with file and line: %q", said)
	}
	if strings.Contains(said, "#") || said != strings.TrimSpace(said) {
		t.Errorf("the messages hold go build's \"# ...\" line, or blank lines around them: %q", said)
	}
}
