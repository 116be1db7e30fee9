// Command grade checks a class's lesson work, one line per student. Run it
// in the top folder of your own clone of the lesson, with a folder that
// holds the students' clones, one folder each:
//
//	go run ./lesson/grade CLASS_FOLDER
//	go run ./lesson/grade -csv marks.csv CLASS_FOLDER
//
// It first reads three files of each student's clone, main.go, index.html
// and style.css, as they are in the folder (so clone or pull first): never
// through a link, and none larger than 1 MB. Then it checks each student as
// the learner's TestMyWork does (package internal/mywork): it builds
// main.go with your clone's session layer and development server, runs it,
// and uses it as a browser would. The students' own tests and other files
// never run; a line says when a student changed them. A copy of finished/
// is recognised by its code.
//
// Each student is checked from a copy in a folder of its own, by a process
// of its own that ends every process the student's program started (see
// worker.go). A program that loops, ends or never starts is stopped after
// a bounded time, and gets its line like the others. Students are checked
// in parallel, one per core of this computer; a student whose copy or
// program another program changed or stopped is checked again, alone, and
// the line says so. docs/classroom.md says what this does not guard
// against: the programs run with your account's rights.
//
// The Flask lesson has no such command: a teacher opens each student's app
// by hand. Here one command does it, and the verdicts are the learner's own.
//
// Its exit status is 0 only when every student finished the lesson, 1 when
// some did not or when Ctrl+C stopped it, and 2 when the class could not be
// graded at all, as for a wrong command line.
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"sync"
	"time"

	"example.com/sessions/internal/program"
)

// usage is what -h and a wrong command line print.
const usage = `Usage, in the top folder of your own clone of the lesson:

  go run ./lesson/grade [-csv FILE] [-students FILE] [-wait TIME] CLASS_FOLDER

CLASS_FOLDER holds one clone per student, each in a folder named for them.
Each line says how far that student got. The students' own tests never run.

`

func main() {
	if dir := os.Getenv(workerEnv); dir != "" {
		os.Exit(worker(dir))
	}
	flags := flag.NewFlagSet("grade", flag.ContinueOnError)
	csvName := flags.String("csv", "", "also write the results to `FILE`, as CSV for a spreadsheet")
	roster := flags.String("students", "", "grade the students listed in `FILE`, one a line (a name first, such as the\nname of the student's folder); a student with no folder gets a line that says so")
	wait := flags.Duration("wait", 10*time.Second, "how long a student's program may take to start, and to answer each page")
	flags.Usage = func() {
		fmt.Fprint(flags.Output(), usage)
		flags.PrintDefaults()
	}
	switch err := flags.Parse(os.Args[1:]); {
	case err == flag.ErrHelp:
		os.Exit(0)
	case err != nil:
		os.Exit(2) // the flag package said what was wrong, and printed the usage
	case flags.NArg() != 1:
		flags.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Stdout, options{class: flags.Arg(0), roster: *roster, csv: *csvName, wait: *wait}))
}

// options are the command line's.
type options struct {
	class  string        // the folder of the students' clones
	roster string        // the file that lists the students, or ""
	csv    string        // the CSV file to write, or ""
	wait   time.Duration // for a program to start, and for each page
}

// run grades the class and returns the exit status.
func run(ctx context.Context, out io.Writer, opts options) int {
	started := time.Now()
	root, err := program.Root()
	if err != nil {
		fmt.Fprintf(out, "Run this command in the top folder of your own clone of the lesson.\n(%v)\n", err)
		return 2
	}
	names, err := students(opts.class, opts.roster)
	if err != nil {
		fmt.Fprintln(out, err)
		return 2
	}
	m, err := newModule(root)
	if err != nil {
		fmt.Fprintln(out, err)
		return 2
	}
	// Every clone is read before any student's program runs.
	teacher := newTeacherCopy(root)
	clones := make([]clone, len(names))
	for i, name := range names {
		clones[i] = readClone(name, filepath.Join(opts.class, name), teacher)
	}
	program.Guard() // what a worker leaves behind comes back here; without it, it can only be less sure

	workers := min(runtime.NumCPU(), len(names))
	fmt.Fprintf(out, "Grading %d students in %s, %d at a time.\n\n", len(names), opts.class, workers)
	width := len("student")
	for _, name := range names {
		width = max(width, len(name))
	}
	fmt.Fprintf(out, "%-*s  %-7s  %-7s  %-8s  %s\n", width, "student", stages[0], stages[1], stages[2], stages[3])

	rows, done := gradeAll(ctx, clones, m, workers, opts.wait)
	printed := 0
	for i := range names {
		select {
		case <-done[i]:
		case <-ctx.Done():
		}
		if ctx.Err() != nil {
			break
		}
		fmt.Fprintln(out, line(rows[i], width))
		printed++
	}
	if ctx.Err() != nil {
		for i := range done {
			<-done[i]
		}
		fmt.Fprintf(out, "\nStopped with Ctrl+C after %d of %d students. %s\n", printed, len(names), leftRunning())
		return 1
	}
	return finish(out, opts, rows, started)
}

