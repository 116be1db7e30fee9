package main

import (
	"strings"
	"testing"
	"time"
)

// clock is a fake time.Now that moves by the steps given, one per call.
func clock(steps ...time.Duration) func() time.Time {
	t := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	return func() time.Time {
		if len(steps) > 0 {
			t, steps = t.Add(steps[0]), steps[1:]
		}
		return t
	}
}

func TestSummaryTimesEachPartAndPasses(t *testing.T) {
	var out strings.Builder
	// start; part a starts; a ends and b starts (12 s later); b ends (3 s
	// later); the summary's total.
	r := newReport(&out, clock(0, 0, 12*time.Second, 0, 3*time.Second, 0))
	r.part("a")
	r.ok("first")
	r.part("b")
	if status := r.summary(); status != 0 {
		t.Errorf("exit status %d with no failure; want 0", status)
	}
	want := "ok    first\n-- the Windows step took 15s after the installs:\n   12s  a\n    3s  b\nall Windows checks passed\n"
	if out.String() != want {
		t.Errorf("printed\n%s\nwant\n%s", out.String(), want)
	}
}

func TestSummaryListsFailuresAndFails(t *testing.T) {
	var out strings.Builder
	r := newReport(&out, clock())
	r.fail("the page", "line one\nline two\n", "")
	r.ok("the cookie")
	r.fail("Ctrl+C")
	if status := r.summary(); status != 1 {
		t.Errorf("exit status %d after two failures; want 1", status)
	}
	for _, want := range []string{
		"FAIL  the page\n      | line one\n      | line two\n      | \nok    the cookie\nFAIL  Ctrl+C\n",
		"2 Windows check(s) failed:\n  - the page\n  - Ctrl+C\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("printed\n%s\nwant it to hold\n%s", out.String(), want)
		}
	}
	if strings.Contains(out.String(), "all Windows checks passed") {
		t.Error("says all checks passed after failures")
	}
}
