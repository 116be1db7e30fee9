// Package mywork is the learner's check: it builds a folder's main.go as it
// is, runs it as go run main.go does, uses it as a browser would, and says
// for each stage of the lesson whether it is done, not done yet, or wrong.
//
// TestMyWork, in the top folder, runs it on the learner's own files; the
// lesson package's TestVerdicts runs it on starters made for each verdict.
package mywork

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"html"
	"maps"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

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
	// Note, when set, is one more line for a stage that is wrong: where the
	// Flask lesson's own page does the same on purpose, and where the README
	// says why this project's code does not.
	Note string
}

// Where names the README heading to read, and its section when the heading
// is one of the section's own: the README's "Update the List Display", in
// 23.5.3.
func (s Stage) Where() string {
	if strings.HasPrefix(s.Reread, s.Section+" ") || !slices.Contains(subheadings, s.Reread) {
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
	readFinished   = "The finished app and the buttons page"
)

// subheadings are the headings above that sit inside a section of the lesson.
var subheadings = []string{readDisplay, readAdd, readDuplicates}

// Result is what Check found.
type Result struct {
	Stages []Stage // 23.5.2, 23.5.3, and 23.6's two parts; none when the program could not be checked
	Report string  // what TestMyWork prints
	// Problems holds one line for each stage that is wrong, or for a
	// program that could not be checked: each fails TestMyWork.
	Problems []string
	// Trouble says in one line what went wrong with the program as a whole,
	// for the grading command: it does not compile, never listened, stopped
	// answering, stopped by itself or printed too much. It is "" for a
	// program that ran and answered.
	Trouble string
}

// Limits bound the time Check gives a program, so that one that loops or
// never starts holds up neither the learner nor a class being graded.
type Limits struct {
	Start   time.Duration // to print its " * Running on" line: 30 seconds if zero
	Request time.Duration // to answer each request: 10 seconds if zero
	Total   time.Duration // for the whole check, the build included: 3 minutes if zero
}

// withDefaults fills in the limits left at zero.
func (l Limits) withDefaults() Limits {
	if l.Start == 0 {
		l.Start = 30 * time.Second
	}
	if l.Request == 0 {
		l.Request = 10 * time.Second
	}
	if l.Total == 0 {
		l.Total = 3 * time.Minute
	}
	return l
}

// Check builds dir/main.go into the folder work, runs it as go run main.go
// does (no SECRET_KEY: debug mode), and checks the lesson's stages. An error
// means the check itself could not run.
func Check(dir, work string) (Result, error) {
	return CheckWithin(context.Background(), dir, work, Limits{})
}

// CheckWithin is Check within limits: a program that does not answer in time
// is stopped, and the result says so. When ctx is done, the check stops its
// program and returns ctx's error.
func CheckWithin(ctx context.Context, dir, work string, limits Limits) (Result, error) {
	limits = limits.withDefaults()
	timed, cancel := context.WithTimeout(ctx, limits.Total)
	defer cancel()
	r, err := check(ctx, timed, dir, work, limits)
	if ctx.Err() != nil {
		return Result{}, ctx.Err() // the caller stopped the check: what it found means nothing
	}
	return r, err
}

// check does CheckWithin's work: stop is done when the caller stops the
// check, ctx also when the check's time is up.
func check(stop, ctx context.Context, dir, work string, limits Limits) (Result, error) {
	// The files a learner changes are read here, though go build and the
	// program read them too: go test keeps a test's result until a file the
	// test itself opened changes, and main.go, a //go:build ignore file, is
	// no file of the package. Without this, go test -run TestMyWork shows the
	// last result again after a save, marked (cached).
	for _, name := range []string{"main.go", "index.html", "style.css"} {
		os.ReadFile(filepath.Join(dir, name))
	}
	bin, said, err := program.BuildContext(ctx, dir, work)
	if said != "" && ctx.Err() == nil {
		return notCompiled(dir, said), nil
	}
	if err != nil {
		if ctx.Err() != nil {
			return Result{}, fmt.Errorf("go build main.go took more than %v", limits.Total)
		}
		return Result{}, err
	}
	deadline, _ := ctx.Deadline()
	p, err := program.Start([]string{bin, "-addr", "127.0.0.1:0"}, program.Options{Dir: dir, TempDir: work,
		Env: []string{"SECRET_KEY="}, Wait: min(limits.Start, time.Until(deadline)), Context: stop})
	if started := (*program.StartError)(nil); errors.As(err, &started) {
		return notStarted(dir, started), nil
	}
	if err != nil {
		return Result{}, err
	}
	c := &checker{p: p, ctx: ctx, request: limits.Request}
	defer func() {
		if c.gaveUp != "" {
			p.KillAll() // it is still busy with the request that got no answer
		}
		p.Stop()
	}()
	stages := c.stages()
	if c.gaveUpAt == 1 {
		return noAnswer(dir, c.gaveUp), nil
	}
	r := Result{Stages: stages, Report: Report(stages)}
	for _, s := range r.Stages {
		if s.Verdict == Wrong {
			r.Problems = append(r.Problems, fmt.Sprintf("%s %s is WRONG (see above): read %s.", s.Section, s.Title, s.Where()))
		}
	}
	var trouble []string
	if c.gaveUp != "" {
		trouble = append(trouble, "stopped answering: "+c.gaveUp)
	}
	if _, after, ok := strings.Cut(p.Terminal(), " * The program stopped by itself ("); ok {
		how, _, _ := strings.Cut(after, ")")
		trouble = append(trouble, "stopped by itself during the check ("+how+")")
	} else if p.Exited(100 * time.Millisecond) {
		trouble = append(trouble, "ended during the check ("+p.ExitError().Error()+")")
	}
	if p.Flooded() {
		trouble = append(trouble, "printed more than 4 MB")
	}
	r.Trouble = strings.Join(trouble, "; ")
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
		"docs/troubleshooting.md explains the messages Go gives most often.\n", main, said, where)
	first, _, _ := strings.Cut(said, "\n")
	return Result{Report: report, Problems: []string{main + " does not compile: see Go's message above"},
		Trouble: "does not compile: " + first}
}

