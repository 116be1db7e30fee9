package main

import (
	"os"
	"regexp"
	"strings"
	"time"
)

// A program's log, as a learner reads it in the terminal.

// terminalCodes are the escape sequences a terminal turns into colours and
// cursor moves; the checks look at the text only.
var terminalCodes = regexp.MustCompile(`\x1b\[[0-9;?]*[a-zA-Z]`)

// logOf is a log's text without carriage returns or terminal codes.
func logOf(raw []byte) string {
	return terminalCodes.ReplaceAllString(strings.ReplaceAll(string(raw), "\r", ""), "")
}

// readLog is the text of the log file at path; empty if it cannot be read.
func readLog(path string) string {
	raw, _ := os.ReadFile(path)
	return logOf(raw)
}

var runningLine = regexp.MustCompile(` \* Running on (http:[^ ]*)`)

// runningOn is the address in the first " * Running on " line, or "".
func runningOn(output string) string {
	for _, line := range strings.Split(output, "\n") {
		if m := runningLine.FindStringSubmatch(line); m != nil {
			return m[1]
		}
	}
	return ""
}

// linesOf counts a log's finished lines, to mark where new ones begin.
func linesOf(path string) int {
	return strings.Count(readLog(path), "\n")
}

// after is log without its first skip lines.
func after(output string, skip int) string {
	for ; skip > 0; skip-- {
		_, rest, found := strings.Cut(output, "\n")
		if !found {
			return ""
		}
		output = rest
	}
	return output
}

// shows waits up to 60 s for text in the log at path, after its first skip
// lines.
func shows(path, text string, skip int) bool {
	for range 300 {
		if strings.Contains(after(readLog(path), skip), text) {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}

// lastLines is log's last n lines, as tail -n shows them.
func lastLines(output string, n int) string {
	lines := strings.Split(strings.TrimRight(output, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
