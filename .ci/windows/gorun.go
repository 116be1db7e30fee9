package main

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Part 1: go run main.go in the learner's folder, as the README's first
// step has it, with a learner's saves and slips.

const (
	// printed is what the rebuilt program prints on each GET.
	printed = "rebuilt after a save"
	// alreadyRunning begins what a second start on the lesson's port says.
	alreadyRunning = "This lesson's server is already running at http://"
)

func (s *step) goRun() {
	s.r.section("1. go run main.go in the learner's folder, no SECRET_KEY (debug mode), in a terminal")
	mainGo := filepath.Join(s.lesson, "main.go")
	original, err := os.ReadFile(mainGo)
	if err != nil {
		s.r.fail("read main.go: " + err.Error())
		return
	}
	defer os.WriteFile(mainGo, original, 0o644) // the tests after need the starter as it came
	l := s.goRunLaunch(filepath.Join(s.work, "go-run.log"))
	l.terminal, l.banner = true, 600*time.Second // the first go run builds the standard library under Wine
	a, started := s.start(l)
	if !started {
		s.r.fail(`go run main.go printed no " * Running on " line`, readLog(a.log))
		return
	}
	s.r.ok("go run main.go: Running on " + a.url)
	b := newBrowser()
	s.starterPage(a, b)
	edited := withPrintln(string(original))
	s.saveRebuilds(a, b, mainGo, edited)
	s.compileError(a, b, mainGo, toSingleQuotes(edited))
	s.mend(a, b, mainGo, string(original))
	s.goRunProcesses()
	busy := s.goRunLaunch(filepath.Join(s.work, "go-run-busy.log"))
	busy.addr = strings.TrimPrefix(a.url, "http://")
	s.busyPort(busy, regexp.MustCompile(regexp.QuoteMeta(alreadyRunning+busy.addr)))
	s.goRunCtrlC(a)
}

// goRunLaunch is go run main.go as a learner types it, without SECRET_KEY.
func (s *step) goRunLaunch(logPath string) launch {
	return launch{dir: s.lesson, log: logPath, env: s.learner, unset: []string{"SECRET_KEY"},
		args: []string{"go", "run", "main.go"}, addr: "127.0.0.1:0", banner: 30 * time.Second}
}

// starterPage checks the terminal's first lines and the starter's page.
func (s *step) starterPage(a *app, b *browser) {
	for _, line := range []string{" * Serving the starter (main.go)", " * Debug mode: on", " * Restarting with a file watch"} {
		s.terminalShows(a, line)
	}
	if strings.Contains(readLog(a.log), " * Watching only") {
		s.r.fail("the reloader watches only main.go: go list failed under go.exe", readLog(a.log))
	}
	p := b.get(a.url + "/")
	if p.code == 200 && p.has("<p>Nothing here yet...</p>") {
		s.r.ok("GET / answers 200 with the starter's page (Nothing here yet...)")
	} else {
		s.r.fail("GET / answered "+p.status()+" without the starter's page", p.head(600))
	}
	if shows(a.log, `"GET / HTTP/1.1" 200 -`, 0) {
		s.r.ok("the terminal shows the request line: " + firstLineWith(readLog(a.log), `"GET / HTTP/1.1"`))
	} else {
		s.r.fail("no request line for GET /", readLog(a.log))
	}
	p = b.post(a.url+"/", "new_item=milk")
	if p.code == 200 && p.cookie() == "" {
		s.r.ok("POST new_item=milk answers 200 and sets no cookie (no step done yet)")
	} else {
		s.r.fail("POST answered " + p.status() + "; cookie: " + p.cookie())
	}
}

// terminalShows checks that line comes in the app's terminal.
func (s *step) terminalShows(a *app, line string) {
	if shows(a.log, line, 0) {
		s.r.ok(fmt.Sprintf("the terminal shows \"%s\"", line))
	} else {
		s.r.fail(fmt.Sprintf("no \"%s\" line", line), readLog(a.log))
	}
}

