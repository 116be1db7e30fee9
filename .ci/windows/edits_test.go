package main

import (
	"fmt"
	"os"
	"strings"
	"testing"
)

// The edits are made to the starter's own main.go, so a change to it that
// breaks them shows here, not only under Wine.
func TestEditsOfTheStarter(t *testing.T) {
	src, err := os.ReadFile("../../main.go")
	if err != nil {
		t.Fatal(err)
	}
	edited := withPrintln(string(src))
	if !strings.Contains(edited, "} else {\n\t\tprintln(\"rebuilt after a save\")\n") {
		t.Fatal(`withPrintln did not put println("rebuilt after a save") in the else branch of main.go`)
	}
	slipped := toSingleQuotes(edited)
	if !strings.Contains(slipped, "println('rebuilt after a save')") || strings.Contains(slipped, `println("rebuilt`) {
		t.Fatal("toSingleQuotes did not turn the double quotes into single ones")
	}
	said, marked := compileErrorOf(slipped)
	lines := strings.Split(slipped, "\n")
	for i, line := range lines {
		if strings.Contains(line, "println('") {
			col := strings.Index(line, "'") + 1
			if want := fmt.Sprintf(`.\main.go:%d:%d: more than one character in rune literal`, i+1, col); said != want {
				t.Errorf("compileErrorOf says %q; want %q", said, want)
			}
			if want := fmt.Sprintf("> %4d | %s", i+1, line); marked != want {
				t.Errorf("compileErrorOf marks %q; want %q", marked, want)
			}
		}
	}
}

// The column counts a tab as one, as go.exe does: println( starts after
// two tabs, so the quote is in column 11.
func TestCompileErrorOfCountsColumnsAsGoDoes(t *testing.T) {
	said, marked := compileErrorOf("package main\n\nfunc f() {\n\t\tprintln('rebuilt after a save')\n}\n")
	if want := `.\main.go:4:11: more than one character in rune literal`; said != want {
		t.Errorf("compileErrorOf says %q; want %q", said, want)
	}
	if want := ">    4 | \t\tprintln('rebuilt after a save')"; marked != want {
		t.Errorf("compileErrorOf marks %q; want %q", marked, want)
	}
}
