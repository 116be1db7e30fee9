package main

import "testing"

func TestWinpath(t *testing.T) {
	for path, want := range map[string]string{
		"/root/.cache/lesson-windows-go/go1.26.8/bin": `Z:\root\.cache\lesson-windows-go\go1.26.8\bin`,
		"/":          `Z:\`,
		"/a b/c.exe": `Z:\a b\c.exe`,
	} {
		if got := winpath(path); got != want {
			t.Errorf("winpath(%q) = %q; want %q", path, got, want)
		}
	}
}

func TestLearnerEnvPutsGoExeOnWinePath(t *testing.T) {
	env := learnerEnv("/c/go1-windows", "/m")
	want := []string{`WINEPATH=Z:\c\go1-windows\bin`, `GOMODCACHE=Z:\m`, "GOPROXY=off", "GOTOOLCHAIN=local", `GOCACHE=Z:\c\go1-windows-cache`}
	if len(env) != len(want) {
		t.Fatalf("learnerEnv = %q; want %q", env, want)
	}
	for i := range want {
		if env[i] != want[i] {
			t.Errorf("learnerEnv[%d] = %q; want %q", i, env[i], want[i])
		}
	}
}

// A process as /proc shows it: its command line and environment are lists
// ended by NUL bytes.
func TestIsWineProgram(t *testing.T) {
	const prefix = "/tmp/lesson-windows.1/wine"
	env := []byte("HOME=/root\x00WINEPREFIX=" + prefix + "\x00")
	app := []byte(`C:\lesson\finished\app.exe` + "\x00-addr\x00127.0.0.1:0\x00")
	cases := []struct {
		why     string
		cmdline []byte
		environ []byte
		exe     string
		want    bool
	}{
		{"a Wine process of app.exe in the prefix", app, env, "/usr/lib/wine/wine64-preloader", true},
		{"another program", []byte("go.exe\x00run\x00"), env, "/usr/lib/wine/wine64-preloader", false},
		{"the terminal script makes names it, but is no Wine program", []byte("script\x00-qefc\x00'/usr/lib/wine/wine64' 'app.exe'\x00"), env, "/usr/bin/script", false},
		{"another prefix", app, []byte("WINEPREFIX=/tmp/other\x00"), "/usr/lib/wine/wine64-preloader", false},
		{"a prefix whose name begins the same", app, []byte("WINEPREFIX=" + prefix + "2\x00"), "/usr/lib/wine/wine64-preloader", false},
	}
	for _, c := range cases {
		if got := isWineProgram(c.cmdline, c.environ, c.exe, "app.exe", prefix); got != c.want {
			t.Errorf("%s: isWineProgram = %v; want %v", c.why, got, c.want)
		}
	}
}