// saveRebuilds saves main.go with a line printed on each GET, and checks
// that the reloader sees the save and runs the new build.
func (s *step) saveRebuilds(a *app, b *browser, mainGo, edited string) {
	mark := linesOf(a.log)
	save(mainGo, edited)
	if shows(a.log, " * Detected change in 'main.go', reloading", mark) && shows(a.log, " * Restarting with a file watch", mark) {
		s.r.ok(`a save of main.go: the terminal shows "Detected change in 'main.go', reloading", then "Restarting with a file watch"`)
	} else {
		s.r.fail("a save of main.go was not seen, or no new build started", after(readLog(a.log), mark))
	}
	p := b.get(a.url + "/")
	if p.code == 200 && shows(a.log, printed, mark) {
		s.r.ok(fmt.Sprintf("GET / answers 200, and the new build prints \"%s\" in the terminal", printed))
	} else {
		s.r.fail(fmt.Sprintf("after the save GET / answered %s, or the terminal lacks \"%s\"", p.status(), printed),
			after(readLog(a.log), mark))
	}
}

// compileError saves main.go with Python's single quotes, as the README's
// step has it, and checks the error page and the terminal.
func (s *step) compileError(a *app, b *browser, mainGo, slipped string) {
	said, marked := compileErrorOf(slipped)
	mark := linesOf(a.log)
	save(mainGo, slipped)
	shows(a.log, " * Detected change in 'main.go', reloading", mark)
	p := b.get(a.url + "/")
	if p.code == 500 && p.has("The program does not compile", said, marked) {
		s.r.ok(fmt.Sprintf("a compile error: GET / answers 500 with \"%s\" and the line marked: %s", said, marked))
	} else {
		s.r.fail(fmt.Sprintf("the compile error page: %s; want 500, \"%s\" and \"%s\"", p.status(), said, marked), p.head(1500))
	}
	if shows(a.log, said, mark) && shows(a.log, " * The program does not compile; waiting for the next save", mark) {
		s.r.ok(fmt.Sprintf("the terminal shows \"%s\" and that it waits for the next save", said))
	} else {
		s.r.fail(fmt.Sprintf("the terminal does not show \"%s\"", said), after(readLog(a.log), mark))
	}
}

// mend saves main.go as it came, and checks that the page is back.
func (s *step) mend(a *app, b *browser, mainGo, original string) {
	mark := linesOf(a.log)
	save(mainGo, original)
	shows(a.log, " * Detected change in 'main.go', reloading", mark)
	p := b.get(a.url + "/")
	if p.code == 200 && p.has("<p>Nothing here yet...</p>") && shows(a.log, " * Restarting with a file watch", mark) {
		s.r.ok("the next save mends it: GET / answers 200 with the page again")
	} else {
		s.r.fail("after the mend GET / answered "+p.status(), after(readLog(a.log), mark))
	}
}

// goRunProcesses checks what runs: go.exe, the front and the rebuilt child.
func (s *step) goRunProcesses() {
	goes, fronts, children := countOf(s.prefix, "go.exe"), countOf(s.prefix, "main.exe"), countOf(s.prefix, "build-")
	if goes == 1 && fronts == 1 && children == 1 {
		s.r.ok("it runs as go.exe, the front (main.exe, which holds the port) and the child it rebuilt (build-N.exe)")
	} else {
		s.r.fail(fmt.Sprintf("%d go.exe, %d main.exe, %d build-N.exe run; want one of each", goes, fronts, children))
	}
}

// goRunCtrlC types Ctrl+C and checks that all ends quietly. Without
// SECRET_KEY the front stops at Ctrl+C by itself and ends with exit status
// 0, so go run prints nothing (it ends with exit status 1 itself, as the go
// command does after any Ctrl+C). With SECRET_KEY set, Windows ends the
// program with STATUS_CONTROL_C_EXIT and go run prints "exit status
// 0xc000013a"; Wine 8.0 reports such an end as exit status 0, so only
// Windows shows that line.
func (s *step) goRunCtrlC(a *app) {
	mark := linesOf(a.log)
	status := a.ctrlC()
	said := after(readLog(a.log), mark)
	if status != "still running" && portFree(a.url) && noneLeft(s.prefix, "go.exe", "main.exe", "build-") {
		s.r.ok("Ctrl+C stops go run (its exit status: " + status + "): the port is free, no go.exe, main.exe or build-N.exe is left")
	} else {
		s.r.fail("Ctrl+C: go run is "+status+", or the port is still taken, or a program is left", lastLines(readLog(a.log), 20))
	}
	if strings.Contains(said, "exit status") {
		s.r.fail("after Ctrl+C go run printed an exit status; in debug mode it prints nothing", said)
	} else {
		s.r.ok("after Ctrl+C go run prints no exit status")
	}
}
