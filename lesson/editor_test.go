package lesson

import (
	"encoding/json"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"example.com/sessions/internal/testenv"
)

// TestEditorSettings reads the editor settings a class gets with the
// repository, as VS Code would, and checks what they promise: the Flask
// repository's .vscode/settings.json names a Python on its author's
// computer; this one recommends the Go extension, formats Go on save with
// it, and names no path of any computer.
func TestEditorSettings(t *testing.T) {
	root := testenv.Root(t)
	var settings map[string]any
	readJSON(t, filepath.Join(root, ".vscode", "settings.json"), &settings)
	goSettings, _ := settings["[go]"].(map[string]any)
	if goSettings["editor.formatOnSave"] != true || goSettings["editor.defaultFormatter"] != "golang.go" {
		t.Errorf(`.vscode/settings.json's "[go]" is %v, want "editor.formatOnSave": true and "editor.defaultFormatter": "golang.go"`, goSettings)
	}
	if settings["files.eol"] != "\n" {
		t.Errorf(`.vscode/settings.json's "files.eol" is %q, want "\n", as .gitattributes keeps every file`, settings["files.eol"])
	}
	noMachinePaths(t, ".vscode/settings.json", settings)

	var extensions struct{ Recommendations []string }
	readJSON(t, filepath.Join(root, ".vscode", "extensions.json"), &extensions)
	if !slices.Contains(extensions.Recommendations, "golang.go") {
		t.Errorf(".vscode/extensions.json recommends %q, want the Go extension, golang.go", extensions.Recommendations)
	}
}

// TestDevContainer reads .devcontainer/devcontainer.json, which Codespaces
// and VS Code's Dev Containers use to make a computer for the lesson (a
// Chromebook's browser is enough), and checks it: a Go image new enough for
// go.mod, the Go extension, port 5000 forwarded, and the build cache warmed
// with docs/classroom.md's command, and a notice when the app starts, which
// the README sends a Chromebook's learner to. It cannot start the container
// here.
//
// Port 5000 is forwarded (forwardPorts), never published (appPort): in
// debug mode the app listens on 127.0.0.1 only, and VS Code's docs say a
// forwarded port looks like localhost to the app, where a published one does
// not. Codespaces forwards from localhost too, though its requests name the
// codespace's own address as their Host, which debug mode allows there (see
// devserver's TestCodespace).
func TestDevContainer(t *testing.T) {
	root := testenv.Root(t)
	var c struct {
		Image          string
		Customizations struct {
			VSCode struct{ Extensions []string } `json:"vscode"`
		}
		ForwardPorts      []any
		PortsAttributes   map[string]struct{ OnAutoForward string }
		AppPort           any
		PostCreateCommand string
	}
	readJSON(t, filepath.Join(root, ".devcontainer", "devcontainer.json"), &c)
	needs := regexp.MustCompile(`(?m)^go 1\.(\d+)`).FindStringSubmatch(testenv.ReadFile(t, filepath.Join(root, "go.mod")))
	image := regexp.MustCompile(`^mcr\.microsoft\.com/devcontainers/go:1-1\.(\d+)(-[a-z]+)?$`).FindStringSubmatch(c.Image)
	if needs == nil || image == nil || atoi(t, image[1]) < atoi(t, needs[1]) || atoi(t, image[1]) < 25 {
		t.Errorf("the dev container's image is %q; want mcr.microsoft.com/devcontainers/go:1-1.N with Go 1.N at least 1.25 and what go.mod needs (%v)", c.Image, needs)
	}
	if !slices.Contains(c.Customizations.VSCode.Extensions, "golang.go") {
		t.Errorf("the dev container installs the extensions %q, want golang.go", c.Customizations.VSCode.Extensions)
	}
	port := regexp.MustCompile(`"addr", "127\.0\.0\.1:(\d+)"`).FindStringSubmatch(testenv.ReadFile(t, filepath.Join(root, "devserver", "devserver.go")))
	if port == nil || !slices.Contains(c.ForwardPorts, any(float64(atoi(t, port[1])))) {
		t.Errorf("the dev container forwards %v, want the port the app listens on by default (%v)", c.ForwardPorts, port)
	}
	if port != nil && c.PortsAttributes[port[1]].OnAutoForward != "notify" {
		t.Errorf(`the dev container's "onAutoForward" for port %s is %q, want "notify": the README sends a Chromebook's learner to that notice`, port[1], c.PortsAttributes[port[1]].OnAutoForward)
	}
	if c.AppPort != nil {
		t.Errorf(`the dev container publishes %v with "appPort": an app in debug mode, listening on 127.0.0.1, refuses what comes through a published port`, c.AppPort)
	}
	if warm := "go test -count=1 -run TestMyWork ."; !strings.HasPrefix(c.PostCreateCommand, warm) {
		t.Errorf("the dev container's postCreateCommand is %q, want it to warm the build cache with %q, as docs/classroom.md does", c.PostCreateCommand, warm)
	}
}

// readJSON reads the JSON file name into v, or stops the test.
func readJSON(t *testing.T, name string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(testenv.ReadFile(t, name)), v); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
}

// noMachinePaths fails the test for any string in v that is a path of one
// computer, such as /Users/ana/... or C:\Users\ana\...
func noMachinePaths(t *testing.T, file string, v any) {
	t.Helper()
	switch v := v.(type) {
	case map[string]any:
		for key, value := range v {
			noMachinePaths(t, file, key)
			noMachinePaths(t, file, value)
		}
	case []any:
		for _, value := range v {
			noMachinePaths(t, file, value)
		}
	case string:
		if strings.HasPrefix(v, "/") || strings.HasPrefix(v, "~") || regexp.MustCompile(`^[A-Za-z]:[\\/]`).MatchString(v) {
			t.Errorf("%s names the path %q, which is on one computer only", file, v)
		}
	}
}

// atoi reads a number the test's own pattern found.
func atoi(t *testing.T, s string) int {
	t.Helper()
	n, err := strconv.Atoi(s)
	if err != nil {
		t.Fatal(fmt.Errorf("not a number: %q", s))
	}
	return n
}
