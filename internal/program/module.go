package program

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Root returns the folder of the lesson's module, example.com/sessions,
// looking up from the working folder, where go test runs a package's tests.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		if data, err := os.ReadFile(filepath.Join(dir, "go.mod")); err == nil && strings.HasPrefix(string(data), "module example.com/sessions\n") {
			return dir, nil
		}
		parent := filepath.Dir(dir)
		if parent == dir {
			return "", errors.New("no folder above the working folder holds the go.mod of example.com/sessions")
		}
		dir = parent
	}
}

// NewModule makes dir a module of its own, named lesson, whose
// example.com/sessions is the one in the folder root: a place for copies of
// the lesson's programs that tests change, or that a teacher grades.
func NewModule(dir, root string) error {
	sums, err := os.ReadFile(filepath.Join(root, "go.sum"))
	if err != nil {
		return err
	}
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module lesson\n\n"+goLine(string(mod))+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sums, 0o644); err != nil {
		return err
	}
	cmd := exec.Command("go", "mod", "edit", "-require=example.com/sessions@v0.0.0", "-replace=example.com/sessions="+root,
		"-require=github.com/gorilla/securecookie@v1.1.2")
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.New("go mod edit: " + err.Error() + "\n" + string(out))
	}
	return nil
}

// goLine returns the go line of a go.mod's text, such as "go 1.25.0", or "".
func goLine(mod string) string {
	for _, line := range strings.Split(strings.ReplaceAll(mod, "\r\n", "\n"), "\n") {
		if strings.HasPrefix(line, "go ") {
			return strings.TrimSpace(line)
		}
	}
	return ""
}

// Copy copies the files names (such as main.go, or words/words.go) from the
// folder from to the folder to, with Windows line ends made plain.
func Copy(from, to string, names ...string) error {
	for _, name := range names {
		data, err := os.ReadFile(filepath.Join(from, name))
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, name)), 0o755); err != nil {
			return err
		}
		text := strings.ReplaceAll(string(data), "\r\n", "\n")
		if err := os.WriteFile(filepath.Join(to, name), []byte(text), 0o644); err != nil {
			return err
		}
	}
	return nil
}
