package devserver

import (
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"example.com/sessions"
)

// writeFiles writes each named file under dir, making its folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// tempDir returns t.TempDir(), or skips the test under -short on Windows:
// CI runs the Windows build's tests under Wine 8.0, which cannot remove the
// folder when the test ends (unlinkat: Invalid function).
func tempDir(t *testing.T) string {
	t.Helper()
	if testing.Short() && runtime.GOOS == "windows" {
		t.Skip("needs a temporary folder, which Wine 8.0 cannot remove; skipped with -short on Windows")
	}
	return t.TempDir()
}

// TestBanner: the banner says which program runs, so that the starter and
// the finished app, which look alike, can be told apart.
func TestBanner(t *testing.T) {
	lesson := tempDir(t)
	writeFiles(t, lesson, map[string]string{"go.mod": "module example.com/sessions\n\ngo 1.25\n", "main.go": "", "starter/main.go": ""})
	other := tempDir(t)
	writeFiles(t, other, map[string]string{"go.mod": "module lesson\n", "starter/main.go": ""})
	repository, _ := filepath.Abs(filepath.Join("..", "main.go"))
	for mainFile, want := range map[string]string{
		filepath.Join(lesson, "starter", "main.go"): " * Serving the starter (starter/main.go)\n",
		filepath.Join(lesson, "main.go"):            " * Serving the finished app (main.go)\n",
		repository:                                  " * Serving the finished app (main.go)\n",
		filepath.Join(other, "starter", "main.go"):  " * Serving " + filepath.Join(other, "starter", "main.go") + "\n",
	} {
		got := banner(mainFile, true, "127.0.0.1:5000")
		if !strings.HasPrefix(got, want) {
			t.Errorf("for %s the banner starts\n%s\nwant\n%s", mainFile, got, want)
		}
	}
	for debug, lines := range map[bool][]string{
		true:  {" * Debug mode: on\n", "WARNING: no SECRET_KEY is set", "\n * Running on http://127.0.0.1:5000\nPress CTRL+C to quit\n"},
		false: {" * Debug mode: off\n * Running on http://127.0.0.1:5000\nPress CTRL+C to quit\n"},
	} {
		got := banner(filepath.Join(lesson, "main.go"), debug, "127.0.0.1:5000")
		for _, line := range lines {
			if !strings.Contains(got, line) {
				t.Errorf("with debug %v the banner\n%s\nlacks %q", debug, got, line)
			}
		}
	}
}

// TestWrongFolder: run from a folder without index.html, the program says
// where it is and which folder to cd into.
func TestWrongFolder(t *testing.T) {
	project := tempDir(t)
	writeFiles(t, project, map[string]string{"starter/main.go": "", "starter/index.html": "", "README.md": ""})
	t.Chdir(project)
	err := checkFolder(filepath.Join(project, "starter", "main.go"))
	if err == nil || !strings.Contains(err.Error(), "There is no index.html in "+project+".") ||
		!strings.Contains(err.Error(), "cd "+filepath.Join(project, "starter")+", then type go run main.go") {
		t.Errorf("run from the wrong folder: %v", err)
	}
	t.Chdir(filepath.Join(project, "starter"))
	if err := checkFolder(filepath.Join(project, "starter", "main.go")); err != nil {
		t.Errorf("run from the right folder: %v", err)
	}
}

// TestDebugOnlyOnThisComputer: debug mode refuses an address other computers
// can reach, and says to set SECRET_KEY first.
func TestDebugOnlyOnThisComputer(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:5000", "localhost:5000", "[::1]:5000", "127.0.0.1:0"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("-addr %s: %v, want it allowed", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:5000", ":5000", "192.168.1.20:5000", "[::]:5000", "my-laptop.local:5000"} {
		err := checkLoopback(addr)
		if err == nil || !strings.Contains(err.Error(), "Set SECRET_KEY to any private phrase first") || !strings.Contains(err.Error(), "published") {
			t.Errorf("-addr %s in debug mode: %v, want a refusal that says to set SECRET_KEY first", addr, err)
		}
	}
}

// TestSecretKey: debug mode without a key signs with the development key;
// without debug mode and without a key, the program stops with Flask's
// message.
func TestSecretKey(t *testing.T) {
	t.Chdir(tempDir(t)) // no index.html: run stops at checkFolder when the key is fine
	err := run(http.NotFoundHandler(), Config{Debug: false}, "127.0.0.1:0", "main.go")
	if !errors.Is(err, sessions.ErrNoSecretKey) {
		t.Errorf("no SECRET_KEY and no debug mode: %v, want sessions.ErrNoSecretKey", err)
	}
	t.Cleanup(func() { debugMode = false })
	err = run(http.NotFoundHandler(), Config{Debug: true}, "127.0.0.1:0", "main.go")
	if err == nil || !strings.Contains(err.Error(), "There is no index.html") {
		t.Errorf("debug mode without a key: %v, want it to get past the key (to the missing index.html)", err)
	}
}

// TestBusyPort: a second server on a port this lesson's server holds says
// that it is already running and where to stop it; on a port another program
// holds, it gives the hint of another port.
func TestBusyPort(t *testing.T) {
	lesson := httptest.NewServer(serverHeader(http.NotFoundHandler()))
	defer lesson.Close()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	notHTTP, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer notHTTP.Close()
	go func() { // accepts and hangs up, as a program that speaks no HTTP would
		for {
			conn, err := notHTTP.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()

	_, err = listen(lesson.Listener.Addr().String())
	if err == nil || !strings.Contains(err.Error(), "This lesson's server is already running at http://"+lesson.Listener.Addr().String()) ||
		!strings.Contains(err.Error(), "another terminal or VS Code tab") || !strings.Contains(err.Error(), "Ctrl+C") {
		t.Errorf("the port of this lesson's server: %v", err)
	}
	for _, addr := range []string{other.Listener.Addr().String(), notHTTP.Addr().String()} {
		_, err := listen(addr)
		if err == nil || strings.Contains(err.Error(), "already running") ||
			!strings.Contains(err.Error(), "Another program may be using that port") || !strings.Contains(err.Error(), "go run main.go -addr 127.0.0.1:5001") {
			t.Errorf("the port of another program: %v", err)
		}
	}
}
