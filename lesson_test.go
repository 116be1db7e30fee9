package sessions_test

import (
	"fmt"
	"html"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
)

// TestLessonSteps does the lesson by hand, as the README tells a learner to:
// it copies starter/ to a folder of its own, starts it once as go run main.go
// does, then applies each step's code exactly as the README shows it, saves,
// waits for the server to restart itself as a learner watches the terminal,
// and checks what the README says the browser shows. The README is the only
// source of the steps' code: each step is a pair of fenced blocks, marked
// <!-- step ID FILE find --> and <!-- step ID FILE replace -->, so a step the
// README gets wrong fails here.
func TestLessonSteps(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs the starter after each step; skipped with -short")
	}
	steps := readmeSteps(t)
	untouched := strings.Contains(readFile(t, filepath.Join("starter", "index.html")), "<p>Nothing here yet...</p>") &&
		strings.Contains(readFile(t, filepath.Join("starter", "main.go")), "\t\t// pass\n\t} else {\n\t\t// pass\n")
	if os.Getenv("CI") != "true" && !untouched {
		t.Skip("starter/ holds your own lesson work, and this test needs the untouched starter. " +
			"To run it, set your work aside with git stash, run the tests, then git stash pop.")
	}
	dir := copyStarter(t)
	// go run main.go builds the program and runs it: here, once for the
	// whole lesson. It runs as a learner's does, without SECRET_KEY: debug
	// mode, whose reloader builds main.go again after each save.
	a := startProgram(t, build(t, dir), dir, "SECRET_KEY=")
	v := a.newVisitor(t)
	get := func() string { return v.get().body }
	post := func(item string) string { return v.post(url.Values{"new_item": {item}}).body }

	// 23.5.1: the banner says debug mode is on, the starter shows the form and
	// sets no cookie, and the terminal shows one line per request.
	if a.waitFor(0, " * Restarting with a file watch\n") < 0 || !strings.Contains(a.log(), " * Debug mode: on\n") {
		t.Errorf("the terminal shows no debug mode or no reloader:\n%s", a.log())
	}
	body := get()
	for _, want := range []string{"<h1>Session Practice</h1>", "New List Item:", `name="new_item"`, "Add Item", "<hr>", "<h2>List Items:</h2>", "<p>Nothing here yet...</p>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the starter page lacks %q:\n%s", want, body)
		}
	}
	if a.waitFor(0, `"GET / HTTP/1.1" 200 -`) < 0 {
		t.Errorf("the terminal shows no request line such as 127.0.0.1 - - [...] \"GET / HTTP/1.1\" 200 -:\n%s", a.log())
	}
	post("milk")
	if v.cookie() != nil {
		t.Error("the starter set a session cookie before any step stored something")
	}

	// Each step also moves TestMyWork's report on: after it, the stages
	// 23.5.2, 23.5.3, 23.6 (adding) and 23.6 (duplicates) read as listed.
	const D, N, W = done, notYet, wrong
	checks := []struct {
		step   string
		mywork []verdict
		check  func(t *testing.T)
	}{
		{"23.5.2", []verdict{D, N, N, N}, func(t *testing.T) {
			get()
			c := v.cookie()
			if c == nil {
				t.Fatal("no cookie named session after 23.5.2")
			}
			s, _, err := sessions.Peek(c.Value)
			if got := fmt.Sprintf("%#v", s["groceries"]); err != nil || got != "[]string{}" {
				t.Errorf("the cookie holds %s (%v), want []string{}", got, err)
			}
		}},
		{"23.5.3-access", []verdict{D, N, N, N}, func(t *testing.T) {
			mark := a.mark()
			get()
			if a.waitFor(mark, "map[groceries:[]] []\n") < 0 {
				t.Errorf("the terminal does not show map[groceries:[]] []:\n%s", a.log()[mark:])
			}
		}},
		{"23.5.3-slip", []verdict{W, W, W, N}, func(t *testing.T) {
			p := v.get()
			slip := "\tspecificSessionValue := session['groceries']"
			line := lineOf(t, filepath.Join(dir, "main.go"), slip)
			wants := []string{"The program does not compile, so the server is waiting for your next save.",
				fmt.Sprintf("main.go:%d:", line), "more than one character in rune literal",
				fmt.Sprintf(">  %3d | %s\n", line, slip), fmt.Sprintf("   %3d | \tallSessionData := sessions.From(r)\n", line-1)}
			for _, want := range wants {
				if p.status != http.StatusInternalServerError || !strings.Contains(p.body, want) {
					t.Errorf("the compile error shows %d %q, want 500 and %q", p.status, p.body, want)
				}
			}
			if want := regexp.MustCompile(fmt.Sprintf(`main\.go:%d:\d+: more than one character in rune literal\n`, line)); !want.MatchString(a.log()) {
				t.Errorf("the terminal does not show the compiler's message:\n%s", a.log())
			}
		}},
		{"23.5.3-mended", []verdict{D, N, N, N}, func(t *testing.T) {
			if p := v.get(); p.status != http.StatusOK || !strings.Contains(p.body, "<p>Nothing here yet...</p>") {
				t.Errorf("after the fix the page is %d %q, want the page back", p.status, p.body)
			}
		}},
		{"23.5.3-placeholder", []verdict{D, N, N, N}, func(t *testing.T) {
			if body := get(); !strings.Contains(body, "<p>[]</p>") {
				t.Errorf("the page does not show the empty list []:\n%s", body)
			}
		}},
		{"23.5.3-experiment", []verdict{D, N, N, N}, func(t *testing.T) {
			if body := get(); !strings.Contains(body, "<p>[Milk Eggs]</p>") {
				t.Errorf("in a browser that already had a cookie, the page does not show [Milk Eggs]:\n%s", body)
			}
		}},
		{"23.5.3-loop", []verdict{D, D, N, N}, func(t *testing.T) {
			if got := listItems(get()); !slices.Equal(got, []string{"Milk", "Eggs"}) {
				t.Errorf("the list shows %q, want Milk, Eggs", got)
			}
		}},
		{"23.5.4", []verdict{D, D, D, N}, func(t *testing.T) {
			if got := listItems(post("bread")); !slices.Equal(got, []string{"Milk", "Eggs", "bread"}) {
				t.Errorf("after adding bread the list shows %q", got)
			}
			if got := listItems(get()); !slices.Equal(got, []string{"Milk", "Eggs", "bread"}) {
				t.Errorf("after a reload the list shows %q", got)
			}
		}},
		{"23.5.4-slip", []verdict{D, D, D, N}, func(t *testing.T) {
			fresh := a.newVisitor(t) // a browser that never loaded the page
			p := fresh.post(url.Values{"new_item": {"tea"}})
			line := lineOf(t, filepath.Join(dir, "main.go"), `currentList := session["groceries"].([]string)`)
			for _, want := range []string{"interface conversion: interface {} is nil, not []string", fmt.Sprintf("at main.go:%d (main.index)", line)} {
				if p.status != http.StatusInternalServerError || !strings.Contains(p.body, want) {
					t.Errorf("the slip shows %d %q, want 500 naming %q", p.status, p.body, want)
				}
			}
		}},
		{"23.5.4-mended", []verdict{D, D, D, N}, func(t *testing.T) {
			if p := a.newVisitor(t).post(url.Values{"new_item": {"tea"}}); !slices.Equal(listItems(p.body), []string{"tea"}) {
				t.Errorf("a POST before any GET shows %d %q", p.status, listItems(p.body))
			}
		}},
		{"23.6", []verdict{D, D, D, D}, func(t *testing.T) {
			post("apples")
			if got := listItems(post("APPLES")); !slices.Equal(got, []string{"Milk", "Eggs", "bread", "Apples"}) {
				t.Errorf("after apples, then APPLES, the list shows %q", got)
			}
		}},
	}
	for _, c := range checks {
		edits := steps[c.step]
		if len(edits) == 0 {
			t.Fatalf("the README has no step %s", c.step)
		}
		delete(steps, c.step)
		mark := a.mark()
		if applyEdits(t, dir, edits) {
			a.waitForReload(t, mark)
		}
		if !t.Run(c.step, c.check) {
			t.Fatalf("stopping after step %s; the code so far:\n%s", c.step, readFile(t, filepath.Join(dir, "main.go")))
		}
		stages := checkLesson(t, a)
		var got []verdict
		for _, s := range stages {
			got = append(got, s.verdict)
		}
		if !slices.Equal(got, c.mywork) {
			t.Errorf("after step %s, TestMyWork reports %v, want %v:\n%s", c.step, got, c.mywork, reportOf(stages))
		}
	}
	for step := range steps {
		t.Errorf("the README has a step %s that this test does not check", step)
	}
}

