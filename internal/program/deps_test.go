package program_test

import (
	"os/exec"
	"slices"
	"strings"
	"testing"

	"example.com/sessions/internal/testenv"
)

// TestGraderLinksNoTesting: the grading command, which uses this package,
// does not carry package testing (its flags, its code) into a teacher's
// build. Neither does this package, whatever uses it: the helpers for tests
// live in internal/testenv, which only test files import.
func TestGraderLinksNoTesting(t *testing.T) {
	for _, pkg := range []string{"example.com/sessions/lesson/grade", "example.com/sessions/internal/program"} {
		list := exec.Command("go", "list", "-deps", pkg)
		list.Dir = testenv.Root(t)
		out, err := list.CombinedOutput()
		if err != nil {
			t.Fatalf("go list: %v\n%s", err, out)
		}
		if deps := strings.Fields(string(out)); slices.Contains(deps, "testing") {
			t.Errorf("%s links package testing; its dependencies:\n%s", pkg, out)
		}
	}
}
