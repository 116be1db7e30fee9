package main

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

func TestEnvironDropsAndAdds(t *testing.T) {
	got := environ([]string{"HOME=/root", "SECRET_KEY=s", "SECRET_KEY_FILE=f"}, []string{"SECRET_KEY"}, []string{"GOPROXY=off"})
	want := []string{"HOME=/root", "SECRET_KEY_FILE=f", "GOPROXY=off"}
	if !slices.Equal(got, want) {
		t.Errorf("environ = %q; want %q", got, want)
	}
}

// The command line script hands to sh must give the program back the very
// words it was given: spaces, quotes and backslashes too.
func TestShellQuoteKeepsEachWord(t *testing.T) {
	words := []string{"/usr/lib/wine/wine64", `C:\a b\app.exe`, "it's", `"quoted"`, "$HOME", ""}
	out, err := exec.Command("sh", "-c", "printf '%s\\n' "+shellQuote(words)).Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Split(strings.TrimSuffix(string(out), "\n"), "\n"); !slices.Equal(got, words) {
		t.Errorf("sh read %q; want %q", got, words)
	}
}

func TestExitStatus(t *testing.T) {
	for command, want := range map[string]string{"exit 0": "0", "exit 3": "3", "kill -9 $$": "137"} {
		if got := exitStatus(exec.Command("sh", "-c", command).Run()); got != want {
			t.Errorf("%s: exitStatus = %s; want %s", command, got, want)
		}
	}
}