// edit is one change a README step makes: find, replaced by replace, in file.
type edit struct{ file, find, replace string }

var stepMarker = regexp.MustCompile("(?s)<!-- step (\\S+) (\\S+) (find|replace) -->\\s*```[a-z]*\\n(.*?)\\n```")

// readmeSteps reads the steps' code from README.md, by step ID in order.
func readmeSteps(t *testing.T) map[string][]edit {
	steps := map[string][]edit{}
	for _, m := range stepMarker.FindAllStringSubmatch(readFile(t, "README.md"), -1) {
		id, file, kind, code := m[1], m[2], m[3], m[4]
		list := steps[id]
		if kind == "find" {
			steps[id] = append(list, edit{file: file, find: code})
		} else if n := len(list); n > 0 && list[n-1].file == file && list[n-1].replace == "" {
			list[n-1].replace = code
		} else {
			t.Fatalf("README: step %s has a replace block for %s without a find block before it", id, file)
		}
	}
	return steps
}

// applyEdits makes a step's edits in dir as a learner does in the editor
// (every edit of a file, then one save), and reports whether main.go changed.
func applyEdits(t *testing.T, dir string, edits []edit) (mainChanged bool) {
	t.Helper()
	texts := map[string]string{}
	var files []string
	for _, e := range edits {
		text, ok := texts[e.file]
		if !ok {
			text = readFile(t, filepath.Join(dir, e.file))
			files = append(files, e.file)
		}
		if n := strings.Count(text, e.find); n != 1 {
			t.Fatalf("README: %s holds the code to find %d times, want once:\n%s\n--- %s is now:\n%s", e.file, n, e.find, e.file, text)
		}
		texts[e.file] = strings.Replace(text, e.find, e.replace, 1)
	}
	for _, file := range files {
		save(t, filepath.Join(dir, file), texts[file])
		mainChanged = mainChanged || file == "main.go"
	}
	return mainChanged
}

