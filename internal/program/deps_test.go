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
// build. The helpers for tests live in internal/testenv, which only test
// files import.
func TestGraderLinksNoTesting(t *testing.T) {
	list := exec.Command("go", "list", "-deps", "example.com/sessions/lesson/grade")
	list.Dir = testenv.Root(t)
	out, err := list.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	if deps := strings.Fields(string(out)); slices.Contains(deps, "testing") {
		t.Errorf("the grading command links package testing; its dependencies:\n%s", out)
	}
}
