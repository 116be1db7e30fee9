package main

import (
	"regexp"
	"slices"
	"testing"
)

// A go test -v ./... log as go.exe prints it: a failed package, a build
// failure, a skip with its reason, a pass.
const testLog = `=== RUN   TestPeekYourCookie
    peek_test.go:20: no -cookie given: nothing to peek at
--- SKIP: TestPeekYourCookie (0.00s)
=== RUN   TestSave
=== RUN   TestSave/ok
    --- PASS: TestSave/ok (0.01s)
--- PASS: TestSave (0.01s)
PASS
ok  	example.com/sessions	1.234s
=== RUN   TestReload
    reloader_test.go:50: want "Detected change", got nothing
--- FAIL: TestReload (3.00s)
=== RUN   TestGradeCtrlC
    grade_test.go:9: Linux only
--- SKIP: TestGradeCtrlC (0.00s)
FAIL
FAIL	example.com/sessions/devserver	5.001s
FAIL	example.com/sessions/lesson [build failed]
?   	example.com/sessions/internal/program	[no test files]
FAIL
`

func TestFailedPackages(t *testing.T) {
	got := failedPackages(testLog)
	want := []string{"example.com/sessions/devserver", "example.com/sessions/lesson"}
	if !slices.Equal(got, want) {
		t.Errorf("failedPackages = %q; want %q", got, want)
	}
	if got := failedPackages("FAIL\t[setup failed]\n"); len(got) != 0 {
		t.Errorf("failedPackages = %q for [setup failed]; want none: it names no package", got)
	}
}

func TestSkipReasons(t *testing.T) {
	want := []string{
		"TestPeekYourCookie: peek_test.go:20: no -cookie given: nothing to peek at",
		"TestGradeCtrlC: grade_test.go:9: Linux only",
	}
	if got := skipReasons(testLog); !slices.Equal(got, want) {
		t.Errorf("skipReasons = %q; want %q", got, want)
	}
}

func TestFailuresShowsWhatFailedTestsSaid(t *testing.T) {
	got := failures(testLog)
	for _, want := range []string{`reloader_test.go:50: want "Detected change", got nothing` + "\n--- FAIL: TestReload (3.00s)\n"} {
		if !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(got) {
			t.Errorf("failures =\n%s\nwant it to hold\n%s", got, want)
		}
	}
	for _, passing := range []string{"TestSave", "=== RUN", "no -cookie given"} {
		if regexp.MustCompile(regexp.QuoteMeta(passing)).MatchString(got) {
			t.Errorf("failures =\n%s\nwant no %q: it passed or was skipped", got, passing)
		}
	}
}

func TestPackageLinesAndFailureLines(t *testing.T) {
	// A failed package's line has a tab after FAIL, and is not listed:
	// the list is shown only when all passed.
	want := "ok  \texample.com/sessions\t1.234s\n?   \texample.com/sessions/internal/program\t[no test files]\n"
	if got := linesMatching(testLog, `^(ok|\?|FAIL) `); got != want {
		t.Errorf("package lines =\n%q\nwant\n%q", got, want)
	}
	if !hasLine(testLog, regexp.MustCompile(`^--- FAIL|^FAIL`)) {
		t.Error("hasLine finds no failure in a failed log")
	}
	if hasLine("ok  \tx\t1s\n    --- FAIL: only a subtest's line, indented\n", regexp.MustCompile(`^--- FAIL|^FAIL`)) {
		t.Error("hasLine took an indented line for a line's start")
	}
}

func TestCutAndFirstLines(t *testing.T) {
	if got := cut("abcdef\nab\n", 3); got != "abc\nab\n" {
		t.Errorf("cut = %q", got)
	}
	if got := firstLines("1\n2\n3\n", 2); got != "1\n2\n" {
		t.Errorf("firstLines = %q", got)
	}
}
