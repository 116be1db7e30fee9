package lesson

import "example.com/sessions/internal/mywork"

// The lines that recur in the teachers' verdict table.
const (
	everyGETNote = `the finished code keeps the list on a reload: see the README's "Add Form Entries to the List", in 23.6`
	everyGETSaw  = `tea was added (["tea"]); a reload empties the list ([]), as the lesson's page does`
	addTitle     = "23.6 Add Form Entries to the List: "
)

// verdictCases is the teachers' verdict table, which TestVerdicts runs
// through the check and the grading command: each kind of work students
// hand in, made from the README's steps and a student's own changes, with
// the verdicts and the line a teacher would write for it.
var verdictCases = []verdictCase{
	// Each stage of the lesson, as the README has it.
	{name: "untouched starter", want: v("NNNN"), saw: "Nothing has been done yet: start with the README's \"23.5.2 Save Session Data\".",
		teacher: "not yet"},
	{name: "after 23.5.2", step: "23.5.2", want: v("DNNN"), saw: "Next: the README's \"23.5.3 Access Session Data\".", teacher: "not yet"},
	{name: "after the placeholder", step: "23.5.3-placeholder", want: v("DNNN"), saw: "the page shows [], the placeholder", teacher: "not yet"},
	{name: "after 23.5.3", step: "23.5.3-list", want: v("DDNN"), saw: "Next: the README's \"Add Form Entries to the List\", in 23.6.", teacher: "not yet"},
	{name: "after adding", step: "23.6-add", want: v("DDDN"), saw: "Next: the README's \"Avoid Duplicate Entries\", in 23.6.", teacher: "not yet"},
	{name: "the whole lesson", step: "23.6-duplicates", want: v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},

	// Wrong work, each with its own words.
	{name: "a string stored instead of a list", step: "23.5.2",
		mistake: []edit{{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session["groceries"] = "milk"`}},
		want:    v("WNNN"), saw: `the session cookie holds groceries = "milk" (a string), which is not a list of strings`,
		teacher: `WRONG: 23.5.2 Save Session Data: the session cookie holds groceries = "milk" (a string), which is not a list of strings`},
	{name: "a page that lists something else", step: "23.5.3-list",
		mistake: []edit{{file: "index.html", find: "<li>{{.}}</li>", replace: "<li>Milk</li>"}},
		want:    v("DWNN"), saw: "the page lists Milk, Milk", teacher: "WRONG: 23.5.3 Access Session Data: the page lists Milk, Milk"},
	{name: "a template error", step: "23.5.3-list",
		mistake: []edit{{file: "index.html", find: "{{range .session.groceries}}", replace: "{{range .session['groceries']}}"}},
		want:    v("DWNN"), saw: `the page gets status 500: "template: index.html:26: bad character U+005B '['"`,
		teacher: `WRONG: 23.5.3 Access Session Data: the page gets status 500: "template: index.html:26: bad character U+005B '['"`},
	{name: "a deleted index.html", step: "23.5.3-list", remove: []string{"index.html"},
		want: v("DWNN"), saw: "23.5.3 Access Session Data: the page gets status 500: index.html is missing from the folder of main.go",
		teacher: "WRONG: 23.5.3 Access Session Data: the page gets status 500: index.html is missing from the folder of main.go"},
	{name: "duplicates checked before title case", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: `newItem := title(r.PostFormValue("new_item"))`, replace: `newItem := r.PostFormValue("new_item")`},
			{file: "main.go", find: "currentList = append(currentList, newItem)", replace: "currentList = append(currentList, title(newItem))"}},
		want: v("DDDW"), saw: `TEA after tea makes 2 of them: ["Tea" "Tea"]`,
		teacher: `WRONG: 23.6 Avoid Duplicate Entries: TEA after tea makes 2 of them: ["Tea" "Tea"]`},
	{name: "the field renamed in index.html only", step: "23.6-duplicates",
		mistake: []edit{{file: "index.html", find: `name="new_item"`, replace: `name="item"`}},
		want:    v("DDWN"), saw: `the page's form sends the item as "item", but main.go reads "new_item"`,
		teacher: "WRONG: " + addTitle + `the page's form sends the item as "item", but main.go reads "new_item"`},
	{name: "the field renamed in main.go only", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: `r.PostFormValue("new_item")`, replace: `r.PostFormValue("item")`}},
		want:    v("DDWN"), saw: `the page's form sends the item as "new_item", but main.go reads "item"`,
		teacher: "WRONG: " + addTitle + `the page's form sends the item as "new_item", but main.go reads "item"`},
	{name: "a list kept in the program, not the session", step: "23.6-duplicates",
		mistake: []edit{
			{file: "main.go", find: "// main.py: def index()", replace: "// groceries is every browser's list.\nvar groceries []string\n\n// main.py: def index()"},
			{file: "main.go", find: `currentList, _ := session["groceries"].([]string)`, replace: "currentList := groceries"},
			{file: "main.go", find: "\t\tsession[\"groceries\"] = currentList\n", replace: "\t\tgroceries = currentList\n\t\tsession[\"groceries\"] = groceries\n"}},
		want: v("DDWN"), saw: `a second browser that added jam sees the first one's tea too: ["Tea" "Jam"]; every browser shares one list`,
		teacher: "WRONG: " + addTitle + `a second browser that added jam sees the first one's tea too: ["Tea" "Jam"]; every browser shares one list`},
	{name: "the list not stored back", step: "23.6-add",
		mistake: []edit{{file: "main.go", find: "\t\tsession[\"groceries\"] = currentList\n", replace: ""}},
		want:    v("DDWN"), saw: "main.go reads the form, but adding tea leaves the list as it was: []",
		teacher: "WRONG: " + addTitle + "main.go reads the form, but adding tea leaves the list as it was: []"},
	{name: "a form that sends with GET", step: "23.6-duplicates",
		mistake: []edit{{file: "index.html", find: `<form method="POST" class="card">`, replace: `<form class="card">`}},
		want:    v("DDWN"), saw: "the page's form sends the item in the address, as a GET, so the POST branch never gets it",
		teacher: "WRONG: " + addTitle + "the page's form sends the item in the address, as a GET, so the POST branch never gets it"},
	{name: "a program that does not compile", step: "23.5.2",
		mistake: []edit{{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session['groceries'] = []string{}`}},
		saw:     "more than one character in rune literal", teacher: "does not compile: ./main.go:32:11: more than one character in rune literal"},

	// Work that is right, which the check once called wrong or not yet:
	// it sends what the page's form sends, reads what a browser shows, and
	// judges what the list does, not its Go type or name.
	{name: "the finished code's submit_action, with the finished page's button", step: "23.6-duplicates",
		mistake: []edit{
			{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`},
			{file: "index.html", find: "<button>Add Item</button>", replace: `<button name="submit_action" value="add">Add Item</button>`}},
		want: v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},
	{name: "the finished code's submit_action, in a hidden field", step: "23.6-duplicates",
		mistake: []edit{
			{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`},
			{file: "index.html", find: "<button>Add Item</button>", replace: `<input type="hidden" name="submit_action" value="add"><button>Add Item</button>`}},
		want: v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},
	{name: "the finished code's submit_action, with the starter's button", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`}},
		want:    v("DDWN"), saw: "an item sent with the page's form does not reach the list, but it does with submit_action=add, which the page's Add Item button does not send",
		teacher: "WRONG: " + addTitle + "an item sent with the page's form does not reach the list, but it does with submit_action=add, which the page's Add Item button does not send"},
	{name: "an <ol> of <li class>", step: "23.6-duplicates",
		mistake: []edit{{file: "index.html", find: "<ul>", replace: "<ol>"}, {file: "index.html", find: "</ul>", replace: "</ol>"},
			{file: "index.html", find: "<li>{{.}}</li>", replace: `<li class="item">{{.}}</li>`}},
		want: v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},
	{name: "items as checkboxes in labels, as the finished page has them", step: "23.6-duplicates",
		mistake: []edit{{file: "index.html", find: "<li>{{.}}</li>", replace: `<li><label><input type="checkbox" name="del_items" value="{{.}}"> {{.}}</label></li>`}},
		want:    v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},
	{name: "an apostrophe in an item", step: "23.5.3-list",
		mistake: []edit{{file: "main.go", find: `[]string{"Milk", "Eggs"}`, replace: `[]string{"Ben's Tea", "Eggs"}`}},
		want:    v("DDNN"), saw: "the page shows the list, one <li> per item: Ben's Tea, Eggs", teacher: "not yet"},
	{name: "the field renamed in both files", step: "23.6-duplicates",
		mistake: []edit{{file: "index.html", find: `name="new_item"`, replace: `name="item"`}, {file: "main.go", find: `r.PostFormValue("new_item")`, replace: `r.PostFormValue("item")`}},
		want:    v("DDDD"), saw: "Every stage is done: you have finished the lesson.", teacher: "finished"},
	{name: "the list under the lesson's own name, list_name", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: `session["groceries"].(`, replace: `session["list_name"].(`},
			{file: "main.go", find: `session["groceries"] = currentList`, replace: `session["list_name"] = currentList`},
			{file: "main.go", find: `session["groceries"]; !ok`, replace: `session["list_name"]; !ok`},
			{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session["list_name"] = []string{}`},
			{file: "index.html", find: ".session.groceries", replace: ".session.list_name"}},
		want: v("DDDD"), saw: `a first visit stores the session cookie list_name = []`, teacher: "finished"},
	{name: "a list stored as []any", step: "23.6-add",
		mistake: []edit{{file: "main.go", find: `session["groceries"].([]string)`, replace: `session["groceries"].([]any)`},
			{file: "main.go", find: "session[\"groceries\"] = []string{}\n\t}", replace: "session[\"groceries\"] = []any{}\n\t}"}},
		want: v("DDDN"), saw: `tea was added and is still there after a reload: ["tea"]`, teacher: "not yet"},
	{name: "title case without the duplicate check", step: "23.6-add",
		mistake: []edit{{file: "main.go", find: `newItem := r.PostFormValue("new_item")`, replace: `newItem := title(r.PostFormValue("new_item"))`}},
		want:    v("DDDN"), saw: `half done: tea became Tea, but TEA after tea makes 2 of them: ["Tea" "Tea"]; the slices.Contains check comes next`,
		teacher: `not yet: 23.6 Avoid Duplicate Entries: half done: tea became Tea, but TEA after tea makes 2 of them: ["Tea" "Tea"]; the slices.Contains check comes next`},
	{name: "the duplicate check without title case", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: `newItem := title(r.PostFormValue("new_item"))`, replace: `newItem := r.PostFormValue("new_item")`}},
		want:    v("DDDN"), saw: `half done: tea sent twice stays one, but TEA after tea makes 2 of them: ["tea" "TEA"]; title case comes next`,
		teacher: `not yet: 23.6 Avoid Duplicate Entries: half done: tea sent twice stays one, but TEA after tea makes 2 of them: ["tea" "TEA"]; title case comes next`},
	{name: "the lesson's own 23.6 code, [] on every GET", step: "23.6-add",
		mistake: []edit{{file: "main.go", find: `} else if _, ok := session["groceries"]; !ok {`, replace: "} else {"}},
		want:    v("DDDN"), saw: everyGETSaw, note: everyGETNote, teacher: "not yet: " + addTitle + everyGETSaw},
	{name: "the lesson's every-GET code, duplicates avoided", step: "23.6-duplicates",
		mistake: []edit{{file: "main.go", find: `} else if _, ok := session["groceries"]; !ok {`, replace: "} else {"}},
		want:    v("DDDD"), saw: `TEA after tea leaves one: ["Tea"]`, note: everyGETNote,
		teacher: "finished: " + addTitle + `tea was added (["Tea"]); a reload empties the list ([]), as the lesson's page does`},
}

// v reads verdicts written one letter each: D done, N not yet, W WRONG.
func v(letters string) []mywork.Verdict {
	var verdicts []mywork.Verdict
	for _, l := range letters {
		verdicts = append(verdicts, map[rune]mywork.Verdict{'D': mywork.Done, 'N': mywork.NotYet, 'W': mywork.Wrong}[l])
	}
	return verdicts
}
