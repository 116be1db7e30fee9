package main

import (
	"fmt"
	"os"
	"os/exec"
	"strings"
)

// learnersCopy makes the learner's folder: a clean copy of the repository,
// checked out as Git for Windows does it (core.autocrlf=true), with the
// working tree's changes to committed files. It is named lesson, as the
// README's git clone names it.
func (s *step) learnersCopy() error {
	s.r.section("the learner's folder: a clean copy of the repository, checked out as Git for Windows does (core.autocrlf=true)")
	if err := os.Mkdir(s.lesson, 0o755); err != nil {
		return err
	}
	if exec.Command("git", "-C", s.root, "rev-parse", "--verify", "-q", "HEAD").Run() != nil {
		fmt.Println("      (not a git checkout: a plain copy, and no CRLF check)")
		return pipe(exec.Command("tar", "-C", s.root, "-c", "--exclude=.git", "."),
			exec.Command("tar", "-x", "-C", s.lesson))
	}
	snapshot := "HEAD"
	if out, _ := exec.Command("git", "-C", s.root, "stash", "create").Output(); len(out) > 0 {
		snapshot = strings.TrimSpace(string(out))
	}
	err := pipe(exec.Command("git", "-C", s.root, "-c", "core.autocrlf=true", "archive", snapshot),
		exec.Command("tar", "-x", "-C", s.lesson))
	if err != nil {
		return err
	}
	gofmt := exec.Command("gofmt", "-l", ".")
	gofmt.Dir = s.lesson
	unformatted, err := gofmt.Output()
	if err != nil {
		return fmt.Errorf("gofmt -l in the learner's copy: %v", err)
	}
	if len(unformatted) == 0 {
		s.r.ok("gofmt -l lists nothing: .gitattributes keeps the files LF")
	} else {
		s.r.fail("gofmt -l lists files in a CRLF checkout; .gitattributes must keep them LF", string(unformatted))
	}
	return nil
}

// pipe runs from | to, as a shell pipeline does.
func pipe(from, to *exec.Cmd) error {
	out, err := from.StdoutPipe()
	if err != nil {
		return err
	}
	to.Stdin, from.Stderr, to.Stderr = out, os.Stderr, os.Stderr
	if err := from.Start(); err != nil {
		return err
	}
	if err := to.Run(); err != nil {
		from.Wait()
		return fmt.Errorf("%s: %v", strings.Join(to.Args, " "), err)
	}
	if err := from.Wait(); err != nil {
		return fmt.Errorf("%s: %v", strings.Join(from.Args, " "), err)
	}
	return nil
}
