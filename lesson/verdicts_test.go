package lesson

import (
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/program"
)

// TestVerdicts runs TestMyWork's check (package internal/mywork) on starters
// of its own, made from the untouched starter and the README's steps: it
// must say that nothing has been done yet on the starter as it came, "not
// yet" (no failure) for the stages a starter has not reached, and WRONG,
// failing, for a stage done wrong, naming the stage, what it saw, what the
// lesson expects and a README heading to read again. A starter that does not
// compile fails with Go's message.
//
// The check judges what a browser sees, never the Go code: it sends the
// page's own form (with submit_action=add when the page's button sends it),
// takes a []any of strings for the list it is, names the half of 23.6's
// duplicates step that is missing, and says where the Flask lesson's page
// empties the list on purpose. Each of these was once a false verdict, and
// has its case here.
//
// (Its name does not contain TestMyWork, so that go test -run TestMyWork
// runs the learner's check alone.)
func TestVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a starter for each case; skipped with -short")
	}
	needUntouchedStarter(t)
	after := lessonFiles(t)
	readmeText := readme(t)
	module := program.NewModuleT(t)
	const D, N, W = mywork.Done, mywork.NotYet, mywork.Wrong
	cases := []struct {
		name    string
		step    string // the README step the starter is taken after; "" for none
		mistake []edit
		want    []mywork.Verdict
		saw     string // a part of the report: what the check saw
		note    string // the note of a wrong stage, if it has one
	}{
		{name: "untouched starter", want: []mywork.Verdict{N, N, N, N}, saw: "Nothing has been done yet: start with the README's \"23.5.2 Save Session Data\"."},
		{name: "after 23.5.2", step: "23.5.2", want: []mywork.Verdict{D, N, N, N}, saw: "Next: the README's \"23.5.3 Access Session Data\"."},
		{name: "after the placeholder", step: "23.5.3-placeholder", want: []mywork.Verdict{D, N, N, N}, saw: "the page shows [], the placeholder"},
		{name: "after 23.5.3", step: "23.5.3-list", want: []mywork.Verdict{D, D, N, N}, saw: "Next: the README's \"Add Form Entries to the List\", in 23.6."},
		{name: "after adding", step: "23.6-add", want: []mywork.Verdict{D, D, D, N}, saw: "Next: the README's \"Avoid Duplicate Entries\", in 23.6."},
		{name: "the whole lesson", step: "23.6-duplicates", want: []mywork.Verdict{D, D, D, D}, saw: "Every stage is done: you have finished the lesson."},
		{name: "a string stored instead of a list", step: "23.5.2",
			mistake: []edit{{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session["groceries"] = "milk"`}},
			want:    []mywork.Verdict{W, N, N, N}, saw: `the session cookie holds groceries = "milk" (a string), which is not a list of strings`},
		{name: "a page that lists something else", step: "23.5.3-list",
			mistake: []edit{{file: "index.html", find: "<li>{{.}}</li>", replace: "<li>Milk</li>"}},
			want:    []mywork.Verdict{D, W, N, N}, saw: "the page lists Milk, Milk"},
		{name: "a template error", step: "23.5.3-list",
			mistake: []edit{{file: "index.html", find: "{{range .session.groceries}}", replace: "{{range .session['groceries']}}"}},
			want:    []mywork.Verdict{D, W, N, N}, saw: `the page gets status 500: "template: index.html:26: bad character U+005B '['"`},
		{name: "duplicates checked before title case", step: "23.6-duplicates",
			mistake: []edit{{file: "main.go", find: `newItem := title(r.PostFormValue("new_item"))`, replace: `newItem := r.PostFormValue("new_item")`},
				{file: "main.go", find: "currentList = append(currentList, newItem)", replace: "currentList = append(currentList, title(newItem))"}},
			want: []mywork.Verdict{D, D, D, W}, saw: `TEA after tea makes 2 of them: ["Tea" "Tea"]`},
		// False verdicts of the past, each on a starter that works in a
		// browser: the check sends what the page's form sends, and judges
		// what the list does, not its Go type.
		{name: "the finished code's submit_action, with the finished page's button", step: "23.6-duplicates",
			mistake: []edit{
				{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`},
				{file: "index.html", find: "<button>Add Item</button>", replace: `<button name="submit_action" value="add">Add Item</button>`}},
			want: []mywork.Verdict{D, D, D, D}, saw: "Every stage is done: you have finished the lesson."},
		{name: "the finished code's submit_action, with the starter's button", step: "23.6-duplicates",
			mistake: []edit{{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`}},
			want:    []mywork.Verdict{D, D, W, N}, saw: "an item sent with the page's form does not reach the list, but it does with submit_action=add, which the page's Add Item button does not send"},
		{name: "a list stored as []any", step: "23.6-add",
			mistake: []edit{{file: "main.go", find: `session["groceries"].([]string)`, replace: `session["groceries"].([]any)`},
				{file: "main.go", find: "session[\"groceries\"] = []string{}\n\t}", replace: "session[\"groceries\"] = []any{}\n\t}"}},
			want: []mywork.Verdict{D, D, D, N}, saw: `tea was added and is still there after a reload: ["tea"]`},
		{name: "title case without the duplicate check", step: "23.6-add",
			mistake: []edit{{file: "main.go", find: `newItem := r.PostFormValue("new_item")`, replace: `newItem := title(r.PostFormValue("new_item"))`}},
			want:    []mywork.Verdict{D, D, D, N}, saw: `half done: tea became Tea, but TEA after tea makes 2 of them: ["Tea" "Tea"]; the slices.Contains check comes next`},
		{name: "the duplicate check without title case", step: "23.6-duplicates",
			mistake: []edit{{file: "main.go", find: `newItem := title(r.PostFormValue("new_item"))`, replace: `newItem := r.PostFormValue("new_item")`}},
			want:    []mywork.Verdict{D, D, D, N}, saw: `half done: tea sent twice stays one, but TEA after tea makes 2 of them: ["tea" "TEA"]; title case comes next`},
		{name: "a GET that empties the list, as the Flask lesson's page does", step: "23.6-add",
			mistake: []edit{{file: "main.go", find: `} else if _, ok := session["groceries"]; !ok {`, replace: "} else {"}},
			want:    []mywork.Verdict{D, D, W, N}, saw: `tea was added (["tea"]), then lost when the page was reloaded ([])`,
			note: `the Flask lesson's page empties the list on every visit too, for now: the README's "Add Form Entries to the List", in 23.6, says why this project's code keeps it`},
		{name: "a program that does not compile", step: "23.5.2",
			mistake: []edit{{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session['groceries'] = []string{}`}},
			saw:     "more than one character in rune literal"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := starterWith(t, filepath.Join(module, fmt.Sprint("starter-", i)), after[c.step], c.mistake)
			result, err := mywork.Check(dir, t.TempDir())
			if err != nil {
				t.Fatal(err)
			}
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
		})
	}
}
