package lesson

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// habit is one mistake of the troubleshooting page's tables of habits, made on
// the lesson's code as a README step left it.
type habit struct {
	step  string // the README step whose code the mistake is made on
	edits []edit
	// check, when set, judges what Go printed, for a row that quotes no
	// message (the mistake compiles, or shows nothing).
	check func(said string) (problem string)
	// run, when set, does what the row says instead of building main.go or
	// showing index.html, and returns what the learner sees.
	run func(t *testing.T, dir string) string
}

// habits holds a mistake for each row of the troubleshooting page's tables
// "Python habits that break in Go" and "Jinja habits that break in Go
// templates", under the first `code` of the row.
var habits = map[string]habit{
	// Python habits: each is built as main.go, like the reloader does.
	"session['groceries']": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `currentList, _ := session['groceries'].([]string)`}}},
	"None": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: `if _, ok := session["groceries"]; !ok {`, replace: `if session["groceries"] == None {`}}},
	"True": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: `if _, ok := session["groceries"]; !ok {`, replace: `if _, ok := session["groceries"]; ok != True {`}}},
	"print(session)": {step: "23.5.2", edits: []edit{{file: "main.go",
		find: "\tsession := sessions.From(r)\n", replace: "\tsession := sessions.From(r)\n\tprint(session)\n"}},
		check: func(said string) string {
			if !regexp.MustCompile(`0x[0-9a-f]{6,}`).MatchString(said) || strings.Contains(said, "map[") {
				return "the terminal shows no bare number such as 0xc000112345, or shows the map"
			}
			return ""
		}},
	`currentList, _ := session["groceries"].([]string)`: {step: "23.5.3-list", edits: []edit{{file: "main.go",
		find: "\t\t// pass\n", replace: "\t\tnewItem := r.PostFormValue(\"new_item\")\n\t\tcurrentList, _ := session[\"groceries\"].([]string)\n"}}},
	"current_list.append(new_item)": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "currentList = append(currentList, newItem)", replace: "currentList.append(newItem)"}}},
	"append(currentList, newItem)": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "currentList = append(currentList, newItem)", replace: "append(currentList, newItem)"}}},
	"}": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "\tdevserver.RenderTemplate(w, r, \"index.html\", nil)\n}\n", replace: "\tdevserver.RenderTemplate(w, r, \"index.html\", nil)\n"}}},
	"if r.Method == http.MethodPost:": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "if r.Method == http.MethodPost {", replace: "if r.Method == http.MethodPost:"}}},
	"not": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "if !slices.Contains(currentList, newItem) {", replace: "if not slices.Contains(currentList, newItem) {"}}},
	"# add the new item": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "\t\tif !slices.Contains(", replace: "\t\t# add the new item\n\t\tif !slices.Contains("}}},
	"if newItem {": {step: "23.6-add", edits: []edit{{file: "main.go",
		find: "\t\tcurrentList = append(currentList, newItem)\n", replace: "\t\tif newItem {\n\t\t\tcurrentList = append(currentList, newItem)\n\t\t}\n"}}},
	`currentList := session["groceries"]`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `currentList := session["groceries"]`}}},
	`var currentList []string = session["groceries"]`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `var currentList []string = session["groceries"]`}}},
	"session = sessions.From(r)": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "\tsession := sessions.From(r)\n", replace: "\tsession = sessions.From(r)\n"}}},
	`session["groceries"] = []`: {step: "23.5.2", edits: []edit{{file: "main.go",
		find: `session["groceries"] = []string{}`, replace: `session["groceries"] = []`}}},
	`session["groceries"] = ["Milk", "Eggs"]`: {step: "23.5.3-list", edits: []edit{{file: "main.go",
		find: `session["groceries"] = []string{"Milk", "Eggs"}`, replace: `session["groceries"] = ["Milk", "Eggs"]`}}},
	`request.form['new_item']`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `newItem := r.PostFormValue("new_item")`, replace: `newItem := request.form["new_item"]`}}},
	`elif`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `} else if _, ok := session["groceries"]; !ok {`, replace: `} elif _, ok := session["groceries"]; !ok {`}}},
	`session.get("groceries", [])`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `currentList := session.get("groceries", []string{})`}}},
	"python main.py": {step: "23.6-duplicates", run: runPython},
	"not in": {step: "23.6-duplicates", edits: []edit{{file: "main.go",
		find: "if !slices.Contains(currentList, newItem) {", replace: "if newItem not in currentList {"}}},
	`currentList, _ := session["groceries"]`: {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `currentList, _ := session["groceries"]`}}},
	"session.groceries": {step: "23.6-add", edits: []edit{{file: "main.go",
		find: `currentList, _ := session["groceries"].([]string)`, replace: `currentList, _ := session.groceries.([]string)`}}},
	"groceries[-1]": {step: "23.5.3-list", edits: []edit{{file: "main.go",
		find:    "\t\tsession[\"groceries\"] = []string{\"Milk\", \"Eggs\"}\n",
		replace: "\t\tgroceries := []string{\"Milk\", \"Eggs\"}\n\t\tsession[\"groceries\"] = groceries\n\t\tsession[\"last\"] = groceries[-1]\n"}}},
	"groceries[2]": {step: "23.5.3-list", edits: []edit{{file: "main.go",
		find:    "\t\tsession[\"groceries\"] = []string{\"Milk\", \"Eggs\"}\n",
		replace: "\t\tgroceries := []string{\"Milk\", \"Eggs\"}\n\t\tsession[\"groceries\"] = groceries\n\t\tsession[\"second\"] = groceries[2]\n"}}},
	"Ctrl+C": {step: "23.6-duplicates", run: reloadAfterCtrlC, check: func(said string) string {
		if !strings.Contains(said, "refused") {
			return "the page loaded, or failed otherwise than refused"
		}
		return ""
	}},
	"slices.Contains":        {step: "23.6-duplicates", edits: []edit{{file: "main.go", find: "\t\"slices\"\n", replace: ""}}},
	`"slices"`:               {step: "23.6-duplicates", edits: []edit{{file: "main.go", find: "\t\"slices\"\n", replace: "\t\"slices\"\n\t\"slices\"\n"}}},
	"'example.com/sessions'": {step: "23.5.2", edits: []edit{{file: "main.go", find: "\t\"example.com/sessions\"\n", replace: "\t'example.com/sessions'\n"}}},

	// Jinja habits: each is a page the program shows in debug mode.
	"{{session['groceries']}}": {step: "23.5.3-placeholder", edits: []edit{{file: "index.html",
		find: "{{.session.groceries}}", replace: "{{session['groceries']}}"}}},
	"{{.session.groceries}": {step: "23.5.3-placeholder", edits: []edit{{file: "index.html",
		find: "{{.session.groceries}}", replace: "{{.session.groceries}"}}},
	"{{session.groceries}}": {step: "23.5.3-placeholder", edits: []edit{{file: "index.html",
		find: "{{.session.groceries}}", replace: "{{session.groceries}}"}}},
	"{% for item in session['groceries'] %}": {step: "23.5.3-list", edits: []edit{
		{file: "index.html", find: "{{range .session.groceries}}", replace: "{% for item in session['groceries'] %}"},
		{file: "index.html", find: "{{end}}", replace: "{% endfor %}"}}},
	"{{item}}":                     {step: "23.5.3-list", edits: []edit{{file: "index.html", find: "<li>{{.}}</li>", replace: "<li>{{item}}</li>"}}},
	"{{range .session.groceries}}": {step: "23.5.3-list", edits: []edit{{file: "index.html", find: "        {{end}}\n", replace: ""}}},
	"{{.session.grocery}}": {step: "23.5.3-list", edits: []edit{{file: "index.html", find: "{{range .session.groceries}}", replace: "{{range .session.grocery}}"}},
		check: func(said string) string {
			if strings.Contains(said, "Milk") || strings.Contains(said, "template:") {
				return "the page shows an item or an error"
			}
			return ""
		}},
}

