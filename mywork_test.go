package sessions_test

import (
	"strings"
	"testing"

	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/testenv"
)

// TestMyWork checks your own lesson work in this folder, as a browser would:
// it builds main.go as it is now (saved, committed or not), runs it on a free
// port, and says for each stage of the lesson whether it is done, not done
// yet, or wrong. Run it at the end of each section:
//
//	go test -run TestMyWork -v
//
// A stage you have not reached yet is only "not yet"; a stage that is wrong
// fails the test and says what it saw, what the lesson expects, and which
// section of the README to read again.
func TestMyWork(t *testing.T) {
	testenv.NeedsPrograms(t)
	result, err := mywork.Check(".", t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	t.Log(strings.TrimSuffix(result.Report, "\n"))
	for _, problem := range result.Problems {
		t.Error(problem)
	}
}