// notStarted is the Result for a program that ended, or printed no
// " * Running on" line in time, so that no browser could reach it.
func notStarted(dir string, e *program.StartError) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	var what, trouble string
	if e.Ended {
		what = fmt.Sprintf("The program of %s ended (%s) before it started its server.", main, e.State)
		trouble = "ended before it listened: " + e.State
	} else {
		what = fmt.Sprintf("The program of %s printed no \" * Running on\" line within %v, so it was stopped.", main, e.Wait)
		trouble = fmt.Sprintf("never listened: no \" * Running on\" line within %v", e.Wait)
	}
	if e.Flooded {
		trouble += "; printed more than 4 MB"
	}
	report := what + " No stage can be checked. The end of what it printed:\n\n" + lastLines(e.Printed, 20) + "\n\n" +
		"main must end with devserver.Run, as the starter's does. Mend main.go, save, and run this test again.\n"
	return Result{Report: report, Problems: []string{main + " never started its server: see above"}, Trouble: trouble}
}

// noAnswer is the Result for a program that did not answer a first visit.
func noAnswer(dir, why string) Result {
	main := filepath.ToSlash(filepath.Join(dir, "main.go"))
	report := fmt.Sprintf("The program of %s started, but a first visit got no answer: %s.\n"+
		"So no stage can be checked, and the program was stopped.\n"+
		"A loop in index that never ends does this. Mend main.go, save, and run this test again.\n", main, why)
	return Result{Report: report, Problems: []string{main + " did not answer: see above"}, Trouble: "does not answer: " + why}
}