// TestHabitsTables makes each mistake of the tables "Python habits that
// break in Go" and "Jinja habits that break in Go templates", in
// docs/troubleshooting.md, on the lesson's code, and checks that Go prints every message the row quotes
// (each `code` of its second column): a Python habit by building main.go
// with it, a Jinja habit by filling in index.html with it. A row without a
// mistake here, or a mistake without a row, fails too: the tables quote what
// Go prints, and nothing else.
func TestHabitsTables(t *testing.T) {
	testenv.NeedsPrograms(t)
	needUntouchedStarter(t)
	after := lessonFiles(t)
	module := testenv.NewModule(t)
	rows := append(habitRows(t, "Python habits that break in Go"), habitRows(t, "Jinja habits that break in Go templates")...)
	for key := range habits {
		if !slices.ContainsFunc(rows, func(r habitRow) bool { return r.key == key }) {
			t.Errorf("TestHabitsTables makes the mistake %q, which no row of docs/troubleshooting.md's tables has", key)
		}
	}
	for i, row := range rows {
		t.Run(row.key, func(t *testing.T) {
			h, ok := habits[row.key]
			if !ok {
				t.Fatalf("the row %q has no mistake in TestHabitsTables' habits", row.key)
			}
			if len(row.messages) == 0 && h.check == nil {
				t.Fatalf("the row %q quotes no message, and nothing checks what it says", row.key)
			}
			t.Parallel()
			dir := starterWith(t, filepath.Join(module, fmt.Sprint("habit-", i)), after[h.step], h.edits)
			var said string
			if h.run != nil {
				said = h.run(t, dir)
			} else if h.edits[0].file == "index.html" {
				said = showPage(t, dir)
			} else {
				said = buildAndRun(t, dir)
			}
			for _, message := range row.messages {
				if !strings.Contains(said, message) {
					t.Errorf("docs/troubleshooting.md quotes %q, which Go does not print for this mistake. It prints:\n%s", message, said)
				}
			}
			if h.check != nil {
				if problem := h.check(said); problem != "" {
					t.Errorf("the row %q: %s. Go prints:\n%s", row.key, problem, said)
				}
			}
		})
	}
}

