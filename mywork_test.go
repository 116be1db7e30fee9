package sessions_test

import (
	"fmt"
	"html"
	"maps"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"example.com/sessions"
)

// TestMyWork checks your own lesson work in starter/, as a browser would: it
// builds starter/main.go as it is now (saved, committed or not), runs it on
// a free port, and says for each stage of the lesson whether it is done, not
// done yet, or wrong. Run it from the top folder at the end of each section:
//
//	go test -run TestMyWork -v
//
// A stage you have not reached yet is only "not yet"; a stage that is wrong
// fails the test and says what it saw, what the lesson expects, and which
// section of the README to read again.
func TestMyWork(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs starter/main.go; skipped with -short")
	}
	_, report, problems := checkMyWork(t, "starter")
	t.Log(strings.TrimSuffix(report, "\n"))
	for _, problem := range problems {
		t.Error(problem)
	}
}

// checkMyWork builds dir/main.go, runs it as go run main.go does (no
// SECRET_KEY: debug mode), and checks the lesson's stages. It returns them,
// the report TestMyWork prints and one problem for each stage that is wrong;
// or, when the program does not compile, no stages, a report that holds the
// compiler's message, and one problem.
func checkMyWork(t *testing.T, dir string) (stages []stage, report string, problems []string) {
	t.Helper()
	bin, out, ok := tryBuild(t, dir)
	if !ok {
		said := strings.TrimSpace(regexp.MustCompile(`(?m)^# .*\n`).ReplaceAllString(out, "")) // drop "# command-line-arguments"
		main := filepath.ToSlash(filepath.Join(dir, "main.go"))
		where := "the line it names"
		if at := regexp.MustCompile(`main\.go:(\d+):(\d+):`).FindStringSubmatch(said); at != nil {
			where = fmt.Sprintf("line %s of %s (column %s)", at[1], main, at[2])
		}
		report = fmt.Sprintf("%s does not compile, so no stage can be checked. Go says:\n\n%s\n\n"+
			"Mend %s, save, and run this test again.\n"+
			"The README's \"Python habits that break in Go\" explains the messages Go gives most often.", main, said, where)
		return nil, report, []string{main + " does not compile: see Go's message above"}
	}
	a := startProgram(t, bin, dir, "SECRET_KEY=")
	stages = checkLesson(t, a)
	for _, s := range stages {
		if s.verdict == wrong {
			problems = append(problems, fmt.Sprintf("%s %s is WRONG (see above): read %s.", s.section, s.title, s.where()))
		}
	}
	return stages, reportOf(stages), problems
}

