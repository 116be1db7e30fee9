// Package mywork is the learner's check: it builds a folder's main.go as it
// is, runs it as go run main.go does, uses it as a browser would, and says
// for each stage of the lesson whether it is done, not done yet, or wrong.
//
// TestMyWork, in the top folder, runs it on the learner's own files; the
// lesson package's TestVerdicts runs it on starters made for each verdict.
package mywork

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

	"example.com/sessions"
	"example.com/sessions/internal/program"
)

// A Verdict says how far a stage of the lesson is.
type Verdict string

const (
	Done   Verdict = "done"
	NotYet Verdict = "not yet"
	Wrong  Verdict = "WRONG"
)

// Stage is one stage of the lesson as the check saw it.
type Stage struct {
	Section, Title string
	Reread         string // the README heading to read again when it is wrong
	Verdict        Verdict
	Saw            string // what the browser got
	Want           string // what the lesson expects, when it is wrong
}

// Where names the README heading to read, and its section when the heading
// does not start with it: the README's "Update the List Display", in 23.5.3.
func (s Stage) Where() string {
	if strings.HasPrefix(s.Reread, s.Section+" ") {
		return fmt.Sprintf("the README's %q", s.Reread)
	}
	return fmt.Sprintf("the README's %q, in %s", s.Reread, s.Section)
}

// The README headings each stage sends a learner back to.
const (
	readSave       = "23.5.2 Save Session Data"
	readAccess     = "23.5.3 Access Session Data"
	readDisplay    = "Update the List Display"
	readAdd        = "Add Form Entries to the List"
	readDuplicates = "Avoid Duplicate Entries"
)

// Result is what Check found.
type Result struct {
	Stages []Stage // 23.5.2, 23.5.3, and 23.6's two parts; none when main.go does not compile
	Report string  // what TestMyWork prints
	// Problems holds one line for each stage that is wrong, or for a
	// main.go that does not compile: each fails TestMyWork.
	Problems []string
}

