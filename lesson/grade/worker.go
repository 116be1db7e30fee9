package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"time"

	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/program"
)

// Each student is graded by a process of its own: this command, started
// again with workerEnv naming the folder of the student's copy. The
// process guards itself (program.Guard), so that every process the
// student's program starts, daemons included, ends with that student's
// grading, and sends back one line of JSON: a report.
const (
	workerEnv = "LESSON_GRADE_COPY" // the folder of the copy to grade
	waitEnv   = "LESSON_GRADE_WAIT" // the -wait flag's value
)

// report is a worker's result.
type report struct {
	Status   string   // as a row's
	Verdicts []string // as a row's
	Note     string   // as a row's
	Again    string   // what only another program could have done to this one, or ""
}

// worker grades the copy in the folder dir, writes its report to standard
// output, and returns the exit status.
func worker(dir string) int {
	os.Unsetenv(workerEnv) // the student's program has no need of it
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	rep := report{Status: "not checked"}
	if err := program.Guard(); err != nil {
		rep.Note = "the grader could not guard this student's program: " + err.Error()
		return send(rep)
	}
	wait, _ := time.ParseDuration(os.Getenv(waitEnv))
	work := filepath.Join(dir, "work") // its build and its temporary files
	if err := os.Mkdir(work, 0o700); err != nil {
		rep.Note = err.Error()
		return send(rep)
	}
	result, err := mywork.CheckWithin(ctx, dir, work, mywork.Limits{Start: wait, Request: wait, Total: 2 * time.Minute})
	rep = reportOf(result, err)
	again := program.Interference()
	if strings.Contains(result.Trouble, "(signal: ") {
		again = append(again, "its program was ended by a signal ("+result.Trouble+")")
	}
	rep.Again = strings.Join(again, "; ")
	program.Sweep()
	if ctx.Err() != nil {
		return 1
	}
	return send(rep)
}

// send writes rep as a line of JSON.
func send(rep report) int {
	if err := json.NewEncoder(os.Stdout).Encode(rep); err != nil {
		return 1
	}
	return 0
}

// reportOf turns what the check found into a report.
func reportOf(result mywork.Result, err error) report {
	var rep report
	if err != nil {
		first, _, _ := strings.Cut(err.Error(), "\n")
		return report{Status: "not checked", Note: first}
	}
	if result.Stages == nil {
		rep.Status, rep.Note, _ = strings.Cut(result.Trouble, ": ")
		return rep
	}
	var notes []string
	rep.Status = "finished"
	for _, s := range result.Stages {
		rep.Verdicts = append(rep.Verdicts, string(s.Verdict))
		switch {
		case s.Verdict == mywork.Wrong && rep.Status != "WRONG":
			rep.Status = "WRONG"
			notes = append([]string{fmt.Sprintf("%s %s: %s", s.Section, s.Title, s.Saw)}, notes...)
		case s.Verdict == mywork.NotYet && strings.HasPrefix(s.Saw, "half done: ") && len(notes) == 0,
			s.Verdict == mywork.Done && s.Note != "" && len(notes) == 0: // done as the Flask lesson's page does it
			notes = append(notes, fmt.Sprintf("%s %s: %s", s.Section, s.Title, s.Saw))
		}
		if s.Verdict == mywork.NotYet && rep.Status == "finished" {
			rep.Status = "not yet"
		}
	}
	if _, detail, _ := strings.Cut(result.Trouble, ": "); result.Trouble != "" && (detail == "" || !strings.Contains(strings.Join(notes, "; "), detail)) {
		notes = append(notes, "the program "+result.Trouble) // unless a stage's note said it already
	}
	rep.Note = strings.Join(notes, "; ")
	return rep
}

// module is the go.mod and go.sum that build a student's
// main.go with the teacher's packages (program.NewModule makes them).
type module struct{ mod, sum []byte }

// gradeCopy grades the clone c from a copy of its lesson files in a folder
// of its own, readable by this account only, outside any folder of the
// grader's, in a worker process; then it checks that the copy is as it was
// written, and removes it. again says why the student must be graded again,
// alone: something that only another student's program could have done.
func gradeCopy(ctx context.Context, c clone, m module, wait time.Duration) (r row, again string) {
	r = row{name: c.name, status: "not checked"}
	dir, err := os.MkdirTemp("", "lesson-grade-") // 0700, with a name no one can guess
	if err != nil {
		r.note = err.Error()
		return r, ""
	}
	defer os.RemoveAll(dir)
	want := map[string][]byte{"go.mod": m.mod, "go.sum": m.sum}
	for name, data := range c.files {
		want[name] = data
	}
	for name, data := range want {
		if err := os.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
			r.note = err.Error()
			return r, ""
		}
	}
	rep, err := runWorker(ctx, dir, wait)
	if err != nil {
		r.note = err.Error()
		return r, "its grading process ended without a result (" + err.Error() + ")"
	}
	r.status, r.verdicts, r.note = rep.Status, rep.Verdicts, rep.Note
	if changed := changedCopy(dir, want); changed != "" {
		return r, changed
	}
	return r, rep.Again
}

// runWorker grades the copy in dir in a worker, and returns its report.
// When ctx is done, the worker is interrupted, as Ctrl+C does.
func runWorker(ctx context.Context, dir string, wait time.Duration) (report, error) {
	self, err := os.Executable()
	if err != nil {
		return report{}, err
	}
	cmd := exec.CommandContext(ctx, self)
	cmd.Env = append(os.Environ(), workerEnv+"="+dir, waitEnv+"="+wait.String())
	var out, errs capped
	cmd.Stdout, cmd.Stderr = &out, &errs
	cmd.Cancel = func() error {
		if err := cmd.Process.Signal(os.Interrupt); err != nil {
			return cmd.Process.Kill() // Windows: its job object ends what it started
		}
		return nil
	}
	cmd.WaitDelay = 30 * time.Second
	err = cmd.Run()
	if ctx.Err() != nil {
		return report{}, ctx.Err()
	}
	var rep report
	lines := strings.Split(strings.TrimSpace(out.String()), "\n")
	if jsonErr := json.Unmarshal([]byte(lines[len(lines)-1]), &rep); jsonErr != nil || rep.Status == "" {
		if err == nil {
			err = errors.New("no report")
		}
		first, _, _ := strings.Cut(strings.TrimSpace(errs.String()), "\n")
		return report{}, fmt.Errorf("%v %s", err, first)
	}
	return rep, nil
}

// changedCopy says which file of the copy in dir is no longer as it was
// written, or returns "".
func changedCopy(dir string, want map[string][]byte) string {
	for _, name := range append([]string{"go.mod", "go.sum"}, lessonFiles...) {
		data, err := readPlain(dir, name)
		_, wanted := want[name]
		switch {
		case errors.Is(err, os.ErrNotExist) && !wanted:
		case err != nil && wanted:
			return "its copy of " + name + " was changed while it was graded (" + err.Error() + ")"
		case !bytes.Equal(data, want[name]):
			return "its copy of " + name + " was changed while it was graded"
		}
	}
	return ""
}

// capped keeps the first 64 KB written to it: a worker's report is a line.
type capped struct{ bytes.Buffer }

func (c *capped) Write(b []byte) (int, error) {
	c.Buffer.Write(b[:min(len(b), max(64<<10-c.Len(), 0))])
	return len(b), nil
}
