package devserver

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRequestLooksAtTheFiles: a request looks at the files when it arrives,
// and waits for the build of a save the watch has not seen yet, rather than
// get the page of the files as they were.
func TestRequestLooksAtTheFiles(t *testing.T) {
	f, out := newTestFront(t, newMainFile(t))
	f.room.waitLimit = 300 * time.Millisecond
	f.switchTo(nil, notRunningPage("the page of the files as they were"), 0)
	url := serveFront(t, f, nil)
	if _, _, page, _ := fetch(url); !strings.Contains(page, "the page of the files as they were") {
		t.Fatalf("before the save: %q", page)
	}
	edit(t, filepath.Dir(f.mainFile), 1, "package main", "package main // saved")
	status, _, page, err := fetch(url)
	if err != nil || status != http.StatusServiceUnavailable || !strings.Contains(page, "still being built") {
		t.Errorf("a request right after a save: %v, %d %q; want it to wait for the new build", err, status, page)
	}
	if !out.waitFor(" * Detected change in 'main.go', reloading\n") {
		t.Error("the request's look did not say that it saw the change")
	}
	select {
	case <-f.watch.changed:
	default:
		t.Error("the builder was not told")
	}
}

// TestOneLinePerBurst: Auto Save's five saves, each while the program is
// still being rebuilt for the last, print one "Detected change" line, not
// five. A save once the program runs again, or after a pause, prints its
// own. (The test front has no builder: the program is rebuilt for no save
// until the test says so.)
func TestOneLinePerBurst(t *testing.T) {
	f, out := newTestFront(t, newMainFile(t))
	f.switchTo(nil, notRunningPage("the program as it started"), 0)
	f.watch.burstGap = time.Hour // however slow this computer is, the five saves are one burst
	const line = " * Detected change in 'main.go', reloading\n"
	saves := 0
	saveAndLook := func() int {
		saves++
		writeFiles(t, filepath.Dir(f.mainFile), map[string]string{"main.go": "package main" + strings.Repeat(" ", saves) + "\n"})
		return f.watch.look(time.Now())
	}
	version := 0
	for range 5 {
		version = saveAndLook()
	}
	fmt.Fprintln(f.terminal, "five saves made")
	if !out.waitFor("five saves made\n") || strings.Count(out.String(), line) != 1 {
		t.Errorf("five saves in a burst: the terminal shows %q; want one Detected change line", out.String())
	}
	f.switchTo(nil, notRunningPage("the program of the fifth save"), version)
	saveAndLook()
	fmt.Fprintln(f.terminal, "a save once the program runs")
	if !out.waitFor("a save once the program runs\n") || strings.Count(out.String(), line) != 2 {
		t.Errorf("a save once the program runs again: the terminal shows %q; want a second Detected change line", out.String())
	}
	f.watch.burstGap = 0
	saveAndLook()
	fmt.Fprintln(f.terminal, "a save after a pause")
	if !out.waitFor("a save after a pause\n") || strings.Count(out.String(), line) != 3 {
		t.Errorf("a save after a pause, while the program is rebuilt: the terminal shows %q; want a third Detected change line", out.String())
	}
}

// TestLookComparesSizes: a save within the clock's resolution, the same
// time with another size, is a change.
func TestLookComparesSizes(t *testing.T) {
	f, out := newTestFront(t, newMainFile(t))
	info, err := os.Stat(f.mainFile)
	if err != nil {
		t.Fatal(err)
	}
	if v := f.watch.look(time.Now()); v != 0 {
		t.Fatalf("with nothing saved the version is %d, want 0", v)
	}
	writeFiles(t, filepath.Dir(f.mainFile), map[string]string{"main.go": "package main // two more words\n"})
	os.Chtimes(f.mainFile, info.ModTime(), info.ModTime())
	if v := f.watch.look(time.Now()); v != 1 || !out.waitFor(" * Detected change in 'main.go'") {
		t.Errorf("after a save with the same time and another size the version is %d, want 1", v)
	}
}

// TestWatchLooksOften: the watch looks at the files every 50 ms, not once a
// second as Werkzeug does. Counted against the test's own 50 ms sleeps, so a
// slow machine slows both: after each of 20 sleeps the test notes whether
// the watch looked since the last. That leaves time for about 20 looks;
// fewer than 5 means the watch waits far longer than 50 ms.
func TestWatchLooksOften(t *testing.T) {
	f, _ := newTestFront(t, unchangedMainFile)
	go f.watch.run(f.ctx)
	looks := 0
	var last time.Time
	for range 20 {
		time.Sleep(50 * time.Millisecond)
		f.watch.mu.Lock()
		if f.watch.lookedAt != last {
			looks, last = looks+1, f.watch.lookedAt
		}
		f.watch.mu.Unlock()
	}
	if looks < 5 {
		t.Errorf("the watch looked in %d of twenty sleeps of 50 ms; want about 20", looks)
	}
}