// Check builds dir/main.go into the folder work, runs it as go run main.go
// does (no SECRET_KEY: debug mode), and checks the lesson's stages. An error
// means the check itself could not run.
func Check(dir, work string) (Result, error) {
	bin, said, err := program.Build(dir, work)
	if said != "" {
		return notCompiled(dir, said), nil
	}
	if err != nil {
		return Result{}, err
	}
	p, err := program.Start([]string{bin, "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, TempDir: work, Env: []string{"SECRET_KEY="}})
	if err != nil {
		return Result{}, err
	}
	defer p.Stop()
	var r Result
	r.Stages = Stages(p)
	for _, s := range r.Stages {
		if s.Verdict == Wrong {
			r.Problems = append(r.Problems, fmt.Sprintf("%s %s is WRONG (see above): read %s.", s.Section, s.Title, s.Where()))
		}
	}
	r.Report = Report(r.Stages)
	return r, nil
}

// notCompiled is the Result for a main.go that does not compile: Go's
// message, and where to mend it.
func notCompiled(dir, said string) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	where := "the line it names"
	if at := regexp.MustCompile(`main\.go:(\d+):(\d+):`).FindStringSubmatch(said); at != nil {
		where = fmt.Sprintf("line %s of %s (column %s)", at[1], main, at[2])
	}
	report := fmt.Sprintf("%s does not compile, so no stage can be checked. Go says:\n\n%s\n\n"+
		"Mend %s, save, and run this test again.\n"+
		"The README's \"Python habits that break in Go\" explains the messages Go gives most often.\n", main, said, where)
	return Result{Report: report, Problems: []string{main + " does not compile: see Go's message above"}}
}

// Report lays the stages out one to a line, as TestMyWork prints them, a
// wrong stage with what the lesson expects and what to read again, and ends
// with what to do next.
func Report(stages []Stage) string {
	var b strings.Builder
	b.WriteString("Your lesson work in main.go and index.html, checked as a browser would:\n\n")
	started, next := false, ""
	for _, s := range stages {
		fmt.Fprintf(&b, "%-8s %s %s: %s\n", s.Verdict, s.Section, s.Title, s.Saw)
		if s.Verdict == Wrong {
			fmt.Fprintf(&b, "%-8s the lesson expects %s\n", "", s.Want)
			fmt.Fprintf(&b, "%-8s read again: %s\n", "", s.Where())
		}
		started = started || s.Verdict != NotYet
		if next == "" && s.Verdict == NotYet {
			next = fmt.Sprintf("Next: %s.", s.Where())
		}
	}
	switch {
	case !started:
		next = fmt.Sprintf("Nothing has been done yet: start with %s.", stages[0].Where())
	case slices.ContainsFunc(stages, func(s Stage) bool { return s.Verdict == Wrong }):
		next = "Mend what is marked WRONG, save, and run this test again."
	case next == "":
		next = "Every stage is done: you have finished the lesson."
	}
	b.WriteString("\n" + next + "\n")
	return b.String()
}

// browser is one browser of the check. A request that fails (the program
// stopped, or did not answer in time) gives a page with status 0 and the
// error as its body, which the stages report as what they saw.
type browser struct{ *program.Browser }

func (b browser) get() program.Page {
	p, err := b.Get("/")
	if err != nil {
		return program.Page{Body: err.Error()}
	}
	return p
}

// postItem sends the lesson's form with one new item, as its Add Item button
// does.
func (b browser) postItem(item string) program.Page {
	p, err := b.Post("/", url.Values{"new_item": {item}})
	if err != nil {
		return program.Page{Body: err.Error()}
	}
	return p
}

// Stages visits the running program p as new browsers would and returns the
// lesson's stages in order: 23.5.2, 23.5.3, and 23.6's two parts.
func Stages(p *program.Program) []Stage {
	saved := Stage{Section: "23.5.2", Title: "Save Session Data", Reread: readSave}
	shown := Stage{Section: "23.5.3", Title: "Access Session Data", Reread: readAccess}
	added := Stage{Section: "23.6", Title: "Add Form Entries to the List", Reread: readAdd}
	unique := Stage{Section: "23.6", Title: "Avoid Duplicate Entries", Reread: readDuplicates}

	// 23.5.2: a first visit stores a list in the session cookie.
	first := browser{p.Browser()}
	page := first.get()
	key, list, problem := storedList(first)
	switch {
	case problem != "":
		saved.Verdict, saved.Saw, saved.Want = Wrong, problem, `a list of strings: session["groceries"] = []string{}`
	case key == "" && page.Status != 200:
		saved.Verdict, saved.Saw, saved.Want = Wrong, "a first visit gets "+failure(page), "the page, with status 200, and a session cookie"
	case key == "":
		saved.Verdict, saved.Saw = NotYet, "a first visit stores no session cookie yet"
	default:
		saved.Verdict, saved.Saw = Done, fmt.Sprintf("a first visit stores the session cookie %s = %s", key, goList(list))
	}

	// 23.6: a posted item goes into the list and stays after a reload; the
	// same item in other letters is not added a second time.
	b := browser{p.Browser()}
	b.get()
	posted := b.postItem("tea")
	_, afterPost, _ := storedList(b)
	reloaded := b.get()
	_, afterReload, _ := storedList(b)
	switch {
	case posted.Status != 200 && page.Status == 200: // a page that always fails is 23.5.3's
		added.Verdict, added.Saw, added.Want = Wrong, "adding tea gets "+failure(posted), "the page, with tea in the list"
	case count(afterPost, "tea") == 0:
		added.Verdict, added.Saw = NotYet, "an item sent with the form does not reach the list yet"
	case count(afterReload, "tea") == 0:
		added.Verdict, added.Saw = Wrong, fmt.Sprintf("tea was added (%s), then lost when the page was reloaded (%s)", goList(afterPost), goList(afterReload))
		added.Want = `the list to keep its items: the GET branch stores the empty list only when there is none yet (if _, ok := session["groceries"]; !ok)`
	default:
		added.Verdict, added.Saw = Done, fmt.Sprintf("tea was added and is still there after a reload: %s", goList(afterReload))
	}
	if added.Verdict != Done {
		unique.Verdict, unique.Saw = NotYet, "comes after adding form entries"
	} else {
		again := b.postItem("TEA")
		_, afterAgain, _ := storedList(b)
		titled := slices.Contains(afterPost, "Tea") // title() is in use: this part is under way
		switch n := count(afterAgain, "tea"); {
		case again.Status != 200:
			unique.Verdict, unique.Saw, unique.Want = Wrong, "adding TEA after tea gets "+failure(again), "the page, with Tea in the list once"
		case n == 1:
			unique.Verdict, unique.Saw = Done, fmt.Sprintf("TEA after tea leaves one: %s", goList(afterAgain))
		case titled:
			unique.Verdict, unique.Saw = Wrong, fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(afterAgain))
			unique.Want = "Tea once: title-case the new item first, then add it only if the list does not contain it yet"
		default:
			unique.Verdict, unique.Saw = NotYet, fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(afterAgain))
		}
	}

	// 23.5.3: the page shows the list the cookie holds, one <li> per item.
	// An empty list shows no items, so a page with items is checked when
	// there is one: the first visit's (23.5.3's own Milk and Eggs), the
	// reload after adding tea, or the page that added it.
	pageList := list
	switch {
	case len(list) > 0:
	case len(afterReload) > 0:
		page, pageList = reloaded, afterReload
	case len(afterPost) > 0 && posted.Status == 200:
		page, pageList = posted, afterPost
	}
	shown.Verdict, shown.Saw, shown.Want = showsList(page, pageList)
	if shown.Verdict == Wrong && strings.Contains(shown.Want, "<li>") {
		shown.Reread = readDisplay
	}
	return []Stage{saved, shown, added, unique}
}

