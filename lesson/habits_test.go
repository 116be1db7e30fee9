package lesson

import (
	"fmt"
	"html/template"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/program"
)

// habit is one mistake of the README's tables of habits, made on the lesson's
// code as a README step left it.
type habit struct {
	step  string // the README step whose code the mistake is made on
	edits []edit
	// check, when set, judges what Go printed, for a row that quotes no
	// message (the mistake compiles, or shows nothing).
	check func(said string) (problem string)
}

// habits holds a mistake for each row of the README's tables "Python habits
// that break in Go" and "Jinja habits that break in Go templates", under the
// first `code` of the row.
var habits = map[string]habit{
	// Python habits: each is built as main.go, like the reloader does.
	"session['groceries']": {step: "23.6-duplicates", edits: []edit{{"main.go",
		`currentList, _ := session["groceries"].([]string)`, `currentList, _ := session['groceries'].([]string)`}}},
	"None": {step: "23.6-duplicates", edits: []edit{{"main.go",
		`if _, ok := session["groceries"]; !ok {`, `if session["groceries"] == None {`}}},
	"True": {step: "23.6-duplicates", edits: []edit{{"main.go",
		`if _, ok := session["groceries"]; !ok {`, `if _, ok := session["groceries"]; ok != True {`}}},
	"print(session)": {step: "23.5.2", edits: []edit{{"main.go",
		"\tsession := sessions.From(r)\n", "\tsession := sessions.From(r)\n\tprint(session)\n"}},
		check: func(said string) string {
			if !regexp.MustCompile(`0x[0-9a-f]{6,}`).MatchString(said) || strings.Contains(said, "map[") {
				return "the terminal shows no bare number such as 0xc000112345, or shows the map"
			}
			return ""
		}},
	`currentList, _ := session["groceries"].([]string)`: {step: "23.5.3-list", edits: []edit{{"main.go",
		"\t\t// pass\n", "\t\tnewItem := r.PostFormValue(\"new_item\")\n\t\tcurrentList, _ := session[\"groceries\"].([]string)\n"}}},
	"current_list.append(new_item)": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"currentList = append(currentList, newItem)", "currentList.append(newItem)"}}},
	"append(currentList, newItem)": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"currentList = append(currentList, newItem)", "append(currentList, newItem)"}}},
	"}": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"\tdevserver.RenderTemplate(w, r, \"index.html\", nil)\n}\n", "\tdevserver.RenderTemplate(w, r, \"index.html\", nil)\n"}}},
	"if r.Method == http.MethodPost:": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"if r.Method == http.MethodPost {", "if r.Method == http.MethodPost:"}}},
	"not": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"if !slices.Contains(currentList, newItem) {", "if not slices.Contains(currentList, newItem) {"}}},
	"# add the new item": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"\t\tif !slices.Contains(", "\t\t# add the new item\n\t\tif !slices.Contains("}}},
	"if newItem {": {step: "23.6-add", edits: []edit{{"main.go",
		"\t\tcurrentList = append(currentList, newItem)\n", "\t\tif newItem {\n\t\t\tcurrentList = append(currentList, newItem)\n\t\t}\n"}}},
	`currentList := session["groceries"]`: {step: "23.6-add", edits: []edit{{"main.go",
		`currentList, _ := session["groceries"].([]string)`, `currentList := session["groceries"]`}}},
	`var currentList []string = session["groceries"]`: {step: "23.6-add", edits: []edit{{"main.go",
		`currentList, _ := session["groceries"].([]string)`, `var currentList []string = session["groceries"]`}}},
	"session = sessions.From(r)": {step: "23.6-duplicates", edits: []edit{{"main.go",
		"session := sessions.From(r)\n\tallSessionData", "session = sessions.From(r)\n\tallSessionData"}}},
	"slices.Contains": {step: "23.6-duplicates", edits: []edit{{"main.go", "\t\"slices\"\n", ""}}},

	// Jinja habits: each fills in index.html, as RenderTemplate does.
	"{{session['groceries']}}": {step: "23.5.3-placeholder", edits: []edit{{"index.html",
		"{{.session.groceries}}", "{{session['groceries']}}"}}},
	"{{session.groceries}}": {step: "23.5.3-placeholder", edits: []edit{{"index.html",
		"{{.session.groceries}}", "{{session.groceries}}"}}},
	"{% for item in session['groceries'] %}": {step: "23.5.3-list", edits: []edit{
		{"index.html", "{{range .session.groceries}}", "{% for item in session['groceries'] %}"},
		{"index.html", "{{end}}", "{% endfor %}"}}},
	"{{item}}":                     {step: "23.5.3-list", edits: []edit{{"index.html", "<li>{{.}}</li>", "<li>{{item}}</li>"}}},
	"{{range .session.groceries}}": {step: "23.5.3-list", edits: []edit{{"index.html", "        {{end}}\n", ""}}},
	"{{.session.grocery}}": {step: "23.5.3-list", edits: []edit{{"index.html", "{{range .session.groceries}}", "{{range .session.grocery}}"}},
		check: func(said string) string {
			if strings.Contains(said, "Milk") || strings.Contains(said, "template:") {
				return "the page shows an item or an error"
			}
			return ""
		}},
}