// TestVerdicts runs TestMyWork's check on starters of its own, made from
// the untouched starter and the README's steps: it must say that nothing has
// been done yet on the starter as it came, "not yet" (no failure) for the
// stages a starter has not reached, and WRONG, failing, for a stage done
// wrong, naming the stage, what it saw, what the lesson expects and a README
// heading to read again. A starter that does not compile fails with Go's
// message. (Its name does not contain TestMyWork, so that go test -run
// TestMyWork runs the learner's check alone.)
func TestVerdicts(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a starter for each case; skipped with -short")
	}
	needUntouchedStarter(t)
	after := lessonFiles(t)
	readme := readFile(t, "README.md")
	module := newModule(t)
	const D, N, W = done, notYet, wrong
	cases := []struct {
		name    string
		step    string // the README step the starter is taken after; "" for none
		mistake []edit
		want    []verdict
		saw     string // a part of the report: what the check saw
	}{
		{name: "untouched starter", want: []verdict{N, N, N, N}, saw: "Nothing has been done yet: start with the README's \"23.5.2 Save Session Data\"."},
		{name: "after 23.5.2", step: "23.5.2", want: []verdict{D, N, N, N}, saw: "Next: the README's \"23.5.3 Access Session Data\"."},
		{name: "after the placeholder", step: "23.5.3-placeholder", want: []verdict{D, N, N, N}, saw: "the page shows [], the placeholder"},
		{name: "after 23.5.3", step: "23.5.3-list", want: []verdict{D, D, N, N}, saw: "Next: the README's \"Add Form Entries to the List\", in 23.6."},
		{name: "after adding", step: "23.6-add", want: []verdict{D, D, D, N}, saw: "Next: the README's \"Avoid Duplicate Entries\", in 23.6."},
		{name: "the whole lesson", step: "23.6-duplicates", want: []verdict{D, D, D, D}, saw: "Every stage is done: you have finished the lesson."},
		{name: "a string stored instead of a list", step: "23.5.2",
			mistake: []edit{{"main.go", `session["groceries"] = []string{}`, `session["groceries"] = "milk"`}},
			want:    []verdict{W, N, N, N}, saw: `the session cookie holds groceries = "milk" (a string), which is not a list of strings`},
		{name: "a page that lists something else", step: "23.5.3-list",
			mistake: []edit{{"index.html", "<li>{{.}}</li>", "<li>Milk</li>"}},
			want:    []verdict{D, W, N, N}, saw: "the page lists Milk, Milk"},
		{name: "a template error", step: "23.5.3-list",
			mistake: []edit{{"index.html", "{{range .session.groceries}}", "{{range .session['groceries']}}"}},
			want:    []verdict{D, W, N, N}, saw: `the page gets status 500: "template: index.html:26: bad character U+005B '['"`},
		{name: "a GET that empties the list", step: "23.6-add",
			mistake: []edit{{"main.go", "if _, ok := session[\"groceries\"]; !ok {\n\t\t\tsession[\"groceries\"] = []string{}\n\t\t}", `session["groceries"] = []string{}`}},
			want:    []verdict{D, D, W, N}, saw: `tea was added (["tea"]), then lost when the page was reloaded ([])`},
		{name: "duplicates checked before title case", step: "23.6-duplicates",
			mistake: []edit{{"main.go", `newItem := title(r.PostFormValue("new_item"))`, `newItem := r.PostFormValue("new_item")`},
				{"main.go", "currentList = append(currentList, newItem)", "currentList = append(currentList, title(newItem))"}},
			want: []verdict{D, D, D, W}, saw: `TEA after tea makes 2 of them: ["Tea" "Tea"]`},
		{name: "a program that does not compile", step: "23.5.2",
			mistake: []edit{{"main.go", `session["groceries"] = []string{}`, `session['groceries'] = []string{}`}},
			saw:     "more than one character in rune literal"},
	}
	for i, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			dir := starterWith(t, filepath.Join(module, fmt.Sprint("starter-", i)), after[c.step], c.mistake)
			stages, report, problems := checkMyWork(t, dir)
			if !strings.Contains(report, c.saw) {
				t.Errorf("the report does not say %q:\n%s", c.saw, report)
			}
			var got []verdict
			for _, s := range stages {
				got = append(got, s.verdict)
			}
			if !slices.Equal(got, c.want) {
				t.Errorf("the verdicts are %v, want %v:\n%s", got, c.want, report)
			}
			wrongs := 0
			for _, s := range stages {
				if s.verdict != wrong {
					continue
				}
				wrongs++
				for _, part := range []string{s.section + " " + s.title + ": " + s.saw, "the lesson expects " + s.want, "read again: " + s.where()} {
					if s.saw == "" || s.want == "" || !strings.Contains(report, part) {
						t.Errorf("the report of a wrong stage lacks %q:\n%s", part, report)
					}
				}
				if !regexp.MustCompile(`(?m)^#+ ` + regexp.QuoteMeta(s.reread) + `$`).MatchString(readme) {
					t.Errorf("the report sends the learner to the README's %q, which is no heading of it", s.reread)
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

// A verdict says how far a stage of the lesson is.
type verdict string

const (
	done   verdict = "done"
	notYet verdict = "not yet"
	wrong  verdict = "WRONG"
)

// stage is one stage of the lesson as the check saw it.
type stage struct {
	section, title string
	reread         string // the README heading to read again when it is wrong
	verdict        verdict
	saw            string // what the browser got
	want           string // what the lesson expects, when it is wrong
}

// reportOf lays the stages out one to a line, as TestMyWork prints them, a
// wrong stage with what the lesson expects and what to read again, and ends
// with what to do next.
func reportOf(stages []stage) string {
	var b strings.Builder
	b.WriteString("Your lesson work in starter/, checked as a browser would:\n\n")
	started, next := false, ""
	for _, s := range stages {
		fmt.Fprintf(&b, "%-8s %s %s: %s\n", s.verdict, s.section, s.title, s.saw)
		if s.verdict == wrong {
			fmt.Fprintf(&b, "%-8s the lesson expects %s\n", "", s.want)
			fmt.Fprintf(&b, "%-8s read again: %s\n", "", s.where())
		}
		started = started || s.verdict != notYet
		if next == "" && s.verdict == notYet {
			next = fmt.Sprintf("Next: %s.", s.where())
		}
	}
	switch {
	case !started:
		next = fmt.Sprintf("Nothing has been done yet: start with %s.", stages[0].where())
	case slices.ContainsFunc(stages, func(s stage) bool { return s.verdict == wrong }):
		next = "Mend what is marked WRONG, save, and run this test again."
	case next == "":
		next = "Every stage is done: you have finished the lesson."
	}
	b.WriteString("\n" + next + "\n")
	return b.String()
}

// where names the README heading to read, and its section when the heading
// does not start with it: the README's "Update the List Display", in 23.5.3.
func (s stage) where() string {
	if strings.HasPrefix(s.reread, s.section+" ") {
		return fmt.Sprintf("the README's %q", s.reread)
	}
	return fmt.Sprintf("the README's %q, in %s", s.reread, s.section)
}

// The README headings each stage sends a learner back to.
const (
	readSave       = "23.5.2 Save Session Data"
	readAccess     = "23.5.3 Access Session Data"
	readDisplay    = "Update the List Display"
	readAdd        = "Add Form Entries to the List"
	readDuplicates = "Avoid Duplicate Entries"
)

// checkLesson visits the running starter a as new browsers would and returns
// the lesson's stages in order: 23.5.2, 23.5.3, and 23.6's two parts.
func checkLesson(t *testing.T, a *app) []stage {
	saved := stage{section: "23.5.2", title: "Save Session Data", reread: readSave}
	shown := stage{section: "23.5.3", title: "Access Session Data", reread: readAccess}
	added := stage{section: "23.6", title: "Add Form Entries to the List", reread: readAdd}
	unique := stage{section: "23.6", title: "Avoid Duplicate Entries", reread: readDuplicates}

	// 23.5.2: a first visit stores a list in the session cookie.
	first := a.newVisitor(t)
	p := first.get()
	key, list, problem := storedList(first)
	switch {
	case problem != "":
		saved.verdict, saved.saw, saved.want = wrong, problem, `a list of strings: session["groceries"] = []string{}`
	case key == "" && p.status != 200:
		saved.verdict, saved.saw, saved.want = wrong, "a first visit gets "+failure(p), "the page, with status 200, and a session cookie"
	case key == "":
		saved.verdict, saved.saw = notYet, "a first visit stores no session cookie yet"
	default:
		saved.verdict, saved.saw = done, fmt.Sprintf("a first visit stores the session cookie %s = %s", key, goList(list))
	}

	// 23.6: a posted item goes into the list and stays after a reload; the
	// same item in other letters is not added a second time.
	browser := a.newVisitor(t)
	browser.get()
	posted := browser.postItem("tea")
	_, afterPost, _ := storedList(browser)
	reloaded := browser.get()
	_, afterReload, _ := storedList(browser)
	switch {
	case posted.status != 200 && p.status == 200: // a page that always fails is 23.5.3's
		added.verdict, added.saw, added.want = wrong, "adding tea gets "+failure(posted), "the page, with tea in the list"
	case count(afterPost, "tea") == 0:
		added.verdict, added.saw = notYet, "an item sent with the form does not reach the list yet"
	case count(afterReload, "tea") == 0:
		added.verdict, added.saw = wrong, fmt.Sprintf("tea was added (%s), then lost when the page was reloaded (%s)", goList(afterPost), goList(afterReload))
		added.want = `the list to keep its items: the GET branch stores the empty list only when there is none yet (if _, ok := session["groceries"]; !ok)`
	default:
		added.verdict, added.saw = done, fmt.Sprintf("tea was added and is still there after a reload: %s", goList(afterReload))
	}
	if added.verdict != done {
		unique.verdict, unique.saw = notYet, "comes after adding form entries"
	} else {
		again := browser.postItem("TEA")
		_, afterAgain, _ := storedList(browser)
		titled := slices.Contains(afterPost, "Tea") // title() is in use: this part is under way
		switch n := count(afterAgain, "tea"); {
		case again.status != 200:
			unique.verdict, unique.saw, unique.want = wrong, "adding TEA after tea gets "+failure(again), "the page, with Tea in the list once"
		case n == 1:
			unique.verdict, unique.saw = done, fmt.Sprintf("TEA after tea leaves one: %s", goList(afterAgain))
		case titled:
			unique.verdict, unique.saw = wrong, fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(afterAgain))
			unique.want = "Tea once: title-case the new item first, then add it only if the list does not contain it yet"
		default:
			unique.verdict, unique.saw = notYet, fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(afterAgain))
		}
	}

	// 23.5.3: the page shows the list the cookie holds, one <li> per item.
	// An empty list shows no items, so a page with items is checked when
	// there is one: the first visit's (23.5.3's own Milk and Eggs), the
	// reload after adding tea, or the page that added it.
	page, pageList := p, list
	switch {
	case len(list) > 0:
	case len(afterReload) > 0:
		page, pageList = reloaded, afterReload
	case len(afterPost) > 0 && posted.status == 200:
		page, pageList = posted, afterPost
	}
	shown.verdict, shown.saw, shown.want = showsList(page, pageList)
	if shown.verdict == wrong && strings.Contains(shown.want, "<li>") {
		shown.reread = readDisplay
	}
	return []stage{saved, shown, added, unique}
}