// lastLines returns the last n lines of text, at most 4 KB of them.
func lastLines(text string, n int) string {
	text = strings.TrimRight(text, "\n")
	if len(text) > 4<<10 {
		text = "..." + text[len(text)-4<<10:]
	}
	lines := strings.Split(text, "\n")
	if len(lines) > n {
		lines = append([]string{"..."}, lines[len(lines)-n:]...)
	}
	return strings.Join(lines, "\n")
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
			if s.Note != "" {
				fmt.Fprintf(&b, "%-8s %s\n", "", s.Note)
			}
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

// checker visits a running program as the check's browsers, each request
// within its time. Once a request got no answer in time, it sends no more:
// the program is busy with the last one, and each further request would
// only wait as long again.
type checker struct {
	p        *program.Program
	ctx      context.Context // done when the whole check's time is up
	request  time.Duration   // each request's time
	requests int             // how many were sent
	gaveUp   string          // why no more are sent, or ""
	gaveUpAt int             // the number of the request that got no answer
}

// browser is one browser of the check. A request that fails (the program
// stopped, or did not answer in time) gives a page with status 0 and the
// reason as its body, which the stages report as what they saw.
type browser struct {
	*program.Browser
	c *checker
}

// newBrowser returns a new browser, with no cookies yet.
func (c *checker) newBrowser() browser {
	b := c.p.Browser()
	b.Client.Timeout = c.request
	b.Context = c.ctx
	return browser{b, c}
}

// send sends one request, unless the program stopped answering.
func (b browser) send(request func() (program.Page, error)) program.Page {
	c := b.c
	if c.gaveUp != "" {
		return program.Page{Body: "not sent, since the program had stopped answering"}
	}
	c.requests++
	p, err := request()
	if err == nil {
		return p
	}
	var timeout net.Error
	switch {
	case c.ctx.Err() != nil:
		c.gaveUp = "the check's time ran out"
	case errors.As(err, &timeout) && timeout.Timeout():
		c.gaveUp = fmt.Sprintf("nothing came back within %v; does index loop forever?", c.request)
	default:
		return program.Page{Body: err.Error()}
	}
	c.gaveUpAt = c.requests
	return program.Page{Body: c.gaveUp}
}

func (b browser) get() program.Page {
	return b.send(func() (program.Page, error) { return b.Get("/") })
}

// post sends form with the field new_item set to item.
func (b browser) post(form url.Values, item string) program.Page {
	form = maps.Clone(form)
	form.Set("new_item", item)
	return b.send(func() (program.Page, error) { return b.Post("/", form) })
}

// lessonForm is what the lesson's forms send besides the new item, when a
// page has no form to read it from: the finished page's button sends
// submit_action=add, the starter's sends nothing, and a program that reads
// neither is not bothered by it.
var lessonForm = url.Values{"submit_action": {"add"}}

// Stages visits the running program p as new browsers would and returns the
// lesson's stages in order: 23.5.2, 23.5.3, and 23.6's two parts.
func Stages(p *program.Program) []Stage {
	c := &checker{p: p, ctx: context.Background(), request: 10 * time.Second}
	return c.stages()
}

// stages is Stages, with c's browsers.
func (c *checker) stages() []Stage {
	saved := Stage{Section: "23.5.2", Title: "Save Session Data", Reread: readSave}
	shown := Stage{Section: "23.5.3", Title: "Access Session Data", Reread: readAccess}
	added := Stage{Section: "23.6", Title: "Add Form Entries to the List", Reread: readAdd}
	unique := Stage{Section: "23.6", Title: "Avoid Duplicate Entries", Reread: readDuplicates}

	// 23.5.2: a first visit stores a list in the session cookie.
	first := c.newBrowser()
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
	// same item in other letters is not added a second time. The form is
	// sent as the page's own form sends it, or as the lesson's forms do.
	b := c.newBrowser()
	form, ok := addForm(b.get().Body)
	if !ok {
		form = lessonForm
	}
	posted := b.post(form, "tea")
	_, afterPost, _ := storedList(b)
	reloaded := b.get()
	_, afterReload, _ := storedList(b)
	switch {
	case posted.Status != 200 && page.Status == 200: // a page that always fails is 23.5.3's
		added.Verdict, added.Saw, added.Want = Wrong, "adding tea gets "+failure(posted), "the page, with tea in the list"
	case count(afterPost, "tea") == 0 && form.Get("submit_action") != "add" && c.addsWith(lessonForm):
		added.Verdict, added.Reread = Wrong, readFinished
		added.Saw = "an item sent with the page's form does not reach the list, but it does with submit_action=add, which the page's Add Item button does not send"
		added.Want = `the button to send it, as the finished page's does: <button name="submit_action" value="add">Add Item</button>`
	case count(afterPost, "tea") == 0:
		added.Verdict, added.Saw = NotYet, "an item sent with the form does not reach the list yet"
	case count(afterReload, "tea") == 0:
		added.Verdict, added.Saw = Wrong, fmt.Sprintf("tea was added (%s), then lost when the page was reloaded (%s)", goList(afterPost), goList(afterReload))
		added.Want = `the list to keep its items: the GET branch stores the empty list only when there is none yet (if _, ok := session["groceries"]; !ok)`
		if afterReload != nil {
			added.Note = fmt.Sprintf("the Flask lesson's page empties the list on every visit too, for now: %s, says why this project's code keeps it", added.Where())
		}
	default:
		added.Verdict, added.Saw = Done, fmt.Sprintf("tea was added and is still there after a reload: %s", goList(afterReload))
	}
	if added.Verdict != Done {
		unique.Verdict, unique.Saw = NotYet, "comes after adding form entries"
	} else {
		// TEA after tea must leave one. When it makes two, the item as the
		// list holds it (tea, or Tea) is sent once more: a list that keeps
		// it once has the duplicate check, and a Tea shows title case.
		stored := afterPost[slices.IndexFunc(afterPost, func(x string) bool { return strings.EqualFold(x, "tea") })]
		titled := stored == "Tea"
		again := b.post(form, "TEA")
		_, afterAgain, _ := storedList(b)
		n := count(afterAgain, "tea")
		var same program.Page
		var afterSame []string
		if again.Status == 200 && n > 1 {
			same = b.post(form, stored)
			_, afterSame, _ = storedList(b)
		}
		checked := exactly(afterSame, stored) == exactly(afterAgain, stored)
		twice := fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(afterAgain))
		switch {
		case again.Status != 200:
			unique.Verdict, unique.Saw, unique.Want = Wrong, "adding TEA after tea gets "+failure(again), "the page, with Tea in the list once"
		case n == 1:
			unique.Verdict, unique.Saw = Done, fmt.Sprintf("TEA after tea leaves one: %s", goList(afterAgain))
		case n == 0:
			unique.Verdict, unique.Saw = Wrong, fmt.Sprintf("TEA after tea leaves none: %s", goList(afterAgain))
			unique.Want = "Tea once: title-case the new item first, then add it only if the list does not contain it yet"
		case same.Status != 200:
			unique.Verdict, unique.Saw, unique.Want = Wrong, fmt.Sprintf("adding %s a second time gets %s", stored, failure(same)), "the page, with Tea in the list once"
		case titled && checked:
			unique.Verdict, unique.Saw = Wrong, twice
			unique.Want = "Tea once: title-case the new item first, then add it only if the list does not contain it yet"
		case titled:
			unique.Verdict, unique.Saw = NotYet, "half done: tea became Tea, but "+twice+"; the slices.Contains check comes next"
		case checked:
			unique.Verdict, unique.Saw = NotYet, fmt.Sprintf("half done: %s sent twice stays one, but %s; title case comes next", stored, twice)
		default:
			unique.Verdict, unique.Saw = NotYet, twice
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

// addsWith tells whether a new browser that sends form with an item gets
// the item into its list.
func (c *checker) addsWith(form url.Values) bool {
	b := c.newBrowser()
	b.get()
	b.post(form, "tea")
	_, list, _ := storedList(b)
	return count(list, "tea") > 0
}

// addForm reads, from a page, what its add form (the <form> that holds the
// field new_item) sends besides the new item, as a browser sends it when Add
// Item is clicked or Enter pressed: its other fields, and the name and
// value of its first button, when that has a name. ok is false when the
// page has no such form.
func addForm(page string) (form url.Values, ok bool) {
	for _, f := range formPattern.FindAllStringSubmatch(page, -1) {
		form, ok, clicked := url.Values{}, false, false
		for _, field := range fieldPattern.FindAllStringSubmatch(f[1], -1) {
			tag, attrs := strings.ToLower(field[1]), attributes(field[2])
			name, kind := attrs["name"], strings.ToLower(attrs["type"])
			switch {
			case name == "new_item":
				ok = true
			case tag == "button" && (kind == "" || kind == "submit"), tag == "input" && kind == "submit":
				if !clicked && name != "" {
					form.Set(name, attrs["value"])
				}
				clicked = true
			case name == "" || tag == "button" || kind == "button" || kind == "reset" || kind == "image" || kind == "file":
			case kind == "checkbox" || kind == "radio":
				if _, checked := attrs["checked"]; checked {
					form.Add(name, cmp.Or(attrs["value"], "on"))
				}
			default: // hidden, text, and the like
				form.Add(name, attrs["value"])
			}
		}
		if ok {
			return form, true
		}
	}
	return nil, false
}

var (
	formPattern      = regexp.MustCompile(`(?is)<form\b[^>]*>(.*?)</form>`)
	fieldPattern     = regexp.MustCompile(`(?is)<(input|button|textarea|select)\b([^>]*)>`)
	attributePattern = regexp.MustCompile(`([^\s=/>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+)))?`)
)

// attributes reads a tag's attributes, names in lower case.
func attributes(text string) map[string]string {
	attrs := map[string]string{}
	for _, m := range attributePattern.FindAllStringSubmatch(text, -1) {
		attrs[strings.ToLower(m[1])] = html.UnescapeString(m[2] + m[3] + m[4])
	}
	return attrs
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
	if list, ok := asList(s["groceries"]); ok {
		return "groceries", list, ""
	}
	for _, k := range slices.Sorted(maps.Keys(s)) {
		if list, ok := asList(s[k]); ok {
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

// asList returns v as a list of strings when a browser sees one: a
// []string, or a []any whose items are all strings, which {{range}} shows
// and append grows alike.
func asList(v any) ([]string, bool) {
	switch v := v.(type) {
	case []string:
		return v, true
	case []any:
		list := []string{}
		for _, item := range v {
			s, ok := item.(string)
			if !ok {
				return nil, false
			}
			list = append(list, s)
		}
		return list, true
	}
	return nil, false
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

// exactly counts the items of list that are item, letter for letter.
func exactly(list []string, item string) int {
	n := 0
	for _, x := range list {
		if x == item {
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
