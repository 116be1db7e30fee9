package gobuild

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// FindModule looks up from dir, then its parents, for the first go.mod, as
// the go command does, and returns its folder and the module's path (such
// as example.com/sessions). The development server names the program it
// serves by its place in the module; the tests and the grader find the
// lesson's folder. Flask's twin is app.root_path, the app's folder, which
// Flask finds from the app's import name.
func FindModule(dir string) (root, path string, err error) {
	dir, err = filepath.Abs(dir)
	if err != nil {
		return "", "", err
	}
	for {
		data, err := os.ReadFile(filepath.Join(dir, "go.mod"))
		if err == nil {
			if path = ModulePath(string(data)); path == "" {
				return dir, "", fmt.Errorf("%s has no module line", filepath.Join(dir, "go.mod"))
			}
			return dir, path, nil
		}
		parent := filepath.Dir(dir)
		if !errors.Is(err, os.ErrNotExist) {
			return "", "", err
		}
		if parent == dir {
			return "", "", fmt.Errorf("no go.mod in %s or any folder above it: %w", dir, os.ErrNotExist)
		}
		dir = parent
	}
}

// ModulePath returns the path that the module line of a go.mod's text
// names, or "" when it has none. The line may follow comments and blank
// lines, end in a comment or in Windows' "\r", and quote the path, as the
// go command allows: go mod edit writes `module "example.com/x"` for a path
// that needs it.
func ModulePath(gomod string) string {
	for _, line := range strings.Split(gomod, "\n") {
		line, _, _ = strings.Cut(line, "//")
		rest, ok := strings.CutPrefix(strings.TrimSpace(line), "module")
		if !ok || rest == strings.TrimLeft(rest, " \t") {
			continue // another line, or a word such as "modules"
		}
		rest = strings.TrimSpace(rest)
		if strings.HasPrefix(rest, `"`) || strings.HasPrefix(rest, "`") {
			path, err := strconv.Unquote(rest)
			if err != nil {
				return ""
			}
			return path
		}
		return rest
	}
	return ""
}