// showsList judges the page of 23.5.3 against the list the cookie holds.
func showsList(p page, list []string) (verdict, string, string) {
	placeholder := html.EscapeString(fmt.Sprint(list)) // what {{.session.groceries}} prints
	items := listItems(p.body)
	switch {
	case p.status != 200:
		return wrong, "the page gets " + failure(p), "the page, with the list"
	case len(list) > 0 && slices.Equal(items, list):
		return done, fmt.Sprintf("the page shows the list, one <li> per item: %s", strings.Join(items, ", ")), ""
	case len(list) == 0 && strings.Contains(p.body, "<ul") && len(items) == 0:
		return done, "the page has its <ul>; the list is empty, so there are no items to check yet", ""
	case len(items) > 0:
		return wrong, fmt.Sprintf("the page lists %s", strings.Join(items, ", ")),
			fmt.Sprintf("one <li> per item of the session's list, %s: {{range .session.groceries}} <li>{{.}}</li> {{end}}", goList(list))
	case strings.Contains(p.body, ">"+placeholder+"<"):
		return notYet, fmt.Sprintf("the page shows %s, the placeholder; the {{range}} loop of %q comes next", placeholder, readDisplay), ""
	case strings.Contains(p.body, "Nothing here yet..."):
		return notYet, `the page still says "Nothing here yet..."`, ""
	}
	return wrong, "the page shows neither the list nor the placeholder",
		fmt.Sprintf("the list %s, first as {{.session.groceries}}, then with {{range}}", placeholder)
}

