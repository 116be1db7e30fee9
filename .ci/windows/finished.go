package main

import (
	"cmp"
	"fmt"
	"net"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// Part 4: the finished app, built by go.exe, checked from Linux as a
// browser and a learner's terminal see it.

const secretKey = "SECRET_KEY=windows ci test key"

func (s *step) finishedApp() {
	s.r.section("4. the finished app, built by go.exe in finished/")
	output, status := s.goTool(filepath.Join(s.lesson, "finished"), 10*time.Minute, "app-build.log", "build", "-o", "app.exe", "main.go")
	if status == "0" {
		s.r.ok("go build -o app.exe main.go")
	} else {
		s.r.fail("go build -o app.exe main.go in finished/", output)
	}
	b := newBrowser()
	if base := s.finishedInTerminal(b); base != "" {
		s.finishedRestart(b, base)
	}
	s.otherProgramsPort()
	s.debugMode()
}

// appLaunch is the finished app started from its folder, SECRET_KEY set.
func (s *step) appLaunch(logName string) launch {
	return launch{dir: filepath.Join(s.lesson, "finished"), log: filepath.Join(s.work, logName),
		env: []string{secretKey}, args: []string{filepath.Join(s.lesson, "finished", "app.exe")},
		addr: "127.0.0.1:0", banner: 30 * time.Second}
}

// finishedInTerminal checks the page, the cookie, a busy port and Ctrl+C;
// it gives the address the app had, or "" if it did not start.
func (s *step) finishedInTerminal(b *browser) string {
	s.r.section("the finished app, SECRET_KEY set, in a terminal")
	l := s.appLaunch("app.log")
	l.terminal = true
	a, started := s.start(l)
	if !started {
		s.r.fail(`the finished app printed no " * Running on " line`, readLog(a.log))
		return ""
	}
	s.r.ok("starts: Running on " + a.url)
	s.finishedPages(b, a.url)
	busy := s.appLaunch("app-busy.log")
	busy.addr = strings.TrimPrefix(a.url, "http://")
	s.busyPort(busy, regexp.MustCompile(regexp.QuoteMeta(alreadyRunning+busy.addr)))
	// Windows reports Ctrl+C as exit status 0xc000013a; Wine 8.0 as 0.
	status := a.ctrlC()
	if status != "still running" && portFree(a.url) && noneLeft(s.prefix, "app.exe") {
		s.r.ok("Ctrl+C stops it (exit status " + status + "): the port is free, no app.exe is left")
	} else {
		s.r.fail("Ctrl+C did not stop it within 10 s, or the port stayed taken, or an app.exe was left (exit status: "+status+")", readLog(a.log))
	}
	return a.url
}

// finishedPages checks the form, the cookie, the style sheet and an added item.
func (s *step) finishedPages(b *browser, base string) {
	p := b.get(base + "/")
	if p.code == 200 && p.has("<h1>Session Practice</h1>", `value="add"`) {
		s.r.ok("GET / answers 200 with the form")
	} else {
		s.r.fail("GET / answered "+p.status(), p.head(600))
	}
	if cookie := p.cookie(); strings.Contains(cookie, "HttpOnly") {
		s.r.ok("GET / sets the session cookie, HttpOnly: " + cookie[:min(60, len(cookie))] + "...")
	} else {
		s.r.fail("GET / sets no HttpOnly cookie named session", p.headers())
	}
	if p = b.get(base + "/style.css"); p.code == 200 {
		s.r.ok("GET /style.css answers 200")
	} else {
		s.r.fail("GET /style.css answered " + p.status())
	}
	p = b.post(base+"/", "submit_action=add&new_item=milk")
	if p.code == 200 && p.has("You just added &#39;Milk&#39; to the list.", `value="Milk"`) {
		s.r.ok(`POST new_item=milk answers 200: "You just added 'Milk' to the list."`)
	} else {
		s.r.fail("POST new_item=milk answered "+p.status()+" without the added item", p.head(1200))
	}
	if p = b.get(base + "/"); p.code == 200 && p.has(`value="Milk"`) {
		s.r.ok("GET / with the cookie lists Milk")
	} else {
		s.r.fail("GET / with the cookie answered " + p.status() + " without Milk")
	}
}

// finishedRestart starts the app again on the port Ctrl+C freed: the same
// SECRET_KEY reads the old cookie. Then kill -9 must free the port.
func (s *step) finishedRestart(b *browser, base string) {
	s.r.section("the finished app again, on the same port, with the same SECRET_KEY")
	l := s.appLaunch("app-restart.log")
	l.addr = strings.TrimPrefix(base, "http://")
	a, started := s.start(l)
	if !started {
		s.r.fail(`a start on the port Ctrl+C freed printed no " * Running on " line`, readLog(a.log))
		return
	}
	if p := b.get(base + "/"); p.code == 200 && p.has(`value="Milk"`) {
		s.r.ok("starts on " + l.addr + ", and the cookie still lists Milk")
	} else {
		s.r.fail("after the restart GET / answered " + p.status() + " without Milk")
	}
	a.kill()
	if portFree(base) && noneLeft(s.prefix, "app.exe") {
		s.r.ok("kill -9 of its Wine process stops it: the port is free, no app.exe is left")
	} else {
		s.r.fail("after kill -9 the port is still taken, or an app.exe was left")
	}
}

// otherProgramsPort starts the app where a Linux listener holds the port:
// not this lesson's server, so the app must give the hint of another port.
// Windows says "Only one usage of each socket address (protocol/network
// address/port) is normally permitted."; Wine 8.0 has no text for that
// error (WSAEADDRINUSE, 10048), so Go prints "winapi error #10048".
func (s *step) otherProgramsPort() {
	s.r.section("a port another program holds")
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		s.r.fail("the Linux listener did not start", err.Error())
		return
	}
	defer listener.Close()
	go func() { // accept each connection and hang up
		for c, err := listener.Accept(); err == nil; c, err = listener.Accept() {
			c.Close()
		}
	}()
	l := s.appLaunch("other-busy.log")
	l.addr = listener.Addr().String()
	s.busyPort(l, regexp.MustCompile(`Only one usage of each socket address.*|winapi error #10048`))
	if output := readLog(l.log); strings.Contains(output, "Another program may be using that port") {
		s.r.ok("it names another program and the -addr hint")
	} else {
		s.r.fail(`no "Another program may be using that port"`, output)
	}
}

