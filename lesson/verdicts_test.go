package lesson

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/testenv"
)

// TestVerdicts is the teachers' verdict table. It runs TestMyWork's check
// (package internal/mywork) on a class of starters of its own, made from
// the untouched starter and the README's steps, as go test -run TestMyWork
// -v would in each; then it grades the same class with the grading command,
// lesson/grade, as a teacher does. Each case is a kind of work students
// hand in, and the line a teacher would write for it: the check and the
// grader must both give it, and never disagree.
//
// The check must say that nothing has been done yet on the starter as it
// came, "not yet" (no failure) for the stages a starter has not reached,
// and WRONG, failing, for a stage done wrong, naming the stage, what it
// saw, what the lesson expects and a README heading to read again. A
// starter that does not compile fails with Go's message.
//
// The check judges what a browser sees: it sends the page's own form,
// reads each list item as a browser shows it, takes a []any of strings for
// the list it is, and finds the list under any name. Each of these was once
// a false verdict, and has its case here.
//
// (Its name does not contain TestMyWork, so that go test -run TestMyWork
// runs the learner's check alone.)
func TestVerdicts(t *testing.T) {
	testenv.NeedsPrograms(t)
	needUntouchedStarter(t)
	after := lessonFiles(t)
	readmeText := readme(t)
	class := testenv.NewModule(t)
	results := make([]mywork.Result, len(verdictCases))
	t.Run("check", func(t *testing.T) {
		for i, c := range verdictCases {
			t.Run(c.name, func(t *testing.T) {
				t.Parallel()
				dir := starterWith(t, filepath.Join(class, c.folder()), after[c.step], c.mistake)
				for _, name := range c.remove {
					if err := os.Remove(filepath.Join(dir, name)); err != nil {
						t.Fatal(err)
					}
				}
				result, err := mywork.Check(dir, t.TempDir())
				if err != nil {
					t.Fatal(err)
				}
				results[i] = result
				checkVerdict(t, c, result, readmeText)
			})
		}
	})
	if t.Failed() {
		return
	}
	t.Run("grader", func(t *testing.T) {
		marks := filepath.Join(t.TempDir(), "marks.csv")
		out, _ := runGrade(t, buildGrade(t), nil, "-csv", marks, class)
		t.Log(out) // how long the grading took, for docs/classroom.md
		f, err := os.Open(marks)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		all, err := csv.NewReader(f).ReadAll()
		if err != nil || len(all) != len(verdictCases)+1 {
			t.Fatalf("the CSV has %d rows (%v), want a header and %d students:\n%s", len(all), err, len(verdictCases), out)
		}
		rows := map[string][]string{}
		for _, row := range all[1:] {
			rows[row[0]] = row
		}
		for i, c := range verdictCases {
			row := rows[c.folder()]
			if row == nil {
				t.Errorf("%s: the grading command gave no line for %s:\n%s", c.name, c.folder(), out)
				continue
			}
			var check []string
			for _, s := range results[i].Stages {
				check = append(check, string(s.Verdict))
			}
			if got := strings.Join(row[2:6], ","); results[i].Stages != nil && got != strings.Join(check, ",") {
				t.Errorf("%s: the grader says %s, the check %s", c.name, got, strings.Join(check, ","))
			}
			teacher := strings.TrimSuffix(row[1]+": "+filepath.ToSlash(row[6]), ": ")
			if teacher != c.teacher {
				t.Errorf("%s: the grader's line says\n\t%s\nwant what the teacher wrote:\n\t%s", c.name, teacher, c.teacher)
			}
		}
	})
}

// A verdictCase is one kind of work in the teachers' verdict table.
type verdictCase struct {
	name    string
	step    string // the README step the starter is taken after; "" for none
	mistake []edit // the student's own changes after that step
	remove  []string
	want    []mywork.Verdict
	saw     string // a part of the check's report: what it saw
	note    string // the note of a stage, if it has one
	teacher string // the grader's result and note, as a teacher would write it
}

// folder is the name of the case's folder in the class.
func (c verdictCase) folder() string {
	return strings.NewReplacer(" ", "-", "'", "", ",", "", "(", "", ")", "", "<", "", ">", "", "[", "", "]", "", "\"", "").Replace(c.name)
}

// checkVerdict checks what the check said of one case, as TestMyWork -v
// shows it.
func checkVerdict(t *testing.T, c verdictCase, result mywork.Result, readmeText string) {
	t.Helper()
	stages, report, problems := result.Stages, result.Report, result.Problems
	if !strings.Contains(report, c.saw) {
		t.Errorf("the report does not say %q:\n%s", c.saw, report)
	}
	var notes []string
	for _, s := range stages {
		if s.Note != "" {
			notes = append(notes, s.Note)
		}
	}
	if c.note == "" && len(notes) > 0 || c.note != "" && !slices.Equal(notes, []string{c.note}) {
		t.Errorf("the notes of the stages are %q, want %q", notes, c.note)
	}
	if c.note != "" && !strings.Contains(report, "\n         "+c.note+"\n") {
		t.Errorf("the report does not show the note %q on a line of its own:\n%s", c.note, report)
	}
	var got []mywork.Verdict
	for _, s := range stages {
		got = append(got, s.Verdict)
	}
	if !slices.Equal(got, c.want) {
		t.Errorf("the verdicts are %v, want %v:\n%s", got, c.want, report)
	}
	wrongs := 0
	for _, s := range stages {
		if s.Verdict != mywork.Wrong {
			continue
		}
		wrongs++
		for _, part := range []string{s.Section + " " + s.Title + ": " + s.Saw, "the lesson expects " + s.Want, "read again: " + s.Where()} {
			if s.Saw == "" || s.Want == "" || !strings.Contains(report, part) {
				t.Errorf("the report of a wrong stage lacks %q:\n%s", part, report)
			}
		}
		if !regexp.MustCompile(`(?m)^#+ ` + regexp.QuoteMeta(s.Reread) + `$`).MatchString(readmeText) {
			t.Errorf("the report sends the learner to the README's %q, which is no heading of it", s.Reread)
		}
	}
	if stages == nil {
		wrongs = 1 // a program that does not compile fails TestMyWork once
	}
	if len(problems) != wrongs {
		t.Errorf("TestMyWork would fail %d times (%q), want %d:\n%s", len(problems), problems, wrongs, report)
	}
	if stages != nil && strings.Contains(report, os.TempDir()) {
		t.Errorf("the report names a scratch folder:\n%s", report)
	}
}
