package main

import (
	"fmt"
	"os"
	"strings"
)

// The learner's edits to main.go in part 1, made as text.

// withPrintln makes the else branch print a line on each GET, so the
// terminal shows which build answers.
func withPrintln(src string) string {
	return strings.Replace(src, "} else {\n\t\t// pass\n", "} else {\n\t\tprintln(\""+printed+"\")\n", 1)
}

// toSingleQuotes is the slip the README's step shows: Python's single
// quotes, which Go reads as a rune literal.
func toSingleQuotes(src string) string {
	return strings.ReplaceAll(src, `println("`+printed+`")`, `println('`+printed+`')`)
}

// compileErrorOf gives what go.exe says of the slip in src, and the line
// as the error page marks it.
func compileErrorOf(src string) (said, marked string) {
	for i, line := range strings.Split(src, "\n") {
		if col := strings.Index(line, "println('"); col >= 0 {
			col += len("println(")
			said = fmt.Sprintf(`.\main.go:%d:%d: more than one character in rune literal`, i+1, col+1)
			return said, fmt.Sprintf("> %4d | %s", i+1, line)
		}
	}
	return "(no slip in main.go)", "(no slip in main.go)"
}

// save writes text to path as an editor's save looks to the server: a new
// file, renamed over the old one.
func save(path, text string) {
	os.WriteFile(path+".saving", []byte(text), 0o644)
	os.Rename(path+".saving", path)
}

// firstLineWith is the first line of log that holds text.
func firstLineWith(output, text string) string {
	for _, line := range strings.Split(output, "\n") {
		if strings.Contains(line, text) {
			return line
		}
	}
	return ""
}
