package mywork

import (
	"cmp"
	"fmt"
	"strings"
)

// adding is what the check's browsers saw while adding items in 23.6. Two
// browsers add at once, each its own item, and a third comes after them:
// each must see only its own list, since the list lives in its session.
// "At once" is one browser's request, then the other's, in a fixed order:
// requests sent at the same moment would let a list kept in the program
// pass or fail by chance, and a verdict must be the same every run.
type adding struct {
	form     pageForm // the page's form, as the first browser sent it
	before   visit    // the first browser's first visit
	posted   visit    // after it added tea
	reloaded visit    // after it reloaded the page
	other    visit    // a second browser, after it added jam while the first added tea
	fresh    visit    // a third browser's first visit, after both added
}

// tryAdding adds tea in one browser and jam in another, each visiting the
// page first, then reloads the first, then visits with a third. The form is
// sent as the page's own form sends it, or as the lesson's forms do when the
// page has none.
func (c *checker) tryAdding() adding {
	var a adding
	b, other := c.newBrowser(), c.newBrowser()
	a.before = b.get()
	var ok bool
	if a.form, ok = addForm(a.before.page.Body); !ok {
		a.form = lessonForm
	}
	other.get()
	a.posted = b.post(a.form, "tea")
	a.other = other.post(a.form, "jam")
	a.reloaded = b.get()
	a.fresh = c.newBrowser().get()
	return a
}

// addStage judges 23.6's first part: a posted item goes into the list, and
// stays after a reload, in that browser's session only.
func (c *checker) addStage(first visit, a adding) Stage {
	s := Stage{Section: "23.6", Title: "Add Form Entries to the List", Reread: readAdd}
	lost := fmt.Sprintf("tea was added (%s), then lost when the page was reloaded (%s)", goList(a.posted.list), goList(a.reloaded.list))
	switch {
	case a.posted.page.Status != 200 && first.page.Status == 200: // a page that always fails is 23.5.3's
		s.Verdict, s.Saw, s.Want = Wrong, "adding tea gets "+c.failure(a.posted.page), "the page, with tea in the list"
	case count(a.posted.list, "tea") == 0:
		c.notAdded(&s, a)
	case shared(a) != "":
		s.Verdict, s.Saw = Wrong, shared(a)
		s.Want = fmt.Sprintf(`each browser its own list: the list lives in the session, session[%q], not in a variable of the program`, cmp.Or(a.posted.key, "groceries"))
	case a.reloaded.list != nil && len(a.reloaded.list) == 0:
		// The lesson's own page stores [] on every GET, for now.
		s.Verdict, s.Saw = Done, fmt.Sprintf("tea was added (%s); a reload empties the list (%s), as the lesson's page does", goList(a.posted.list), goList(a.reloaded.list))
		s.Note = fmt.Sprintf("the finished code keeps the list on a reload: see %s", s.Where())
	case count(a.reloaded.list, "tea") == 0:
		s.Verdict, s.Saw = Wrong, lost
		s.Want = `the list to keep its items: the GET branch stores the empty list only when there is none yet (if _, ok := session["groceries"]; !ok)`
	default:
		s.Verdict, s.Saw = Done, fmt.Sprintf("tea was added and is still there after a reload: %s", goList(a.reloaded.list))
	}
	return s
}

// shared says how one browser saw another's item, or returns "": a list
// kept in a variable of the program, not in the session, is every
// browser's at once.
func shared(a adding) string {
	switch {
	case count(a.fresh.list, "tea") > 0:
		return fmt.Sprintf("a new browser, with no cookie, sees the tea another browser added: %s; every browser shares one list", goList(a.fresh.list))
	case count(a.other.list, "tea") > 0:
		return fmt.Sprintf("a second browser that added jam sees the first one's tea too: %s; every browser shares one list", goList(a.other.list))
	case count(a.reloaded.list, "jam") > 0:
		return fmt.Sprintf("the browser that added tea sees the jam another browser added: %s; every browser shares one list", goList(a.reloaded.list))
	}
	return ""
}

// notAdded judges an add that put no tea in the list: not started yet, or
// tried and wrong in one of the ways a browser can tell apart.
func (c *checker) notAdded(s *Stage, a adding) {
	blank := len(a.posted.list) > len(a.before.list) && count(a.posted.list, "") > count(a.before.list, "")
	switch {
	case a.form.method == "GET":
		s.Verdict, s.Saw = Wrong, "the page's form sends the item in the address, as a GET, so the POST branch never gets it"
		s.Want = `the form to post it: <form method="POST">, as the starter's has it`
	case c.namesDiffer(a.form) != "":
		s.Verdict, s.Saw = Wrong, c.namesDiffer(a.form)
		s.Want = `one name for the item in both files: the text box's name="new_item" in index.html, and r.PostFormValue("new_item") in main.go`
	case a.form.others.Get("submit_action") != "add" && c.addsWith(pageForm{method: "POST", action: a.form.action, field: a.form.field, others: lessonForm.others}):
		s.Verdict, s.Reread = Wrong, readFinished
		s.Saw = "an item sent with the page's form does not reach the list, but it does with submit_action=add, which the page's Add Item button does not send"
		s.Want = `the button to send it, as the finished page's does: <button name="submit_action" value="add">Add Item</button>`
	case blank:
		s.Verdict, s.Saw = Wrong, fmt.Sprintf("adding tea stored an empty item: %s", goList(a.posted.list))
		s.Want = `the item the form sends: newItem := r.PostFormValue("new_item"), with the text box's name`
	case c.main != nil && c.main.reads && a.posted.page.Status == 200:
		s.Verdict, s.Saw = Wrong, fmt.Sprintf("main.go reads the form, but adding tea leaves the list as it was: %s", goList(a.posted.list))
		s.Want = fmt.Sprintf("the longer list stored back in the session after append: session[%q] = currentList", cmp.Or(a.posted.key, "groceries"))
	default:
		s.Verdict, s.Saw = NotYet, "an item sent with the form does not reach the list yet"
	}
}

// namesDiffer says which names the page's form and main.go disagree on,
// when the item got lost between them, or returns "". With main.go to
// read, the names come from it; without, a browser that sends new_item
// tells whether main.go reads that name.
func (c *checker) namesDiffer(form pageForm) string {
	sends := fmt.Sprintf("the page's form sends the item as %q", form.field)
	if form.field == "" {
		sends = "the page's text box has no name, so the form sends no item"
	}
	if c.main != nil {
		var reads []string
		for _, name := range c.main.fields {
			if name != "submit_action" && name != "del_items" {
				reads = append(reads, fmt.Sprintf("%q", name))
			}
		}
		if len(reads) == 0 || strings.Contains(strings.Join(reads, " "), fmt.Sprintf("%q", form.field)) {
			return ""
		}
		return fmt.Sprintf("%s, but main.go reads %s", sends, strings.Join(reads, " and "))
	}
	if form.field == "new_item" || !c.addsWith(pageForm{method: form.method, action: form.action, field: "new_item", others: form.others}) {
		return ""
	}
	return sends + ", but main.go reads \"new_item\""
}

// addsWith tells whether a new browser that sends form with an item gets
// the item into its list.
func (c *checker) addsWith(form pageForm) bool {
	b := c.newBrowser()
	b.get()
	return count(b.post(form, "tea").list, "tea") > 0
}
