// Package mywork is the learner's check: it builds a folder's main.go as it
// is, runs it as go run main.go does, uses it as a browser would, and says
// for each stage of the lesson whether it is done, not done yet, or wrong.
//
// It judges what browsers see, as a teacher would with a few browser
// windows open. It reads each page as a browser does (page.go), and sends
// the page's own form as a browser sends it. It reads the list from each
// browser's session cookie (browser.go). Each stage has a function of its
// own (stages.go, add.go, duplicates.go). Two browsers add items at once,
// and a third comes after them: a list that one browser sees another's
// items in is kept in the program, not in the session. main.go is read
// only for words (source.go): which field name it reads, when the form
// sends another, and whether it reads the form at all, when a POST changes
// nothing. report.go lays out what TestMyWork prints.
//
// TestMyWork, in the top folder, runs it on the learner's own files; the
// lesson package's TestVerdicts runs it on starters made for each verdict,
// and the grading command, lesson/grade, on each student's.
package mywork

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"example.com/sessions/internal/program"
)

// A Verdict says how far a stage of the lesson is.
type Verdict string

const (
	Done   Verdict = "done"
	NotYet Verdict = "not yet"
	Wrong  Verdict = "WRONG"
)

// Stage is one stage of the lesson as the check saw it.
type Stage struct {
	Section, Title string
	Reread         string // the README heading to read again when it is wrong
	Verdict        Verdict
	Saw            string // what the browser got
	Want           string // what the lesson expects, when it is wrong
	// Note, when set, is one more line under the stage: for a stage done
	// as the Flask lesson's page does it, what the finished code does
	// besides, and where the README shows it.
	Note string
}

// Where names the README heading to read, and its section when the heading
// is one of the section's own: the README's "Update the List Display", in
// 23.5.3.
func (s Stage) Where() string {
	if strings.HasPrefix(s.Reread, s.Section+" ") || !slices.Contains(subheadings, s.Reread) {
		return fmt.Sprintf("the README's %q", s.Reread)
	}
	return fmt.Sprintf("the README's %q, in %s", s.Reread, s.Section)
}

// The README headings each stage sends a learner back to.
const (
	readSave       = "23.5.2 Save Session Data"
	readAccess     = "23.5.3 Access Session Data"
	readDisplay    = "Update the List Display"
	readAdd        = "Add Form Entries to the List"
	readDuplicates = "Avoid Duplicate Entries"
	readFinished   = "The finished app and the buttons page"
)

// subheadings are the headings above that sit inside a section of the lesson.
var subheadings = []string{readDisplay, readAdd, readDuplicates}

// Result is what Check found.
type Result struct {
	Stages []Stage // 23.5.2, 23.5.3, and 23.6's two parts; none when the program could not be checked
	Report string  // what TestMyWork prints
	// Problems holds one line for each stage that is wrong, or for a
	// program that could not be checked: each fails TestMyWork.
	Problems []string
	// Trouble says in one line what went wrong with the program as a whole,
	// for the grading command: it does not compile, never listened, stopped
	// answering, stopped by itself or printed too much. It is "" for a
	// program that ran and answered.
	Trouble string
}

// Limits bound the time Check gives a program, so that one that loops or
// never starts holds up neither the learner nor a class being graded.
type Limits struct {
	Start   time.Duration // to print its " * Running on" line: 30 seconds if zero
	Request time.Duration // to answer each request: 10 seconds if zero
	Total   time.Duration // for the whole check, the build included: 3 minutes if zero
}

// withDefaults fills in the limits left at zero.
func (l Limits) withDefaults() Limits {
	if l.Start == 0 {
		l.Start = 30 * time.Second
	}
	if l.Request == 0 {
		l.Request = 10 * time.Second
	}
	if l.Total == 0 {
		l.Total = 3 * time.Minute
	}
	return l
}

// Check builds dir/main.go into the folder work, runs it as go run main.go
// does (no SECRET_KEY: debug mode), and checks the lesson's stages. An error
// means the check itself could not run.
func Check(dir, work string) (Result, error) {
	return CheckWithin(context.Background(), dir, work, Limits{})
}

// CheckWithin is Check within limits: a program that does not answer in time
// is stopped, and the result says so. When ctx is done, the check stops its
// program and returns ctx's error.
func CheckWithin(ctx context.Context, dir, work string, limits Limits) (Result, error) {
	limits = limits.withDefaults()
	timed, cancel := context.WithTimeout(ctx, limits.Total)
	defer cancel()
	r, err := check(ctx, timed, dir, work, limits)
	if ctx.Err() != nil {
		return Result{}, ctx.Err() // the caller stopped the check: what it found means nothing
	}
	return r, err
}

// build compiles main.go as go run main.go does. The package's own tests
// put in its place a build that gives their own test program, which serves
// an app of theirs: they check programs without waiting for the compiler.
var build = program.BuildContext

