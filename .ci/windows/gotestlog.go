package main

import (
	"regexp"
	"strings"
)

// Reading go test -v's output: what failed, what was skipped and why.

var failedPackage = regexp.MustCompile(`^FAIL\t([^ \t]*)`)

// failedPackages are the packages go test reports as failed, in order;
// "[build failed]" and such are no package.
func failedPackages(output string) []string {
	var pkgs []string
	for _, line := range strings.Split(output, "\n") {
		if m := failedPackage.FindStringSubmatch(line); m != nil && !strings.HasPrefix(m[1], "[") {
			pkgs = append(pkgs, m[1])
		}
	}
	return pkgs
}

// hasLine says whether a line of log matches re.
func hasLine(output string, re *regexp.Regexp) bool {
	for _, line := range strings.Split(output, "\n") {
		if re.MatchString(line) {
			return true
		}
	}
	return false
}

// linesMatching is the lines of log that match the expression, each with
// its newline.
func linesMatching(output, expr string) string {
	re := regexp.MustCompile(expr)
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(output, "\n"), "\n") {
		if re.MatchString(line) {
			b.WriteString(line + "\n")
		}
	}
	return b.String()
}

var (
	testStarts = regexp.MustCompile(`^=== (RUN|CONT) +(\S+)`)
	testSays   = regexp.MustCompile(`^    [^ -]`)
	testSkip   = regexp.MustCompile(`^ *--- SKIP: (\S+)`)
)

// skipReasons are "TestName: reason" for each skipped test: the last line
// a top-level test logged before it was skipped.
func skipReasons(output string) []string {
	var skips []string
	test, reason := "", map[string]string{}
	for _, line := range strings.Split(output, "\n") {
		if m := testStarts.FindStringSubmatch(line); m != nil {
			test = m[2]
		}
		if testSays.MatchString(line) {
			reason[test] = strings.TrimLeft(line, " ")
		}
		if m := testSkip.FindStringSubmatch(line); m != nil {
			skips = append(skips, m[1]+": "+reason[m[1]])
		}
	}
	return skips
}

// failures is what the failed tests printed, without the passing tests'
// lines or the === lines: what each test said it wanted, then its
// --- FAIL line.
func failures(output string) string {
	var out, shown strings.Builder
	for _, line := range strings.Split(strings.TrimRight(output, "\n"), "\n") {
		switch {
		case strings.HasPrefix(line, "=== "):
		case regexp.MustCompile(`^ *--- (PASS|SKIP)`).MatchString(line):
			if !strings.HasPrefix(line, " ") {
				shown.Reset()
			}
		case regexp.MustCompile(`^ +--- FAIL`).MatchString(line):
			out.WriteString(line + "\n")
		case strings.HasPrefix(line, "--- FAIL"):
			out.WriteString(shown.String() + line + "\n")
			shown.Reset()
		default:
			shown.WriteString(line + "\n")
		}
	}
	return out.String() + shown.String()
}

// cut keeps the first n bytes of each line, as cut -c does.
func cut(text string, n int) string {
	lines := strings.Split(text, "\n")
	for i, line := range lines {
		lines[i] = line[:min(n, len(line))]
	}
	return strings.Join(lines, "\n")
}

// firstLines is text's first n lines.
func firstLines(text string, n int) string {
	lines := strings.SplitAfter(text, "\n")
	return strings.Join(lines[:min(n, len(lines))], "")
}
