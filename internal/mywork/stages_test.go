package mywork

import (
	"slices"
	"strings"
	"testing"
)

// The lesson's steps, as the app of these tests does them.
var (
	milkEggs = []string{"Milk", "Eggs"}
	stepSave = app{key: "groceries", noList: true}
	stepList = app{key: "groceries", first: milkEggs}
	stepAdd  = app{key: "groceries", reads: "new_item"}
	stepDone = app{key: "groceries", reads: "new_item", title: true, unique: true}
	// finished is the finished app's page: a button that sends
	// submit_action=add, and each item a checkbox inside its label.
	finished = app{key: "groceries", reads: "new_item", title: true, unique: true, action: true,
		form: `<button name="submit_action" value="add">Add Item</button>`,
		item: `<li><label><input type="checkbox" name="del_items" value="%[1]s"> %[1]s</label></li>`}
	reads = &mainSource{reads: true, fields: []string{"new_item"}}
)

// TestStages judges apps at each point of the lesson, right and wrong, as
// the check's browsers see them: each case is a verdict a teacher would
// give, and the words a learner reads.
func TestStages(t *testing.T) {
	const D, N, W = Done, NotYet, Wrong
	with := func(a app, change func(*app)) app { change(&a); return a }
	cases := []struct {
		name string
		app  app
		main *mainSource // what main.go reads; nil for no main.go to read
		want []Verdict
		saw  string // a part of the report
	}{
		{"the untouched starter", app{}, nil, []Verdict{N, N, N, N}, `the page still says "Nothing here yet..."`},
		{"after 23.5.2", stepSave, nil, []Verdict{D, N, N, N}, "a first visit stores the session cookie groceries = []"},
		{"the placeholder", with(stepList, func(a *app) { a.placehold = true }), nil, []Verdict{D, N, N, N}, "the page shows [Milk Eggs], the placeholder"},
		{"after 23.5.3", stepList, nil, []Verdict{D, D, N, N}, "the page shows the list, one <li> per item: Milk, Eggs"},
		{"an <ol> of <li class>", with(stepList, func(a *app) { a.list, a.item = "ol", `<li class="movie">%s</li>` }), nil, []Verdict{D, D, N, N}, "one <li> per item: Milk, Eggs"},
		{"items in spans and labels", with(stepList, func(a *app) { a.item = "<li><label><span>%s</span></label></li>" }), nil, []Verdict{D, D, N, N}, "one <li> per item: Milk, Eggs"},
		{"an apostrophe, written &#39;", with(stepList, func(a *app) { a.first = []string{"Ben's Tea"} }), nil, []Verdict{D, D, N, N}, "one <li> per item: Ben's Tea"},
		{"a blank item", with(stepList, func(a *app) { a.first = []string{"", "Eggs"} }), nil, []Verdict{D, D, N, N}, `one <li> per item: "", Eggs`},
		{"the list under the lesson's own name", app{key: "list_name", first: milkEggs, reads: "new_item", title: true, unique: true}, reads,
			[]Verdict{D, D, D, D}, `a first visit stores the session cookie list_name = ["Milk" "Eggs"]`},
		{"after adding", stepAdd, reads, []Verdict{D, D, D, N}, `TEA after tea makes 2 of them: ["tea" "TEA"]`},
		{"the whole lesson", stepDone, reads, []Verdict{D, D, D, D}, "Every stage is done: you have finished the lesson."},
		{"the finished app, checkboxes and all", finished, reads, []Verdict{D, D, D, D}, `TEA after tea leaves one: ["Tea"]`},
		{"submit_action sent by a hidden field", with(finished, func(a *app) {
			a.form = `<input type="hidden" name="submit_action" value="add"><button>Add Item</button>`
		}),
			reads, []Verdict{D, D, D, D}, "Every stage is done"},
		{"submit_action that the page's button does not send", with(finished, func(a *app) { a.form = "" }), reads,
			[]Verdict{D, D, W, N}, "it does with submit_action=add, which the page's Add Item button does not send"},
		{"the field renamed in both files", with(stepDone, func(a *app) { a.field, a.reads = "item", "item" }), &mainSource{reads: true, fields: []string{"item"}},
			[]Verdict{D, D, D, D}, "Every stage is done"},
		{"the field renamed in index.html only", with(stepDone, func(a *app) { a.field = "item" }), reads,
			[]Verdict{D, D, W, N}, `the page's form sends the item as "item", but main.go reads "new_item"`},
		{"the field renamed in main.go only", with(stepDone, func(a *app) { a.reads = "item" }), &mainSource{reads: true, fields: []string{"item"}},
			[]Verdict{D, D, W, N}, `the page's form sends the item as "new_item", but main.go reads "item"`},
		{"the field renamed in index.html only, with no main.go to read", with(stepDone, func(a *app) { a.field = "item" }), nil,
			[]Verdict{D, D, W, N}, `the page's form sends the item as "item", but main.go reads "new_item"`},
		{"a text box with no name", with(stepDone, func(a *app) { a.field = "-" }), reads,
			[]Verdict{D, D, W, N}, `the page's text box has no name, so the form sends no item, but main.go reads "new_item"`},
		{"an item stored blank", with(stepAdd, func(a *app) { a.reads = "other" }), nil,
			[]Verdict{D, D, W, N}, `adding tea stored an empty item: [""]`},
		{"a list shared by every browser", with(stepDone, func(a *app) { a.shared = true }), reads,
			[]Verdict{D, D, W, N}, `the lesson expects each browser its own list: the list lives in the session, session["groceries"], not in a variable of the program`},
		{"a shared list, seen by a new browser", with(stepDone, func(a *app) { a.shared = true }), reads,
			[]Verdict{D, D, W, N}, `a new browser, with no cookie, sees the tea another browser added: ["Tea" "Jam"]; every browser shares one list`},
		{"a shared list that every GET empties", with(stepAdd, func(a *app) { a.shared, a.everyGET = true, true }), reads,
			[]Verdict{D, D, W, N}, `a second browser that added jam sees the first one's tea too: ["tea" "jam"]`},
		{"the list not stored back", with(stepAdd, func(a *app) { a.noStore = true }), reads,
			[]Verdict{D, D, W, N}, "main.go reads the form, but adding tea leaves the list as it was: []"},
		{"the list not stored back, with no main.go to read", with(stepAdd, func(a *app) { a.noStore = true }), nil,
			[]Verdict{D, D, N, N}, "an item sent with the form does not reach the list yet"},
		{"the lesson's own 23.6 code, [] on every GET", with(stepAdd, func(a *app) { a.everyGET = true }), reads,
			[]Verdict{D, D, D, N}, `tea was added (["tea"]); a reload empties the list ([]), as the lesson's page does`},
		{"the lesson's every-GET code with duplicates avoided", with(stepDone, func(a *app) { a.everyGET = true }), reads,
			[]Verdict{D, D, D, D}, `TEA after tea leaves one: ["Tea"]`},
		{"title case without the duplicate check", with(stepAdd, func(a *app) { a.title = true }), reads,
			[]Verdict{D, D, D, N}, `half done: tea became Tea, but TEA after tea makes 2 of them: ["Tea" "Tea"]; the slices.Contains check comes next`},
		{"the duplicate check without title case", with(stepAdd, func(a *app) { a.unique = true }), reads,
			[]Verdict{D, D, D, N}, `half done: tea sent twice stays one, but TEA after tea makes 2 of them: ["tea" "TEA"]; title case comes next`},
		{"duplicates checked before title case", with(stepDone, func(a *app) { a.unique, a.before = false, true }), reads,
			[]Verdict{D, D, D, W}, `TEA after tea makes 2 of them: ["Tea" "Tea"]`},
		{"neither title case nor the duplicate check", stepAdd, reads, []Verdict{D, D, D, N}, `not yet  23.6 Avoid Duplicate Entries: TEA after tea makes 2 of them: ["tea" "TEA"]`},
		{"a list stored as []any", with(stepDone, func(a *app) { a.anyList = true }), reads, []Verdict{D, D, D, D}, `TEA after tea leaves one: ["Tea"]`},
		{"a GET that deletes the list", with(stepAdd, func(a *app) { a.dropGET = true }), reads,
			[]Verdict{D, D, W, N}, `tea was added (["tea"]), then lost when the page was reloaded (no list)`},
		{"a form that sends with GET", with(stepDone, func(a *app) { a.formTag = "<form>" }), reads,
			[]Verdict{D, D, W, N}, "the page's form sends the item in the address, as a GET, so the POST branch never gets it"},
		{"a form that posts to another page", with(stepDone, func(a *app) { a.formTag = `<form method="post" action="add">` }), reads,
			[]Verdict{D, D, W, N}, `adding tea gets status 404: "404 page not found"`},
		{"a string stored instead of a list", with(stepSave, func(a *app) { a.stored = "milk" }), nil,
			[]Verdict{W, N, N, N}, `the session cookie holds groceries = "milk" (a string), which is not a list of strings`},
		{"a template error", with(stepList, func(a *app) { a.failGET = 500 }), nil,
			[]Verdict{W, W, N, N}, `a first visit gets status 500: "template: index.html:26: bad character U+005B '['"`},
		{"a POST that fails", with(stepAdd, func(a *app) { a.failPOST = true }), reads,
			[]Verdict{D, D, W, N}, `adding tea gets status 500: "panic: the POST branch"`},
		{"a page that lists something else", with(stepList, func(a *app) { a.item = "<li>Milk</li>" }), nil,
			[]Verdict{D, W, N, N}, "the page lists Milk, Milk"},
		{"a page that shows neither list nor placeholder", with(stepList, func(a *app) { a.list, a.item = "p", "%s" }), nil,
			[]Verdict{D, W, N, N}, "the page shows neither the list nor the placeholder"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			stages := checkerFor(c.app.serve(t), c.main).stages()
			report := Report(stages)
			if got := verdicts(stages); !slices.Equal(got, c.want) {
				t.Errorf("the verdicts are %v, want %v:\n%s", got, c.want, report)
			}
			if !strings.Contains(report, c.saw) {
				t.Errorf("the report does not say %q:\n%s", c.saw, report)
			}
			for _, s := range stages {
				if s.Verdict == Wrong && (s.Saw == "" || s.Want == "" || !strings.Contains(report, "read again: "+s.Where())) {
					t.Errorf("the wrong stage %s %s lacks what it saw, what the lesson expects or where to read:\n%s", s.Section, s.Title, report)
				}
			}
		})
	}
}

// TestMissingPage: with no index.html, the page's failure is said to be
// that, in words a learner has met, and never with the server's folder.
func TestMissingPage(t *testing.T) {
	url := app{key: "groceries", failGET: 500}.serve(t)
	c := checkerFor(url, nil)
	c.noPage = true
	stages := c.stages()
	report := Report(stages)
	if stages[0].Verdict != Wrong || stages[0].Saw != "a first visit gets status 500: index.html is missing from the folder of main.go" ||
		!strings.Contains(report, "the lesson expects index.html beside main.go, as the starter has it: git checkout index.html brings it back") {
		t.Errorf("a missing index.html:\n%s", report)
	}
	if strings.Contains(report, "template:") {
		t.Errorf("the report gives the server's message, not the missing file:\n%s", report)
	}
}