// check does CheckWithin's work: stop is done when the caller stops the
// check, ctx also when the check's time is up.
func check(stop, ctx context.Context, dir, work string, limits Limits) (Result, error) {
	// The files a learner changes are read here, though go build and the
	// program read them too: go test keeps a test's result until a file the
	// test itself opened changes, and main.go, a //go:build ignore file, is
	// no file of the package. Without this, go test -run TestMyWork shows the
	// last result again after a save, marked (cached).
	texts := map[string][]byte{}
	for _, name := range []string{"main.go", "index.html", "style.css"} {
		texts[name], _ = os.ReadFile(filepath.Join(dir, name))
	}
	_, statErr := os.Stat(filepath.Join(dir, "index.html"))
	bin, said, err := build(ctx, dir, work)
	if said != "" && ctx.Err() == nil {
		return notCompiled(dir, said), nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("go build main.go took more than %v", limits.Total)
		}
		return Result{}, err
	}
	deadline, _ := ctx.Deadline()
	p, err := program.Start([]string{bin, "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, TempDir: work,
		Env: []string{"SECRET_KEY="}, Wait: min(limits.Start, time.Until(deadline)), Context: stop})
	if started := (*program.StartError)(nil); errors.As(err, &started) {
		return notStarted(dir, started), nil
	}
	if err != nil {
		return Result{}, err
	}
	c := &checker{url: p.URL, ctx: ctx, request: limits.Request, main: readSource(texts["main.go"]),
		noPage: errors.Is(statErr, fs.ErrNotExist)}
	defer func() {
		if c.gaveUp != "" {
			p.KillAll() // it is still busy with the request that got no answer
		}
		p.Stop()
	}()
	stages := c.stages()
	if c.gaveUpAt == 1 {
		return noAnswer(dir, c.gaveUp), nil
	}
	r := Result{Stages: stages, Report: Report(stages)}
	for _, s := range r.Stages {
		if s.Verdict == Wrong {
			r.Problems = append(r.Problems, fmt.Sprintf("%s %s is WRONG (see above): read %s.", s.Section, s.Title, s.Where()))
		}
	}
	r.Trouble = trouble(p, c.gaveUp)
	return r, nil
}

// trouble says in one line what went wrong with a program that was
// checked, for the grading command, or returns "": it stopped answering
// (gaveUp says why), stopped or ended by itself, or printed too much.
func trouble(p *program.Program, gaveUp string) string {
	var trouble []string
	if gaveUp != "" {
		trouble = append(trouble, "stopped answering: "+gaveUp)
	}
	if _, after, ok := strings.Cut(p.Terminal(), " * The program stopped by itself ("); ok {
		how, _, _ := strings.Cut(after, ")")
		trouble = append(trouble, "stopped by itself during the check ("+how+")")
	} else if p.Exited(100 * time.Millisecond) {
		trouble = append(trouble, "ended during the check ("+p.ExitError().Error()+")")
	}
	if p.Flooded() {
		trouble = append(trouble, "printed more than 4 MB")
	}
	return strings.Join(trouble, "; ")
}

// notCompiled is the Result for a main.go that does not compile: Go's
// message, and where to mend it.
func notCompiled(dir, said string) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	where := "the line it names"
	if at := regexp.MustCompile(`main\.go:(\d+):(\d+):`).FindStringSubmatch(said); at != nil {
		where = fmt.Sprintf("line %s of %s (column %s)", at[1], main, at[2])
	}
	report := fmt.Sprintf("%s does not compile, so no stage can be checked. Go says:\n\n%s\n\n"+
		"Mend %s, save, and run this test again.\n"+
		"docs/troubleshooting.md explains the messages Go gives most often.\n", main, said, where)
	first, _, _ := strings.Cut(said, "\n")
	return Result{Report: report, Problems: []string{main + " does not compile: see Go's message above"},
		Trouble: "does not compile: " + first}
}

// notStarted is the Result for a program that ended, or printed no
// " * Running on" line in time, so that no browser could reach it.
func notStarted(dir string, e *program.StartError) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	var what, trouble string
	if e.Ended {
		what = fmt.Sprintf("The program of %s ended (%s) before it started its server.", main, e.State)
		trouble = "ended before it listened: " + e.State
	} else {
		what = fmt.Sprintf("The program of %s printed no \" * Running on\" line within %v, so it was stopped.", main, e.Wait)
		trouble = fmt.Sprintf("never listened: no \" * Running on\" line within %v", e.Wait)
	}
	if e.Flooded {
		trouble += "; printed more than 4 MB"
	}
	report := what + " No stage can be checked. The end of what it printed:\n\n" + lastLines(e.Printed, 20) + "\n\n" +
		"main must end with devserver.Run, as the starter's does. Mend main.go, save, and run this test again.\n"
	return Result{Report: report, Problems: []string{main + " never started its server: see above"}, Trouble: trouble}
}

// noAnswer is the Result for a program that did not answer a first visit.
func noAnswer(dir, why string) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	report := fmt.Sprintf("The program of %s started, but a first visit got no answer: %s.\n"+
		"So no stage can be checked, and the program was stopped.\n"+
		"A loop in index that never ends does this. Mend main.go, save, and run this test again.\n", main, why)
	return Result{Report: report, Problems: []string{main + " did not answer: see above"}, Trouble: "does not answer: " + why}
}

// lastLines returns the last n lines of text, at most 4 KB of them.
func lastLines(text string, n int) string {
	text = strings.TrimRight(text, "\n")
	if len(text) > 4<<10 {
		text = "..." + text[len(text)-4<<10:]
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
}
