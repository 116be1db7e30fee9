package mywork

import (
	"context"
	"fmt"
	"html"
	"net/url"
	"slices"
	"strings"
	"time"

	"example.com/sessions/internal/program"
)

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