// buildAndRun builds dir/main.go and returns what the compiler said; when it
// compiles, it runs the program, loads its page once and returns what the
// program printed in the terminal.
func buildAndRun(t *testing.T, dir string) string {
	bin, said, err := program.Build(dir, t.TempDir())
	if err != nil {
		return said
	}
	p := testenv.Run(t, bin, dir, "SECRET_KEY=the habits test's key")
	p.Browser().Get("/")
	p.WaitFor(0, `"GET / HTTP/1.1"`)
	time.Sleep(100 * time.Millisecond) // print writes without a line break: let it arrive
	return p.Terminal()
}

// runPython types python main.py in dir, as a Flask learner would, and
// returns what Python said.
func runPython(t *testing.T, dir string) string {
	python, err := exec.LookPath("python")
	if err != nil {
		python, err = exec.LookPath("python3")
	}
	if err != nil {
		t.Skip("no Python on this computer; the row is about a learner who has one")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, python, "main.py")
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	return string(out)
}

// reloadAfterCtrlC starts dir's program, stops it with Ctrl+C, as a learner
// does to type go test in its terminal, then reloads the page, and returns
// why the page did not load.
func reloadAfterCtrlC(t *testing.T, dir string) string {
	p := testenv.Run(t, testenv.Build(t, dir), dir, "SECRET_KEY=the habits test's key")
	if page, err := p.Browser().Get("/"); err != nil || page.Status != 200 {
		t.Fatalf("the page before Ctrl+C: %v %v", page.Status, err)
	}
	p.Interrupt()
	if !p.Exited(30 * time.Second) {
		t.Fatalf("the program did not stop on Ctrl+C:\n%s", p.Terminal())
	}
	_, err := p.Browser().Get("/")
	if err == nil {
		return "the page loaded"
	}
	return err.Error()
}

// showPage runs dir's program as go run main.go does, in debug mode, and
// returns the page a browser gets, or the error page in its place.
func showPage(t *testing.T, dir string) string {
	p := testenv.Run(t, testenv.Build(t, dir), dir, "SECRET_KEY=")
	page, err := p.Browser().Get("/")
	if err != nil {
		t.Fatal(err)
	}
	return page.Body
}

// habitRow is a row of a table of habits: the first `code` of its
// first column, and each `code` of its second column, the messages it quotes.
type habitRow struct {
	key      string
	messages []string
}

// codeSpan finds the `code` of a sentence or a table's cell.
var codeSpan = regexp.MustCompile("`([^`]+)`")

// habitRows reads the rows of the table under the heading of
// docs/troubleshooting.md.
func habitRows(t *testing.T, heading string) []habitRow {
	t.Helper()
	page := testenv.ReadFile(t, filepath.Join(testenv.Root(t), "docs", "troubleshooting.md"))
	_, section, ok := strings.Cut(page, "\n### "+heading+"\n")
	if !ok {
		t.Fatalf("docs/troubleshooting.md has no heading %q", heading)
	}
	var rows []habitRow
	for _, line := range strings.Split(section, "\n") {
		if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "### ") {
			break
		}
		cells := strings.Split(line, " | ")
		if !strings.HasPrefix(line, "| ") || len(cells) != 3 || strings.HasPrefix(line, "| You ") {
			continue
		}
		first := codeSpan.FindStringSubmatch(cells[0])
		if first == nil {
			t.Fatalf("the row %q names no `code`", line)
		}
		row := habitRow{key: first[1]}
		for _, m := range codeSpan.FindAllStringSubmatch(cells[1], -1) {
			row.messages = append(row.messages, m[1])
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("docs/troubleshooting.md has no table under %q", heading)
	}
	return rows
}