// save writes text to the file name in one go, as an editor's save looks to
// the server: into a new file, renamed over the old one, so that the
// reloader, which looks every 50 ms, never builds half a file. The new file
// is dated 2 seconds ahead, a change even on a coarse clock.
func save(t *testing.T, name, text string) {
	t.Helper()
	saving := name + ".saving"
	if err := os.WriteFile(saving, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	later := time.Now().Add(2 * time.Second)
	os.Chtimes(saving, later, later)
	if err := os.Rename(saving, name); err != nil {
		t.Fatal(err)
	}
}

// waitForReload waits after a save of main.go as a learner watches the
// terminal: for the line " * Detected change in 'main.go', reloading", then
// for the new build to start, or for the compiler's complaint. A request
// made after the first line already waits for the new build; the second
// makes the wait plain.
func (a *app) waitForReload(t *testing.T, mark int) {
	t.Helper()
	detected := a.waitFor(mark, " * Detected change in 'main.go', reloading\n")
	if detected < 0 {
		t.Fatalf("no line says that the save of main.go was seen:\n%s", a.log()[mark:])
	}
	if a.waitFor(detected, " * Restarting with a file watch\n", " * The program does not compile; waiting for the next save\n") < 0 {
		t.Fatalf("the server neither restarted nor said why:\n%s", a.log()[mark:])
	}
}

// lineOf returns the number of the line of file that holds code.
func lineOf(t *testing.T, file, code string) int {
	t.Helper()
	text := readFile(t, file)
	i := strings.Index(text, code)
	if i < 0 {
		t.Fatalf("%s does not hold %q", file, code)
	}
	return strings.Count(text[:i], "\n") + 1
}

// copyStarter copies starter/ to a new folder, as a learner's own copy.
func copyStarter(t *testing.T) string {
	t.Helper()
	dir := newModule(t)
	for _, name := range []string{"main.go", "index.html", "style.css"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(readFile(t, filepath.Join("starter", name))), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// listItems returns the text of each <li> on a page.
func listItems(body string) []string {
	var items []string
	for _, part := range strings.Split(body, "<li>")[1:] {
		item, _, _ := strings.Cut(part, "</li>")
		items = append(items, html.UnescapeString(strings.TrimSpace(item)))
	}
	return items
}
