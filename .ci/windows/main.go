// Command windows checks the lesson on Windows, under Wine 8.0 on Debian 12
// (issues 15 and 22). .ci/run calls it through .ci/windows/run; it also
// runs alone: cd .ci/windows && go run .
//
// No Windows Go can be downloaded here, so this step cross-builds one from
// this machine's own Go tree (go env GOROOT): go.exe, gofmt.exe and the tools
// that go.exe runs (compile.exe, link.exe, vet.exe...), built with
// GOOS=windows into a copy of GOROOT. That copy is patched only where Wine 8.0
// lacks a Windows call (deleteat.patch), and the ProcessPrng stand-in goes
// into the Wine prefix (processprng.c). The toolchain is kept in a cache keyed
// by the Go version ($XDG_CACHE_HOME or ~/.cache, lesson-windows-go/).
//
// With that go.exe, under Wine, in the top folder of a clean copy of the
// repository (a checkout as Git for Windows makes it), it does what a learner
// does, and each part must pass:
//  1. go run main.go: the page, a save that rebuilds, a compile error that
//     shows in the browser and the terminal and clears at the next save, a
//     second go run on the busy port, and Ctrl+C in the terminal;
//  2. go test -run TestMyWork -v;
//  3. go test ./...  (the README's command, without -short);
//  4. the finished app, built by go.exe, checked from Linux: its page and
//     cookie, Ctrl+C, kill -9, a busy port, debug mode's two processes.
//
// Each check prints "ok" or "FAIL", and the step ends with how long each part
// took; it fails if any check failed.
package main

import (
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"
)

func main() {
	os.Exit(runStep())
}

// step is what the parts share.
type step struct {
	r        *report
	root     string      // the repository
	work     string      // all the step makes but the cache: prefix, copy, logs
	prefix   string      // the Wine prefix, in work
	lesson   string      // the learner's copy, in work
	learner  []string    // the learner's environment: go.exe on PATH
	started  []*app      // what cleanup stops
	mu       sync.Mutex  // guards started: cleanup may run at a signal
	once     sync.Once   // cleanup runs once: at the end, or at a signal
	stopping atomic.Bool // set at a signal: from then on nothing starts
}

// runStep runs the parts in order, and gives the step's exit status.
func runStep() int {
	r := newReport(os.Stdout, time.Now)
	if err := install(r); err != nil {
		r.fail("install what the step needs: " + err.Error())
		return 1
	}
	r.start = time.Now() // the step's own time, after the installs
	s, err := newStep(r)
	if err != nil {
		r.fail(err.Error())
		return 1
	}
	defer s.cleanup()
	stopped := make(chan os.Signal, 1)
	signal.Notify(stopped, os.Interrupt, syscall.SIGTERM)
	go func() { s.interrupted(<-stopped) }()
	if err := s.parts(); err != nil {
		if err != errStop {
			r.fail(err.Error())
		}
		return 1
	}
	return r.summary()
}

// parts is the step, part by part, as the comment at the top lists them.
func (s *step) parts() error {
	booted := bootWine(s.work) // about 10 s, while Go builds
	s.r.part("the Windows Go toolchain")
	toolchain, err := s.toolchain()
	if err != nil {
		return err
	}
	s.r.part("the Wine prefix")
	if err := prefixReady(s.r, s.root, s.work, booted); err != nil {
		return err
	}
	if err := s.learnerGo(toolchain); err != nil {
		return err
	}
	s.r.part("the learner's copy")
	if err := s.learnersCopy(); err != nil {
		return err
	}
	s.r.part("1. go run main.go")
	s.goRun()
	s.r.part("2. go test -run TestMyWork -v")
	s.myWork()
	s.r.part("3. go test ./...")
	s.goTest()
	s.r.part("4. the finished app")
	s.finishedApp()
	return nil
}

// newStep makes the step's folder and points Wine at a prefix in it.
func newStep(r *report) (*step, error) {
	root, err := filepath.Abs("../..")
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(filepath.Join(root, ".ci/windows/deleteat.patch")); err != nil {
		return nil, fmt.Errorf("no .ci/windows/deleteat.patch in %s: run the step from .ci/windows", root)
	}
	work, err := os.MkdirTemp("", "lesson-windows.")
	if err != nil {
		return nil, err
	}
	s := &step{r: r, root: root, work: work, prefix: filepath.Join(work, "wine"), lesson: filepath.Join(work, "lesson")}
	for _, v := range wineEnv(s.prefix) {
		name, value, _ := strings.Cut(v, "=")
		os.Setenv(name, value)
	}
	return s, nil
}

// cleanup stops what still runs, every Wine process of the prefix too, and
// removes the step's folder.
func (s *step) cleanup() {
	s.once.Do(func() {
		s.killStarted()
		stopWine()
		os.RemoveAll(s.work)
	})
}

// interrupted ends the step at Ctrl+C or SIGTERM. It cleans up as at the
// end, but does not wait for Wine: the parts run on meanwhile and may start
// Wine again, so a second wineserver -k ends what they started.
func (s *step) interrupted(sig os.Signal) {
	s.stopping.Store(true)
	s.once.Do(func() {
		s.killStarted()
		exec.Command(wineServer, "-k").Run()
		os.RemoveAll(s.work)
		exec.Command(wineServer, "-k").Run()
	})
	fmt.Printf("-- stopped (%v): Wine's processes ended, %s removed\n", sig, s.work)
	os.Exit(1)
}

// hold keeps the parts from starting a program once the step is stopping:
// they wait here, and interrupted ends the process meanwhile. Without it
// they would run on, each failing, and make files in the removed folder.
func (s *step) hold() {
	if s.stopping.Load() {
		select {}
	}
}

// killStarted kills the apps the step started, and waits for each to end.
func (s *step) killStarted() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.started {
		a.cmd.Process.Kill()
		<-a.done
	}
}
