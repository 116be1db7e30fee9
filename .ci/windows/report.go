package main

import (
	"fmt"
	"io"
	"strings"
	"time"
)

// report prints each check as "ok" or "FAIL" and times the step's parts,
// so that a failed CI run says what failed and where the time went.
type report struct {
	out       io.Writer
	now       func() time.Time // time.Now; tests give a clock of their own
	start     time.Time        // the step's start, after the installs
	failed    []string
	parts     []string // "  12s  name", one line per finished part
	partName  string
	partStart time.Time
}

func newReport(out io.Writer, now func() time.Time) *report {
	return &report{out: out, now: now, start: now()}
}

func (r *report) ok(what string) {
	fmt.Fprintf(r.out, "ok    %s\n", what)
}

// fail prints what failed, then each detail's lines marked with "|", so that
// a program's output stands apart from the step's own lines.
func (r *report) fail(what string, details ...string) {
	fmt.Fprintf(r.out, "FAIL  %s\n", what)
	r.failed = append(r.failed, what)
	for _, d := range details {
		fmt.Fprint(r.out, indent(d))
	}
}

func (r *report) section(title string) {
	fmt.Fprintf(r.out, "-- %s\n", title)
}

// part starts timing a part of the step; an empty name ends the last one.
func (r *report) part(name string) {
	if r.partName != "" {
		r.parts = append(r.parts, fmt.Sprintf("%5ds  %s", seconds(r.now().Sub(r.partStart)), r.partName))
	}
	r.partName, r.partStart = name, r.now()
}

// summary ends the last part, prints each part's time and what failed, and
// gives the step's exit status: 1 if any check failed.
func (r *report) summary() int {
	r.part("")
	fmt.Fprintf(r.out, "-- the Windows step took %ds after the installs:\n", seconds(r.now().Sub(r.start)))
	for _, p := range r.parts {
		fmt.Fprintln(r.out, p)
	}
	if len(r.failed) > 0 {
		fmt.Fprintf(r.out, "%d Windows check(s) failed:\n", len(r.failed))
		for _, f := range r.failed {
			fmt.Fprintf(r.out, "  - %s\n", f)
		}
		return 1
	}
	fmt.Fprintln(r.out, "all Windows checks passed")
	return 0
}

// seconds counts whole seconds, as bash's $SECONDS did.
func seconds(d time.Duration) int {
	return int(d / time.Second)
}

// indent marks each line of text with "      | "; text without its last
// newlines, so an empty text still gives one marked line.
func indent(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.TrimRight(text, "\n"), "\n") {
		b.WriteString("      | " + line + "\n")
	}
	return b.String()
}