// debugMode starts the app without SECRET_KEY: the reloader's front holds
// the port and runs a child. A kill -9 of the front must end the child too.
func (s *step) debugMode() {
	s.r.section("the finished app in debug mode (no SECRET_KEY): the reloader's front and child, kill -9 of the front")
	l := s.appLaunch("debug.log")
	l.env, l.unset = s.learner, []string{"SECRET_KEY"}
	a, started := s.start(l)
	if !started {
		s.r.fail(`the finished app in debug mode printed no " * Running on " line`, readLog(a.log))
		return
	}
	for _, line := range []string{" * Debug mode: on", " * Restarting with a file watch"} {
		s.terminalShows(a, line)
	}
	p := newBrowser().get(a.url + "/")
	if cookie := p.cookie(); p.code == 200 && p.has("<h1>Session Practice</h1>") && strings.Contains(cookie, "HttpOnly") {
		s.r.ok("GET / through the front answers 200 with the page and sets the session cookie, signed with the development key")
	} else {
		s.r.fail("GET / in debug mode answered "+p.status()+"; want 200, the page and an HttpOnly session cookie",
			cmp.Or(cookie, "no session cookie"), readLog(a.log))
	}
	if n := countOf(s.prefix, "app.exe"); n == 2 {
		s.r.ok("it runs as two processes of app.exe: the front, which holds the port, and the child it started")
	} else {
		s.r.fail(fmt.Sprintf("%d processes of app.exe run; want 2 in debug mode, the front and its child", n))
	}
	a.kill()
	if portFree(a.url) && noneLeft(s.prefix, "app.exe") {
		s.r.ok("kill -9 of the front: the port is free, and its child ended too (no app.exe is left)")
	} else {
		s.r.fail(fmt.Sprintf("after kill -9 of the front the port is still taken, or %d app.exe still run", countOf(s.prefix, "app.exe")), readLog(a.log))
	}
}
