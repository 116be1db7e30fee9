package mywork

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"example.com/sessions/internal/program"
)

// Stages visits the running program p as new browsers would and returns the
// lesson's stages in order: 23.5.2, 23.5.3, and 23.6's two parts.
func Stages(p *program.Program) []Stage {
	c := &checker{url: p.URL, ctx: context.Background(), request: 10 * time.Second}
	return c.stages()
}

// stages is Stages, with c's browsers. Each stage is judged by a function
// of its own, from what the browsers saw.
func (c *checker) stages() []Stage {
	first := c.newBrowser().get()
	saved := c.saveStage(first)
	tried := c.tryAdding()
	added := c.addStage(first, tried)
	unique := Stage{Section: "23.6", Title: "Avoid Duplicate Entries", Reread: readDuplicates,
		Verdict: NotYet, Saw: "comes after adding form entries"}
	if added.Verdict == Done {
		unique = c.duplicatesStage(tried.form)
	}
	shown := c.showStage(first, tried)
	stages := []Stage{saved, shown, added, unique}
	if c.noPage {
		for i, s := range stages {
			if s.Verdict == Wrong && strings.Contains(s.Saw, missingPage) {
				stages[i].Want = "index.html beside main.go, as the starter has it: git checkout index.html brings it back"
			}
		}
	}
	return stages
}

// saveStage judges 23.5.2: a first visit stores a list in the session cookie.
func (c *checker) saveStage(first visit) Stage {
	s := Stage{Section: "23.5.2", Title: "Save Session Data", Reread: readSave}
	switch {
	case first.problem != "":
		s.Verdict, s.Saw, s.Want = Wrong, first.problem, `a list of strings: session["groceries"] = []string{}`
	case first.key == "" && first.page.Status != 200:
		s.Verdict, s.Saw, s.Want = Wrong, "a first visit gets "+c.failure(first.page), "the page, with status 200, and a session cookie"
	case first.key == "":
		s.Verdict, s.Saw = NotYet, "a first visit stores no session cookie yet"
	default:
		s.Verdict, s.Saw = Done, fmt.Sprintf("a first visit stores the session cookie %s = %s", first.key, goList(first.list))
	}
	return s
}

// showStage judges 23.5.3: the page shows the list the cookie holds, one
// <li> per item. An empty list shows no items, so a page with items is
// checked when there is one: the first visit's (23.5.3's own Milk and
// Eggs), the reload after adding tea, or the page that added it.
func (c *checker) showStage(first visit, tried adding) Stage {
	s := Stage{Section: "23.5.3", Title: "Access Session Data", Reread: readAccess}
	seen := first
	switch {
	case len(first.list) > 0:
	case len(tried.reloaded.list) > 0:
		seen = tried.reloaded
	case len(tried.posted.list) > 0 && tried.posted.page.Status == 200:
		seen = tried.posted
	}
	s.Verdict, s.Saw, s.Want = c.showsList(seen.page, seen.list)
	if s.Verdict == Wrong && strings.Contains(s.Want, "<li>") {
		s.Reread = readDisplay
	}
	return s
}

// showsList judges the page of 23.5.3 against the list the cookie holds,
// as a browser shows the page.
func (c *checker) showsList(p program.Page, list []string) (Verdict, string, string) {
	placeholder := fmt.Sprint(list) // what {{.session.groceries}} prints
	doc := parse(p.Body)
	items := ListItems(p.Body)
	switch {
	case p.Status != 200:
		return Wrong, "the page gets " + c.failure(p), "the page, with the list"
	case len(list) > 0 && slices.Equal(items, list):
		return Done, "the page shows the list, one <li> per item: " + itemsText(items), ""
	case len(list) == 0 && hasList(doc) && len(items) == 0:
		return Done, "the page has its <ul>; the list is empty, so there are no items to check yet", ""
	case len(items) > 0:
		return Wrong, "the page lists " + itemsText(items),
			fmt.Sprintf("one <li> per item of the session's list, %s: {{range .session.groceries}} <li>{{.}}</li> {{end}}", goList(list))
	case shows(doc, placeholder):
		return NotYet, fmt.Sprintf("the page shows %s, the placeholder; the {{range}} loop of %q comes next", placeholder, readDisplay), ""
	case strings.Contains(text(doc), "Nothing here yet..."):
		return NotYet, `the page still says "Nothing here yet..."`, ""
	}
	return Wrong, "the page shows neither the list nor the placeholder",
		fmt.Sprintf("the list %s, first as {{.session.groceries}}, then with {{range}}", placeholder)
}