// storedList finds the list in v's session cookie: under "groceries", or under
// the name the learner chose (the lesson says any name will do). It returns ""
// when there is no cookie, and a problem when the cookie holds no list.
func storedList(v *visitor) (key string, list []string, problem string) {
	c := v.cookie()
	if c == nil {
		return "", nil, ""
	}
	s, _, err := sessions.Peek(c.Value)
	if err != nil {
		return "", nil, "the session cookie cannot be read: " + err.Error()
	}
	if list, ok := s["groceries"].([]string); ok {
		return "groceries", list, ""
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if list, ok := s[k].([]string); ok {
			return k, list, ""
		}
	}
	if len(s) == 0 {
		return "", nil, ""
	}
	var parts []string
	for _, k := range slices.Sorted(maps.Keys(s)) {
		parts = append(parts, fmt.Sprintf("%s = %#v (a %T)", k, s[k], s[k]))
	}
	return "", nil, "the session cookie holds " + strings.Join(parts, ", ") + ", which is not a list of strings"
}

// postItem sends the lesson's form with one new item, as its Add Item button
// does.
func (v *visitor) postItem(item string) page {
	return v.post(url.Values{"new_item": {item}})
}

// failure describes an error page by its status and the first line that
// says what went wrong, such as
// status 500: "template: index.html:26: bad character U+005B '['".
func failure(p page) string {
	for _, line := range strings.Split(p.body, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && line != fmt.Sprintf("%d %s", p.status, http.StatusText(p.status)) {
			return fmt.Sprintf("status %d: %q", p.status, line)
		}
	}
	return fmt.Sprintf("status %d and an empty page", p.status)
}

// count counts the items of list that are item in any mix of capitals.
func count(list []string, item string) int {
	n := 0
	for _, x := range list {
		if strings.EqualFold(x, item) {
			n++
		}
	}
	return n
}

// goList writes a list as Go prints it, with quotes: ["Milk" "Eggs"].
func goList(list []string) string {
	if list == nil {
		return "no list"
	}
	return fmt.Sprintf("%q", list)
}
