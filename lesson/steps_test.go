package lesson

import (
	"flag"
	"fmt"
	"maps"
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
	"example.com/sessions/internal/mywork"
	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// TestLessonSteps does the lesson by hand, as the README tells a learner to:
// it copies the starter (the top folder's main.go, index.html and style.css)
// to a folder of its own, starts it once as go run main.go does, then applies each step's code exactly as the README shows it, saves,
// waits for the server to restart itself as a learner watches the terminal,
// and checks what the README says the browser shows. The README is the only
// source of the steps' code: each step is a pair of fenced blocks, marked
// <!-- step ID FILE find --> and <!-- step ID FILE replace -->, so a step the
// README gets wrong fails here.
func TestLessonSteps(t *testing.T) {
	testenv.NeedsPrograms(t)
	needUntouchedStarter(t)
	steps := readmeSteps(t)
	samples := myWorkSamples(t)
	dir := copyStarter(t)
	// go run main.go builds the program and runs it: here, once for the
	// whole lesson. It runs as a learner's does, without SECRET_KEY: debug
	// mode, whose reloader builds main.go again after each save.
	a := testenv.Run(t, testenv.Build(t, dir), dir, "SECRET_KEY=")
	v := a.Browser()
	get := func() string { return must(t)(v.Get("/")).Body }
	post := func(item string) string { return must(t)(v.Post("/", url.Values{"new_item": {item}})).Body }

	// 23.5.1: the banner says debug mode is on, the starter shows the form and
	// sets no cookie, and the terminal shows one line per request.
	if a.WaitFor(0, " * Restarting with a file watch\n") < 0 || !strings.Contains(a.Terminal(), " * Debug mode: on\n") {
		t.Errorf("the terminal shows no debug mode or no reloader:\n%s", a.Terminal())
	}
	body := get()
	for _, want := range []string{"<h1>Session Practice</h1>", "New List Item:", `name="new_item"`, "Add Item", "<hr>", "<h2>List Items:</h2>", "<p>Nothing here yet...</p>"} {
		if !strings.Contains(body, want) {
			t.Errorf("the starter page lacks %q:\n%s", want, body)
		}
	}
	if a.WaitFor(0, `"GET / HTTP/1.1" 200 -`) < 0 {
		t.Errorf("the terminal shows no request line such as 127.0.0.1 - - [...] \"GET / HTTP/1.1\" 200 -:\n%s", a.Terminal())
	}
	post("milk")
	if v.Cookie("session") != nil {
		t.Error("the starter set a session cookie before any step stored something")
	}
	checkMyWorkReport(t, "23.5.1", mywork.Stages(a), []mywork.Verdict{mywork.NotYet, mywork.NotYet, mywork.NotYet, mywork.NotYet}, samples)

	// Each step also moves TestMyWork's report on: after it, the stages
	// 23.5.2, 23.5.3, 23.6 (adding) and 23.6 (duplicates) read as listed.
	const D, N, W = mywork.Done, mywork.NotYet, mywork.Wrong
	checks := []struct {
		step   string
		mywork []mywork.Verdict
		check  func(t *testing.T)
	}{
		{"23.5.2", []mywork.Verdict{D, N, N, N}, func(t *testing.T) {
			get()
			c := v.Cookie("session")
			if c == nil {
				t.Fatal("no cookie named session after 23.5.2")
			}
			s, _, err := sessions.Peek(c.Value)
			if got := fmt.Sprintf("%#v", s["groceries"]); err != nil || got != "[]string{}" {
				t.Errorf("the cookie holds %s (%v), want []string{}", got, err)
			}
		}},
		{"23.5.2-visits", []mywork.Verdict{D, N, N, N}, func(t *testing.T) {
			for _, want := range []string{"<p>Visits: 1</p>", "<p>Visits: 2</p>"} {
				if body := get(); !strings.Contains(body, want) {
					t.Errorf("the page does not show %s:\n%s", want, body)
				}
			}
		}},
		{"23.5.2-visits-undo", []mywork.Verdict{D, N, N, N}, func(t *testing.T) {
			v = a.Browser() // the cookie deleted, as the step says
			if body := get(); strings.Contains(body, "Visits") || !strings.Contains(body, "<p>Nothing here yet...</p>") {
				t.Errorf("after the lines are gone the page is\n%s", body)
			}
		}},
		{"23.5.3-placeholder", []mywork.Verdict{D, N, N, N}, func(t *testing.T) {
			if body := get(); !strings.Contains(body, "<p>[]</p>") {
				t.Errorf("the page does not show the empty list []:\n%s", body)
			}
		}},
		{"23.5.3-experiment", []mywork.Verdict{D, N, N, N}, func(t *testing.T) {
			if body := get(); !strings.Contains(body, "<p>[Milk Eggs]</p>") {
				t.Errorf("the page does not show [Milk Eggs]:\n%s", body)
			}
		}},
		{"23.5.3-list", []mywork.Verdict{D, D, N, N}, func(t *testing.T) {
			if got := mywork.ListItems(get()); !slices.Equal(got, []string{"Milk", "Eggs"}) {
				t.Errorf("the list shows %q, want Milk, Eggs", got)
			}
		}},
		{"23.5.3-print", []mywork.Verdict{D, D, N, N}, func(t *testing.T) {
			mark := a.Mark()
			get()
			a.Browser().Get("/") // a new browser, with no cookie yet
			for _, want := range []string{"map[groceries:[Milk Eggs]] [Milk Eggs]\n", "map[] <nil>\n"} {
				if !strings.Contains(readme(t), "`"+strings.TrimSuffix(want, "\n")+"`") {
					t.Errorf("the README does not quote the line %q", want)
				}
				if a.WaitFor(mark, want) < 0 {
					t.Errorf("the terminal does not show %q:\n%s", want, a.Terminal()[mark:])
				}
			}
		}},
		{"23.5.3-print-undo", []mywork.Verdict{D, D, N, N}, func(t *testing.T) {
			mark := a.Mark()
			if got := mywork.ListItems(get()); !slices.Equal(got, []string{"Milk", "Eggs"}) {
				t.Errorf("the list shows %q, want Milk, Eggs", got)
			}
			if a.WaitFor(mark, `"GET / HTTP/1.1" 200 -`) < 0 || strings.Contains(a.Terminal()[mark:], "map[") {
				t.Errorf("the terminal still prints the session:\n%s", a.Terminal()[mark:])
			}
		}},
		{"23.5.3-slip", []mywork.Verdict{W, W, N, N}, func(t *testing.T) {
			p := must(t)(v.Get("/"))
			slip := "\t\tsession['groceries'] = []string{\"Milk\", \"Eggs\"}"
			line := lineOf(t, filepath.Join(dir, "main.go"), slip)
			// Go names the file from the folder it builds in: ./main.go, and
			// .\main.go on Windows. The README quotes the message, and the
			// position as Windows prints it.
			position := fmt.Sprintf("main.go:%d:%d:", line, strings.Index(slip, "'")+1)
			const message = " more than one character in rune literal"
			for _, quote := range []string{"./" + position + message, `.\` + position} {
				if !strings.Contains(readme(t), "`"+quote+"`") {
					t.Errorf("the README does not quote what the compiler says for this step, `%s`", quote)
				}
			}
			said := "." + string(filepath.Separator) + position + message
			wants := []string{"The program does not compile, so the server is waiting for your next save.", said,
				fmt.Sprintf(">  %3d | %s\n", line, slip), fmt.Sprintf("   %3d | \t} else {\n", line-1)}
			for _, want := range wants {
				if p.Status != http.StatusInternalServerError || !strings.Contains(p.Body, want) {
					t.Errorf("the compile error shows %d %q, want 500 and %q", p.Status, p.Body, want)
				}
			}
			if !strings.Contains(a.Terminal(), said+"\n") {
				t.Errorf("the terminal does not show the compiler's message, %s:\n%s", said, a.Terminal())
			}
		}},
		{"23.5.3-mended", []mywork.Verdict{D, D, N, N}, func(t *testing.T) {
			if p := must(t)(v.Get("/")); p.Status != http.StatusOK || !slices.Equal(mywork.ListItems(p.Body), []string{"Milk", "Eggs"}) {
				t.Errorf("after the fix the page is %d %q, want the list back", p.Status, p.Body)
			}
		}},
		{"23.6-add", []mywork.Verdict{D, D, D, N}, func(t *testing.T) {
			if got := mywork.ListItems(post("bread")); !slices.Equal(got, []string{"Milk", "Eggs", "bread"}) {
				t.Errorf("after adding bread the list shows %q", got)
			}
			if got := mywork.ListItems(get()); !slices.Equal(got, []string{"Milk", "Eggs", "bread"}) {
				t.Errorf("after a reload the list shows %q", got)
			}
		}},
		{"23.6-slip", []mywork.Verdict{D, D, D, N}, func(t *testing.T) {
			fresh := a.Browser() // the cookie deleted: a browser with no session
			p := must(t)(fresh.Post("/", url.Values{"new_item": {"tea"}}))
			line := lineOf(t, filepath.Join(dir, "main.go"), `currentList := session["groceries"].([]string)`)
			at := fmt.Sprintf("at main.go:%d (main.index)", line)
			if !strings.Contains(readme(t), "`"+at+"`") {
				t.Errorf("the README does not quote the line of this step's panic, %s", at)
			}
			for _, want := range []string{"interface conversion: interface {} is nil, not []string", at,
				"The session was not saved, so your browser keeps the one it had.", "because no SECRET_KEY is set"} {
				if p.Status != http.StatusInternalServerError || !strings.Contains(p.Body, want) {
					t.Errorf("the slip shows %d %q, want 500 naming %q", p.Status, p.Body, want)
				}
			}
			if fresh.Cookie("session") != nil {
				t.Error("a request that panicked saved a session")
			}
		}},
		{"23.6-mended", []mywork.Verdict{D, D, D, N}, func(t *testing.T) {
			if p := must(t)(a.Browser().Post("/", url.Values{"new_item": {"tea"}})); !slices.Equal(mywork.ListItems(p.Body), []string{"tea"}) {
				t.Errorf("a POST before any GET shows %d %q", p.Status, mywork.ListItems(p.Body))
			}
		}},
		{"23.6-duplicates", []mywork.Verdict{D, D, D, D}, func(t *testing.T) {
			// Why the README says to delete the old cookie first: its bread
			// keeps its lower case, so a new Bread is another item.
			if got := mywork.ListItems(post("Bread")); !slices.Equal(got, []string{"Milk", "Eggs", "bread", "Bread"}) {
				t.Errorf("with the old cookie, adding Bread shows %q, want the old bread beside the new Bread", got)
			}
			v = a.Browser() // the cookie deleted
			get()
			for _, item := range []string{"milk", "eggs", "apples"} {
				post(item)
			}
			if got := mywork.ListItems(post("APPLES")); !slices.Equal(got, []string{"Milk", "Eggs", "Apples"}) {
				t.Errorf("after milk, eggs, apples, then APPLES, the list shows %q, want Milk, Eggs, Apples", got)
			}
		}},
	}
	var ids []string
	for _, s := range steps {
		ids = append(ids, s.id)
	}
	for i, c := range checks {
		if i >= len(ids) || ids[i] != c.step {
			t.Fatalf("the README's steps are %q; this test checks %q, in that order", ids, c.step)
		}
		mark := a.Mark()
		if applyEdits(t, dir, steps[i].edits) {
			waitForReload(t, a, mark)
		}
		if !t.Run(c.step, c.check) {
			t.Fatalf("stopping after step %s; the code so far:\n%s", c.step, testenv.ReadFile(t, filepath.Join(dir, "main.go")))
		}
		checkMyWorkReport(t, c.step, mywork.Stages(a), c.mywork, samples)
		if *stagesDir != "" {
			keepStage(t, dir, filepath.Join(*stagesDir, c.step))
		}
	}
	if len(ids) > len(checks) {
		t.Errorf("the README has steps %q that this test does not check", ids[len(checks):])
	}
	for id := range samples {
		t.Errorf("the README shows TestMyWork's report after %s, which is no step this test checks", id)
	}
}

// stagesDir is where TestLessonSteps leaves a copy of the starter after each
// step, for the browser test's pictures (.ci/browser):
//
//	go test -run TestLessonSteps -args -stages=DIR
var stagesDir = flag.String("stages", "", "a folder where TestLessonSteps leaves the starter as each step left it")

// keepStage copies the program in dir (main.go, index.html, style.css and its
// go.mod) to the folder to.
func keepStage(t *testing.T, dir, to string) {
	t.Helper()
	testenv.Copy(t, dir, to, "main.go", "index.html", "style.css", "go.mod", "go.sum")
}

// needUntouchedStarter skips, outside CI, a test that applies the README's
// steps to the starter when the top folder holds a learner's own work: the
// steps find the starter's code as it came. CI always has the untouched
// starter.
func needUntouchedStarter(t *testing.T) {
	t.Helper()
	root := testenv.Root(t)
	untouched := strings.Contains(testenv.ReadFile(t, filepath.Join(root, "index.html")), "<p>Nothing here yet...</p>") &&
		strings.Contains(testenv.ReadFile(t, filepath.Join(root, "main.go")), "\t\t// pass\n\t} else {\n\t\t// pass\n")
	if os.Getenv("CI") != "true" && !untouched {
		t.Skip("main.go and index.html hold your own lesson work, and this test needs the untouched starter. " +
			"To check your work, run: go test -run TestMyWork -v")
	}
}

// must stops the test when a browser's request failed, and returns its page.
func must(t *testing.T) func(program.Page, error) program.Page {
	return func(p program.Page, err error) program.Page {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
}

// readme returns the text of the top folder's README.md.
func readme(t *testing.T) string {
	t.Helper()
	return testenv.ReadFile(t, filepath.Join(testenv.Root(t), "README.md"))
}

// checkMyWorkReport checks TestMyWork's verdicts on the starter after step,
// and the lines of its report that the README shows after that step.
func checkMyWorkReport(t *testing.T, step string, stages []mywork.Stage, want []mywork.Verdict, samples map[string][]string) {
	t.Helper()
	var got []mywork.Verdict
	for _, s := range stages {
		got = append(got, s.Verdict)
	}
	if !slices.Equal(got, want) {
		t.Errorf("after step %s, TestMyWork reports %v, want %v:\n%s", step, got, want, mywork.Report(stages))
	}
	report := strings.Split(mywork.Report(stages), "\n")
	for _, line := range samples[step] {
		if !slices.Contains(report, line) {
			t.Errorf("after step %s, the README shows TestMyWork's line\n\t%s\nwhich its report does not hold:\n%s", step, line, mywork.Report(stages))
		}
	}
	delete(samples, step)
}

var myWorkSample = regexp.MustCompile("(?s)<!-- mywork (\\S+) -->\\s*```\\n(.*?)\\n```")

// myWorkSamples reads the README's copies of TestMyWork's report, marked
// <!-- mywork STEP -->: by step, each line that is a line of the report (a
// verdict, or what to do next), as go test -v indents them.
func myWorkSamples(t *testing.T) map[string][]string {
	samples := map[string][]string{}
	for _, m := range myWorkSample.FindAllStringSubmatch(readme(t), -1) {
		for _, line := range strings.Split(m[2], "\n") {
			line = strings.TrimPrefix(line, "        ") // go test -v's indent of a logged line
			for _, start := range []string{"done ", "not yet ", "WRONG ", "Next: ", "Nothing has been done yet", "Every stage is done"} {
				if strings.HasPrefix(line, start) {
					samples[m[1]] = append(samples[m[1]], line)
				}
			}
		}
		if len(samples[m[1]]) == 0 {
			t.Errorf("the README's TestMyWork output after %s holds no line of the report", m[1])
		}
	}
	return samples
}

// edit is one change a README step makes in file: find, replaced by
// replace. A block marked delete is an edit whose find is its lines, line
// ends included, and whose replace is nothing.
type edit struct {
	file, find, replace string
	anchor              string // for a block marked below or above: the line it goes next to
	below               bool
}

var stepMarker = regexp.MustCompile("(?s)<!-- step (\\S+) (\\S+) (find|replace|delete|below|above)(?: ([^\\n]*?))? -->\\s*```[a-z]*\\n(.*?)\\n```" +
	"|<!-- step (\\S+) undo (\\S+) -->" +
	"|<!-- step (\\S+) (\\S+) change -->\\n(.*?)(?:\\n\\n|$)")

// changeSentence finds "change `old` to `new`" in a sentence.
var changeSentence = regexp.MustCompile("change `([^`]+)`\\s+to[^`]*`([^`]+)`")

// quoted finds the "> " of a Markdown quote, which holds the README's "Try
// it" blocks, at the start of each line.
var quoted = regexp.MustCompile(`(?m)^> ?`)

// step is one step of the README: its ID and its edits.
type step struct {
	id    string
	edits []edit
}

// readmeSteps reads the steps' code from README.md, in the README's order,
// the "Try it" blocks' steps included.
func readmeSteps(t *testing.T) []step {
	var steps []step
	var waiting *edit // a find block whose replace block comes next
	for _, m := range stepMarker.FindAllStringSubmatch(quoted.ReplaceAllString(readme(t), ""), -1) {
		id, file, kind, anchor, code := m[1], m[2], m[3], m[4], m[5]
		if m[6] != "" { // <!-- step ID undo OTHER -->: OTHER's edits, taken back
			steps = append(steps, step{id: m[6], edits: undo(t, steps, m[7])})
			continue
		}
		if m[8] != "" { // <!-- step ID FILE change -->: "change `old` to `new`", in the sentence below it
			change := changeSentence.FindStringSubmatch(m[10])
			if change == nil {
				t.Fatalf("README: step %s has no sentence \"change `old` to `new`\" below its marker: %q", m[8], m[10])
			}
			steps = append(steps, step{id: m[8], edits: []edit{{file: m[9], find: change[1], replace: change[2]}}})
			continue
		}
		if n := len(steps); n == 0 || steps[n-1].id != id {
			for _, s := range steps {
				if s.id == id {
					t.Fatalf("README: the blocks of step %s are not together", id)
				}
			}
			steps = append(steps, step{id: id})
		}
		s := &steps[len(steps)-1]
		switch {
		case waiting != nil:
			if kind != "replace" || file != waiting.file {
				t.Fatalf("README: step %s has a find block for %s without its replace block after it", id, waiting.file)
			}
			waiting.replace, waiting = code, nil
		case kind == "find":
			s.edits = append(s.edits, edit{file: file, find: code})
			waiting = &s.edits[len(s.edits)-1]
		case kind == "delete":
			s.edits = append(s.edits, edit{file: file, find: code + "\n"})
		case kind == "below" || kind == "above":
			// <!-- step ID FILE below LINE -->: the block's lines go below (or
			// above) the line of FILE that reads LINE, indentation aside.
			s.edits = append(s.edits, edit{file: file, anchor: anchor, below: kind == "below", replace: code})
		default:
			t.Fatalf("README: step %s has a replace block for %s without a find block before it", id, file)
		}
	}
	if waiting != nil {
		t.Fatalf("README: the last find block, for %s, has no replace block after it", waiting.file)
	}
	return steps
}

// undo returns the edits that take back the step id of steps, a "Try it"
// the README then asks to undo (Ctrl+Z in the editor): each edit the other
// way round, the last first.
func undo(t *testing.T, steps []step, id string) []edit {
	t.Helper()
	for _, s := range steps {
		if s.id != id {
			continue
		}
		var edits []edit
		for _, e := range slices.Backward(s.edits) {
			if e.anchor != "" { // lines added below or above a line: delete them
				edits = append(edits, edit{file: e.file, find: e.replace + "\n"})
				continue
			}
			if e.find == "" || e.replace == "" {
				t.Fatalf("README: step %s deletes or adds whole text, which an undo of it cannot find", id)
			}
			edits = append(edits, edit{file: e.file, find: e.replace, replace: e.find})
		}
		return edits
	}
	t.Fatalf("README: an undo of step %s, which comes before no such step", id)
	return nil
}

// applyEdits makes a step's edits in dir as a learner does in the editor
// (every edit of a file, then one save), and reports whether main.go changed.
func applyEdits(t *testing.T, dir string, edits []edit) (mainChanged bool) {
	t.Helper()
	texts := map[string]string{}
	var files []string
	for _, e := range edits {
		if _, ok := texts[e.file]; !ok {
			texts[e.file] = testenv.ReadFile(t, filepath.Join(dir, e.file))
			files = append(files, e.file)
		}
	}
	applyToTexts(t, texts, edits)
	for _, file := range files {
		testenv.Save(t, filepath.Join(dir, file), texts[file], 2*time.Second)
		mainChanged = mainChanged || file == "main.go"
	}
	return mainChanged
}

// applyToTexts makes edits in texts, the files' text by name.
func applyToTexts(t *testing.T, texts map[string]string, edits []edit) {
	t.Helper()
	for _, e := range edits {
		text := texts[e.file]
		if e.anchor != "" {
			e = nextTo(t, text, e)
		}
		if n := strings.Count(text, e.find); n != 1 {
			t.Fatalf("README: %s holds the code to find %d times, want once:\n%s\n--- %s is now:\n%s", e.file, n, e.find, e.file, text)
		}
		texts[e.file] = strings.Replace(text, e.find, e.replace, 1)
	}
}

// nextTo turns an edit that adds lines below or above the line anchor into
// one that finds that line and replaces it with the line and the new ones.
func nextTo(t *testing.T, text string, e edit) edit {
	t.Helper()
	var found []string
	for _, line := range strings.Split(text, "\n") {
		if strings.TrimSpace(line) == e.anchor {
			found = append(found, line)
		}
	}
	if len(found) != 1 {
		t.Fatalf("README: %s has %d lines that read %q, want one:\n%s", e.file, len(found), e.anchor, text)
	}
	if e.below {
		return edit{file: e.file, find: found[0] + "\n", replace: found[0] + "\n" + e.replace + "\n"}
	}
	return edit{file: e.file, find: found[0] + "\n", replace: e.replace + "\n" + found[0] + "\n"}
}

// lessonFiles returns the starter's main.go and index.html as each of the
// README's steps leaves them, by step ID; "" gives the untouched starter.
func lessonFiles(t *testing.T) map[string]map[string]string {
	t.Helper()
	texts := map[string]string{}
	for _, name := range []string{"main.go", "index.html"} {
		texts[name] = testenv.ReadFile(t, filepath.Join(testenv.Root(t), name))
	}
	after := map[string]map[string]string{"": maps.Clone(texts)}
	for _, s := range readmeSteps(t) {
		applyToTexts(t, texts, s.edits)
		after[s.id] = maps.Clone(texts)
	}
	return after
}

// waitForReload waits after a save of main.go as a learner watches the
// terminal: for the line " * Detected change in 'main.go', reloading", then
// for the new build to start, or for the compiler's complaint. A request
// made after the first line already waits for the new build; the second
// makes the wait plain.
func waitForReload(t *testing.T, a *program.Program, mark int) {
	t.Helper()
	detected := a.WaitFor(mark, " * Detected change in 'main.go', reloading\n")
	if detected < 0 {
		t.Fatalf("no line says that the save of main.go was seen:\n%s", a.Terminal()[mark:])
	}
	if a.WaitFor(detected, " * Restarting with a file watch\n", " * The program does not compile; waiting for the next save\n") < 0 {
		t.Fatalf("the server neither restarted nor said why:\n%s", a.Terminal()[mark:])
	}
}

// lineOf returns the number of the line of file that holds code.
func lineOf(t *testing.T, file, code string) int {
	t.Helper()
	text := testenv.ReadFile(t, file)
	i := strings.Index(text, code)
	if i < 0 {
		t.Fatalf("%s does not hold %q", file, code)
	}
	return strings.Count(text[:i], "\n") + 1
}

// copyStarter copies the starter to a new folder, as a learner's own copy.
func copyStarter(t *testing.T) string {
	t.Helper()
	dir := testenv.NewModule(t)
	testenv.Copy(t, testenv.Root(t), dir, "main.go", "index.html", "style.css")
	return dir
}

// starterWith writes the starter's files into the folder dir, a folder of a
// module made by newModule: texts (main.go and index.html, as lessonFiles
// gives them) with edits made, and the starter's style.css. It returns dir.
func starterWith(t *testing.T, dir string, texts map[string]string, edits []edit) string {
	t.Helper()
	texts = maps.Clone(texts)
	applyToTexts(t, texts, edits)
	texts["style.css"] = testenv.ReadFile(t, filepath.Join(testenv.Root(t), "style.css"))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for name, text := range texts {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