// newModule makes the go.mod and go.sum that build a student's main.go
// with the teacher's packages, in the folder root.
func newModule(root string) (module, error) {
	dir, err := os.MkdirTemp("", "lesson-grade-")
	if err != nil {
		return module{}, err
	}
	defer os.RemoveAll(dir)
	if err := program.NewModule(dir, root); err != nil {
		return module{}, err
	}
	var m module
	if m.mod, err = os.ReadFile(filepath.Join(dir, "go.mod")); err != nil {
		return module{}, err
	}
	m.sum, err = os.ReadFile(filepath.Join(dir, "go.sum"))
	return m, err
}

// gradeAll grades the clones, workers at a time, and returns their rows
// and, for each, a channel closed when its row is ready. A student that
// another program may have disturbed is graded again once all the others
// are done, alone.
func gradeAll(ctx context.Context, clones []clone, m module, workers int, wait time.Duration) ([]row, []chan struct{}) {
	rows := make([]row, len(clones))
	done := make([]chan struct{}, len(clones))
	for i := range done {
		done[i] = make(chan struct{})
	}
	again := make([]string, len(clones))
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				if rows[i], again[i] = gradeOne(ctx, clones[i], m, wait); again[i] == "" || ctx.Err() != nil {
					close(done[i])
				}
			}
		})
	}
	go func() {
		defer close(next)
		for i := range clones {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		for i, why := range again {
			select {
			case <-done[i]:
				continue
			default:
			}
			if ctx.Err() == nil {
				rows[i] = gradeAlone(ctx, clones[i], m, wait, why)
			}
			close(done[i])
		}
		for i := range done { // those the Ctrl+C left ungraded
			select {
			case <-done[i]:
			default:
				close(done[i])
			}
		}
	}()
	return rows, done
}

// gradeOne grades one student, and says why to grade again, or "".
func gradeOne(ctx context.Context, c clone, m module, wait time.Duration) (row, string) {
	if c.status != "" {
		return row{name: c.name, status: c.status, note: c.note}, ""
	}
	r, again := gradeCopy(ctx, c, m, wait)
	r.addNote(c.note)
	return r, again
}

// gradeAlone grades one student again while no other student's program
// runs, and says why on the line.
func gradeAlone(ctx context.Context, c clone, m module, wait time.Duration, why string) row {
	r, still := gradeCopy(ctx, c, m, wait)
	r.addNote(c.note)
	r.addNote("graded again alone, as " + why)
	if still != "" {
		r.addNote("alone too, " + still)
	}
	return r
}

// leftRunning says whether any process of a student's program is left.
func leftRunning() string {
	left, sure := program.Sweep()
	switch {
	case !sure:
		return "Each student's program was stopped with its process group; on this system the grader cannot follow a process that left its group."
	case left > 0:
		return fmt.Sprintf("%d processes that students' programs started could not be stopped.", left)
	}
	return "No student's program is left running."
}

// finish prints the closing lines and writes the CSV, and returns the
// exit status.
func finish(out io.Writer, opts options, rows []row, started time.Time) int {
	finished := 0
	for _, r := range rows {
		if r.status == "finished" {
			finished++
		}
	}
	fmt.Fprintf(out, "\nGraded %d students in %v. %d of %d finished.\n", len(rows), time.Since(started).Round(time.Second), finished, len(rows))
	if left, sure := program.Sweep(); sure && left > 0 {
		fmt.Fprintf(out, "%d processes that students' programs started could not be stopped.\n", left)
	}
	if opts.csv != "" {
		if err := writeCSV(opts.csv, rows); err != nil {
			fmt.Fprintln(out, err)
			return 2
		}
		fmt.Fprintf(out, "The results are in %s too.\n", opts.csv)
	}
	if finished < len(rows) {
		return 1
	}
	return 0
}
