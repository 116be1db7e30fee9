package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Parts 2 and 3: the learner's go test commands, under Wine.

// myWork runs the learner's own check on the untouched starter.
func (s *step) myWork() {
	s.r.section("2. go test -run TestMyWork -v in the learner's folder")
	output, status := s.goTool(s.lesson, 900*time.Second, "mywork.log", "test", "-run", "TestMyWork", "-v")
	if status == "0" && hasLine(output, regexp.MustCompile(`^--- PASS: TestMyWork`)) && strings.Contains(output, "Nothing has been done yet") {
		s.r.ok("it passes, and reports on the untouched starter:")
		fmt.Fprint(s.r.out, indent(output))
	} else {
		s.r.fail(`go test -run TestMyWork -v: exit status `+status+`; want PASS and "Nothing has been done yet"`, lastLines(output, 40))
	}
}

// testFlags only change what go test ./... shows and how long it may take:
// -count=1, no "(cached)" from an earlier run; -timeout=25m, a package may
// take longer under Wine than go test's own limit of 10 minutes; -v, to list
// what ran. (As GOFLAGS they would reach the go build of each test too.)
var testFlags = []string{"-count=1", "-timeout=25m", "-v"}

// goTest runs the README's command. Wine 8.0 now and then fails to start a
// process under load ("fork/exec ...compile.exe: Internal error."), which
// Windows does not. When that is in the log, the packages that failed run
// again, one at a time, at most twice; each run's first failures are shown.
// A failure without it is a real one, and is not run again.
func (s *step) goTest() {
	s.r.section("3. go test " + strings.Join(testFlags, " ") + " ./... in the learner's folder")
	output, status := s.goTool(s.lesson, 1800*time.Second, "go-test.log", append(append([]string{"test"}, testFlags...), "./...")...)
	for retry := 1; retry <= 2; retry++ {
		again := failedPackages(output)
		if status == "0" || len(again) == 0 || !strings.Contains(output, "Internal error") {
			break
		}
		fmt.Printf("      go test failed in %s, and Wine could not start a process; again (%d of 2), one package at a time:\n",
			strings.Join(again, " "), retry)
		fmt.Print(indent(cut(linesMatching(output, `^ *--- FAIL|Internal error|^FAIL`), 300)))
		args := append(append([]string{"test", "-p", "1"}, testFlags...), again...)
		var rerun string
		rerun, status = s.goTool(s.lesson, 1800*time.Second, "go-test.log", args...)
		output = rerun + linesMatching(output, `^(ok|\?) `)
	}
	s.goTestVerdict(output, status)
}

// goTestVerdict reports go test ./...: each package's time and each skip on
// success; what the failed tests printed otherwise.
func (s *step) goTestVerdict(output, status string) {
	passed := len(regexp.MustCompile(`(?m)^ *--- PASS`).FindAllString(output, -1))
	skipped := len(regexp.MustCompile(`(?m)^ *--- SKIP`).FindAllString(output, -1))
	if status == "0" && !hasLine(output, regexp.MustCompile(`^--- FAIL|^FAIL`)) {
		s.r.ok(fmt.Sprintf("go test ./... passes: %d tests and subtests passed, %d skipped; each package's time:", passed, skipped))
		fmt.Fprint(s.r.out, indent(linesMatching(output, `^(ok|\?|FAIL) `)))
		// Expected: TestPeekYourCookie (no -cookie given), TestGradeCtrlC
		// (Linux only) and the classroom page's blocks for bash; any
		// other is worth a look.
		for _, skip := range skipReasons(output) {
			fmt.Fprintln(s.r.out, "      skip "+skip)
		}
		return
	}
	s.r.fail(fmt.Sprintf("go test ./...: exit status %s, %d passed, %d skipped, failed:", status, passed, skipped),
		firstLines(cut(failures(output), 400), 100))
}

// goTool runs go.exe under Wine in dir, a folder of the learner's copy,
// with no input, for at most limit; it gives the log (saved as name too)
// and the exit status.
func (s *step) goTool(dir string, limit time.Duration, name string, args ...string) (string, string) {
	s.hold()
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, wineBin, append([]string{"go"}, args...)...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), s.learner...)
	out, err := runToFile(cmd, filepath.Join(s.work, name))
	status := exitStatus(err)
	if ctx.Err() != nil {
		status = fmt.Sprintf("124 (stopped after %d s)", seconds(limit))
	}
	return logOf(out), status
}