// showsList judges the page of 23.5.3 against the list the cookie holds.
func showsList(p program.Page, list []string) (Verdict, string, string) {
	placeholder := html.EscapeString(fmt.Sprint(list)) // what {{.session.groceries}} prints
	items := ListItems(p.Body)
	switch {
	case p.Status != 200:
		return Wrong, "the page gets " + failure(p), "the page, with the list"
	case len(list) > 0 && slices.Equal(items, list):
		return Done, fmt.Sprintf("the page shows the list, one <li> per item: %s", strings.Join(items, ", ")), ""
	case len(list) == 0 && strings.Contains(p.Body, "<ul") && len(items) == 0:
		return Done, "the page has its <ul>; the list is empty, so there are no items to check yet", ""
	case len(items) > 0:
		return Wrong, fmt.Sprintf("the page lists %s", strings.Join(items, ", ")),
			fmt.Sprintf("one <li> per item of the session's list, %s: {{range .session.groceries}} <li>{{.}}</li> {{end}}", goList(list))
	case strings.Contains(p.Body, ">"+placeholder+"<"):
		return NotYet, fmt.Sprintf("the page shows %s, the placeholder; the {{range}} loop of %q comes next", placeholder, readDisplay), ""
	case strings.Contains(p.Body, "Nothing here yet..."):
		return NotYet, `the page still says "Nothing here yet..."`, ""
	}
	return Wrong, "the page shows neither the list nor the placeholder",
		fmt.Sprintf("the list %s, first as {{.session.groceries}}, then with {{range}}", placeholder)
}

// storedList finds the list in b's session cookie: under "groceries", or
// under the name the learner chose (the lesson says any name will do). It
// returns "" when there is no cookie, and a problem when the cookie holds no
// list.
func storedList(b browser) (key string, list []string, problem string) {
	c := b.Cookie("session")
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

// failure describes an error page by its status and the first line that
// says what went wrong, such as
// status 500: "template: index.html:26: bad character U+005B '['".
func failure(p program.Page) string {
	if p.Status == 0 {
		return fmt.Sprintf("no answer: %s", p.Body)
	}
	for _, line := range strings.Split(p.Body, "\n") {
		line = strings.TrimSpace(line)
		if line != "" && line != fmt.Sprintf("%d %s", p.Status, http.StatusText(p.Status)) {
			return fmt.Sprintf("status %d: %q", p.Status, line)
		}
	}
	return fmt.Sprintf("status %d and an empty page", p.Status)
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

// ListItems returns the text of each <li> on a page.
func ListItems(body string) []string {
	var items []string
	for _, part := range strings.Split(body, "<li>")[1:] {
		item, _, _ := strings.Cut(part, "</li>")
		items = append(items, html.UnescapeString(strings.TrimSpace(item)))
	}
	return items
}
