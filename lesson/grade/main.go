// Command grade checks a class's lesson work, one line per student. Run it
// in the top folder of your own clone of the lesson, with a folder that
// holds the students' clones, one folder each:
//
//	go run ./lesson/grade CLASS_FOLDER
//	go run ./lesson/grade -csv marks.csv CLASS_FOLDER
//
// For each student it copies three files, main.go, index.html and
// style.css, into a scratch folder of its own, and checks them as the
// learner's TestMyWork does (package internal/mywork): it builds main.go with
// your clone's session layer and development server, runs it, and uses it as
// a browser would. The students' own tests and other files never run. A
// program that loops, ends or never starts is stopped after a bounded time,
// and gets its line like the others. Students are checked in parallel, one
// per core of this computer.
//
// The Flask lesson has no such command: a teacher opens each student's app
// by hand. Here one command does it, and the verdicts are the learner's own.
//
// Its exit status is 0 only when every student finished the lesson, 1 when
// some did not, and 2 when the class could not be graded at all.
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
	"strings"
	"sync"
	"time"

	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/program"
)

// usage is what -h and a wrong command line print.
const usage = `Usage, in the top folder of your own clone of the lesson:

  go run ./lesson/grade [-csv FILE] [-students FILE] [-wait TIME] CLASS_FOLDER

CLASS_FOLDER holds one clone per student, each in a folder named for them.
Each line says how far that student got. The students' own tests never run.

`

func main() {
	csvName := flag.String("csv", "", "also write the results to `FILE`, as CSV for a spreadsheet")
	roster := flag.String("students", "", "grade the students listed in `FILE`, one a line (a name first, such as the\nname of the student's folder); a student with no folder gets a line that says so")
	wait := flag.Duration("wait", 10*time.Second, "how long a student's program may take to start, and to answer each page")
	flag.Usage = func() {
		fmt.Fprint(flag.CommandLine.Output(), usage)
		flag.PrintDefaults()
	}
	flag.Parse()
	if flag.NArg() != 1 {
		flag.Usage()
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Stdout, options{class: flag.Arg(0), roster: *roster, csv: *csvName, wait: *wait}))
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
	scratch, err := os.MkdirTemp("", "lesson-grade-")
	if err != nil {
		fmt.Fprintln(out, err)
		return 2
	}
	defer os.RemoveAll(scratch)
	module := filepath.Join(scratch, "module")
	if err := program.NewModule(module, root); err != nil {
		fmt.Fprintln(out, err)
		return 2
	}

	workers := min(runtime.NumCPU(), len(names))
	fmt.Fprintf(out, "Grading %d students in %s, %d at a time.\n\n", len(names), opts.class, workers)
	width := len("student")
	for _, name := range names {
		width = max(width, len(name))
	}
	fmt.Fprintf(out, "%-*s  %-7s  %-7s  %-8s  %s\n", width, "student", stages[0], stages[1], stages[2], stages[3])

	// Students are checked in parallel and printed in order, each as soon
	// as those before it are done.
	rows := make([]row, len(names))
	done := make([]chan struct{}, len(names))
	for i := range done {
		done[i] = make(chan struct{})
	}
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := range next {
				rows[i] = grade(ctx, filepath.Join(opts.class, names[i]), names[i],
					filepath.Join(module, fmt.Sprint("student-", i)), filepath.Join(scratch, fmt.Sprint("work-", i)), opts.wait)
				close(done[i])
			}
		})
	}
	go func() {
		defer close(next)
		for i := range names {
			select {
			case next <- i:
			case <-ctx.Done():
				return
			}
		}
	}()
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
	wg.Wait()
	if ctx.Err() != nil {
		fmt.Fprintf(out, "\nStopped with Ctrl+C after %d of %d students. No student's program is left running.\n", printed, len(names))
		return 1
	}

	finished := 0
	for _, r := range rows {
		if r.status == "finished" {
			finished++
		}
	}
	fmt.Fprintf(out, "\nGraded %d students in %v. %d of %d finished.\n", len(names), time.Since(started).Round(time.Second), finished, len(names))
	if opts.csv != "" {
		if err := writeCSV(opts.csv, rows); err != nil {
			fmt.Fprintln(out, err)
			return 2
		}
		fmt.Fprintf(out, "The results are in %s too.\n", opts.csv)
	}
	if finished < len(names) {
		return 1
	}
	return 0
}

// grade checks one student's clone, dir: copied into the folder scratch,
// checked with the folder work for its build and temporary files.
func grade(ctx context.Context, dir, name, scratch, work string, wait time.Duration) row {
	r := row{name: name}
	if r.status, r.note = notGradable(dir); r.status != "" {
		return r
	}
	var files []string
	for _, file := range []string{"main.go", "index.html", "style.css"} {
		if _, err := os.Stat(filepath.Join(dir, file)); err == nil {
			files = append(files, file)
		}
	}
	if err := program.Copy(dir, scratch, files...); err != nil {
		r.status, r.note = "not checked", err.Error()
		return r
	}
	if err := os.MkdirAll(work, 0o755); err != nil {
		r.status, r.note = "not checked", err.Error()
		return r
	}
	result, err := mywork.CheckWithin(ctx, scratch, work, mywork.Limits{Start: wait, Request: wait, Total: 2 * time.Minute})
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		r.status, r.note = "not checked", first
		return r
	}
	if result.Stages == nil {
		r.status, r.note, _ = strings.Cut(result.Trouble, ": ")
		return r
	}
	var notes []string
	r.status = "finished"
	for _, s := range result.Stages {
		r.verdicts = append(r.verdicts, string(s.Verdict))
		switch {
		case s.Verdict == mywork.Wrong && r.status != "WRONG":
			r.status = "WRONG"
			notes = append([]string{fmt.Sprintf("%s %s: %s", s.Section, s.Title, s.Saw)}, notes...)
		case s.Verdict == mywork.NotYet && strings.HasPrefix(s.Saw, "half done: ") && len(notes) == 0:
			notes = append(notes, fmt.Sprintf("%s %s: %s", s.Section, s.Title, s.Saw))
		}
		if s.Verdict == mywork.NotYet && r.status == "finished" {
			r.status = "not yet"
		}
	}
	if _, detail, _ := strings.Cut(result.Trouble, ": "); result.Trouble != "" && (detail == "" || !strings.Contains(strings.Join(notes, "; "), detail)) {
		notes = append(notes, "the program "+result.Trouble) // unless a stage's note said it already
	}
	r.note = strings.Join(notes, "; ")
	return r
}
