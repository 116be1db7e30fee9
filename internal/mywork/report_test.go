package mywork

import (
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
)

// TestReport lays the stages out as TestMyWork prints them: a verdict a
// line, a wrong stage's expectation and where to read, a note under its
// stage, and what to do next.
func TestReport(t *testing.T) {
	stage := func(v Verdict, reread, saw string) Stage {
		return Stage{Section: "23.6", Title: "Add Form Entries to the List", Reread: reread, Verdict: v, Saw: saw, Want: "tea"}
	}
	cases := []struct {
		name   string
		stages []Stage
		want   []string
	}{
		{"nothing done", []Stage{{Section: "23.5.2", Title: "Save Session Data", Reread: readSave, Verdict: NotYet, Saw: "no cookie"}},
			[]string{"not yet  23.5.2 Save Session Data: no cookie", `Nothing has been done yet: start with the README's "23.5.2 Save Session Data".`}},
		{"next", []Stage{stage(Done, readAdd, "added"), {Section: "23.6", Title: "Avoid Duplicate Entries", Reread: readDuplicates, Verdict: NotYet}},
			[]string{"done     23.6 Add Form Entries to the List: added", `Next: the README's "Avoid Duplicate Entries", in 23.6.`}},
		{"wrong", []Stage{stage(Wrong, readFinished, "lost")},
			[]string{"WRONG    23.6 Add Form Entries to the List: lost", "         the lesson expects tea",
				`         read again: the README's "The finished app and the buttons page"`, "Mend what is marked WRONG, save, and run this test again."}},
		{"a note under a stage that is done", []Stage{func() Stage { s := stage(Done, readAdd, "kept"); s.Note = "a note"; return s }()},
			[]string{"done     23.6 Add Form Entries to the List: kept", "         a note", "Every stage is done: you have finished the lesson."}},
	}
	for _, c := range cases {
		report := Report(c.stages)
		lines := strings.Split(report, "\n")
		for _, want := range c.want {
			if !strings.Contains("\n"+report, "\n"+want+"\n") {
				t.Errorf("%s: the report lacks the line %q:\n%s", c.name, want, report)
			}
		}
		if lines[0] != "Your lesson work in main.go and index.html, checked as a browser would:" {
			t.Errorf("%s: the report begins %q", c.name, lines[0])
		}
	}
}

// TestFailure names an error page by its status and first line, and a
// missing index.html in plain words, without the folder's path.
func TestFailure(t *testing.T) {
	c := &checker{}
	cases := []struct {
		page   program.Page
		noPage bool
		want   string
	}{
		{program.Page{Status: 500, Body: "500 Internal Server Error\n\n  template: index.html:26: bad\n"}, false, `status 500: "template: index.html:26: bad"`},
		{program.Page{Status: 404}, false, "status 404 and an empty page"},
		{program.Page{Body: "connection refused"}, false, "no answer: connection refused"},
		{program.Page{Status: 500, Body: "there is no index.html in /tmp/lesson-grade-1/module/student-3"}, true, "status 500: index.html is missing from the folder of main.go"},
	}
	for _, k := range cases {
		c.noPage = k.noPage
		if got := c.failure(k.page); got != k.want {
			t.Errorf("failure of %d %q = %q, want %q", k.page.Status, k.page.Body, got, k.want)
		}
	}
	if goList(nil) != "no list" || goList([]string{}) != "[]" || goList([]string{"Ben's"}) != `["Ben's"]` {
		t.Errorf("goList writes nil, [] and [Ben's] as %s, %s, %s", goList(nil), goList([]string{}), goList([]string{"Ben's"}))
	}
}

// TestWhere names the section of a heading that sits inside one.
func TestWhere(t *testing.T) {
	for reread, want := range map[string]string{
		readSave:     `the README's "23.5.2 Save Session Data"`,
		readDisplay:  `the README's "Update the List Display", in 23.5.3`,
		readFinished: `the README's "The finished app and the buttons page"`,
	} {
		section, _, _ := strings.Cut(reread, " ")
		if reread == readDisplay {
			section = "23.5.3"
		}
		if got := (Stage{Section: section, Reread: reread}).Where(); got != want {
			t.Errorf("Where of %q = %q, want %q", reread, got, want)
		}
	}
}

// TestResultsOfProgramsNotChecked: a program that does not compile, never
// starts or never answers gets a report that says so, and what to do.
func TestResultsOfProgramsNotChecked(t *testing.T) {
	r := notCompiled("work", "./main.go:12:5: undefined: slices\n./main.go:13:1: more")
	for _, want := range []string{"work/main.go does not compile", "Mend line 12 of work/main.go (column 5), save", "./main.go:13:1: more"} {
		if !strings.Contains(r.Report, want) {
			t.Errorf("the report of a program that does not compile lacks %q:\n%s", want, r.Report)
		}
	}
	if r.Trouble != "does not compile: ./main.go:12:5: undefined: slices" || len(r.Problems) != 1 {
		t.Errorf("a program that does not compile: trouble %q, problems %q", r.Trouble, r.Problems)
	}
	if r := notCompiled("work", "go: updates to go.mod needed"); !strings.Contains(r.Report, "Mend the line it names") {
		t.Errorf("a message with no line number: %s", r.Report)
	}
	ended := notStarted("work", &program.StartError{Ended: true, State: "exit status 3", Printed: strings.Repeat("line\n", 30), Flooded: true})
	if !strings.Contains(ended.Report, "ended (exit status 3) before it started its server") || ended.Trouble != "ended before it listened: exit status 3; printed more than 4 MB" ||
		!strings.Contains(ended.Report, "...\nline\n") || strings.Count(ended.Report, "line\n") != 20 {
		t.Errorf("a program that ended: trouble %q, report:\n%s", ended.Trouble, ended.Report)
	}
	silent := notStarted("work", &program.StartError{Wait: 30 * time.Second, Printed: strings.Repeat("x", 5000)})
	if !strings.Contains(silent.Report, `printed no " * Running on" line within 30s`) || !strings.Contains(silent.Report, "...xxx") {
		t.Errorf("a program that never listened: %s", silent.Report)
	}
	if r := noAnswer("work", "nothing came back"); !strings.Contains(r.Report, "a first visit got no answer: nothing came back") || r.Trouble != "does not answer: nothing came back" {
		t.Errorf("a program that never answered: %q\n%s", r.Trouble, r.Report)
	}
}