// TestHabitsTables makes each mistake of the README's tables "Python habits
// that break in Go" and "Jinja habits that break in Go templates" on the
// lesson's code, and checks that Go prints every message the row quotes
// (each `code` of its second column): a Python habit by building main.go
// with it, a Jinja habit by filling in index.html with it. A row without a
// mistake here, or a mistake without a row, fails too: the tables quote what
// Go prints, and nothing else.
func TestHabitsTables(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the lesson's main.go once for each mistake; skipped with -short")
	}
	needUntouchedStarter(t)
	after := lessonFiles(t)
	module := program.NewModuleT(t)
	rows := append(readmeHabits(t, "Python habits that break in Go"), readmeHabits(t, "Jinja habits that break in Go templates")...)
	for key := range habits {
		if !slices.ContainsFunc(rows, func(r habitRow) bool { return r.key == key }) {
			t.Errorf("TestHabitsTables makes the mistake %q, which no row of the README's tables has", key)
		}
	}
	for i, row := range rows {
		t.Run(row.key, func(t *testing.T) {
			h, ok := habits[row.key]
			if !ok {
				t.Fatalf("the README's row %q has no mistake in TestHabitsTables' habits", row.key)
			}
			if len(row.messages) == 0 && h.check == nil {
				t.Fatalf("the README's row %q quotes no message, and nothing checks what it says", row.key)
			}
			t.Parallel()
			dir := starterWith(t, filepath.Join(module, fmt.Sprint("habit-", i)), after[h.step], h.edits)
			var said string
			if h.edits[0].file == "index.html" {
				said = fillIn(t, dir)
			} else {
				said = buildAndRun(t, dir)
			}
			for _, message := range row.messages {
				if !strings.Contains(said, message) {
					t.Errorf("the README quotes %q, which Go does not print for this mistake. It prints:\n%s", message, said)
				}
			}
			if h.check != nil {
				if problem := h.check(said); problem != "" {
					t.Errorf("the README's row %q: %s. Go prints:\n%s", row.key, problem, said)
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
	p := program.RunT(t, bin, dir, "SECRET_KEY=the habits test's key")
	p.Browser().Get("/")
	p.WaitFor(0, `"GET / HTTP/1.1"`)
	time.Sleep(100 * time.Millisecond) // print writes without a line break: let it arrive
	return p.Terminal()
}

// fillIn fills in dir/index.html as RenderTemplate does, with the session
// holding Milk and Eggs, and returns the page or the template's error.
func fillIn(t *testing.T, dir string) string {
	tmpl, err := template.ParseFiles(filepath.Join(dir, "index.html"))
	if err != nil {
		return err.Error()
	}
	var page strings.Builder
	if err := tmpl.Execute(&page, map[string]any{"session": sessions.Session{"groceries": []string{"Milk", "Eggs"}}}); err != nil {
		return err.Error()
	}
	return page.String()
}

// habitRow is a row of a README table of habits: the first `code` of its
// first column, and each `code` of its second column, the messages it quotes.
type habitRow struct {
	key      string
	messages []string
}

var codeSpan = regexp.MustCompile("`([^`]+)`")

// readmeHabits reads the rows of the table under the README heading.
func readmeHabits(t *testing.T, heading string) []habitRow {
	t.Helper()
	_, section, ok := strings.Cut(readme(t), "\n### "+heading+"\n")
	if !ok {
		t.Fatalf("the README has no heading %q", heading)
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
			t.Fatalf("the README's row %q names no `code`", line)
		}
		row := habitRow{key: first[1]}
		for _, m := range codeSpan.FindAllStringSubmatch(cells[1], -1) {
			row.messages = append(row.messages, m[1])
		}
		rows = append(rows, row)
	}
	if len(rows) == 0 {
		t.Fatalf("the README has no table under %q", heading)
	}
	return rows
}
