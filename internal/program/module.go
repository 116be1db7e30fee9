package program

import (
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"example.com/sessions/internal/gobuild"
)

// Root returns the folder of the lesson's module, example.com/sessions,
// looking up from the working folder, where go test runs a package's tests.
// It looks past a module of another name, such as .ci/browser.
func Root() (string, error) {
	dir, err := os.Getwd()
	if err != nil {
		return "", err
	}
	for {
		root, path, err := gobuild.FindModule(dir)
		switch {
		case path == "example.com/sessions":
			return root, nil
		case errors.Is(err, os.ErrNotExist) || root != "" && filepath.Dir(root) == root:
			return "", errors.New("no folder above the working folder holds the go.mod of example.com/sessions")
		case root == "":
			return "", err // a go.mod that could not be read
		}
		dir = filepath.Dir(root)
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
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// The new module names the Go version of example.com/sessions and
	// requires what it requires, as Go asks of a module that uses it:
	// securecookie, and the check's golang.org/x/net, which a learner's
	// program never builds.
	cmd := exec.Command("go", "mod", "edit", "-json")
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		return errors.New("go mod edit -json: " + err.Error())
	}
	var mod struct {
		Go      string
		Require []struct{ Path, Version string }
	}
	if err := json.Unmarshal(out, &mod); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module lesson\n\ngo "+mod.Go+"\n"), 0o644); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "go.sum"), sums, 0o644); err != nil {
		return err
	}
	args := []string{"mod", "edit", "-require=example.com/sessions@v0.0.0", "-replace=example.com/sessions=" + root}
	for _, r := range mod.Require {
		args = append(args, "-require="+r.Path+"@"+r.Version)
	}
	cmd = exec.Command("go", args...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		return errors.New("go mod edit: " + err.Error() + "\n" + string(out))
	}
	return nil
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
