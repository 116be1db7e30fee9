package mywork

import (
	"fmt"
	"slices"
	"strings"
)

// duplicatesStage judges 23.6's second part, in a browser of its own: TEA
// right after tea must leave one. When it makes two, the item as the list
// holds it (tea, or Tea) is sent once more: a list that keeps it once has
// the duplicate check, and a Tea shows title case. Its own browser keeps it
// apart from how a reload treats the list: the lesson's page empties it.
func (c *checker) duplicatesStage(form pageForm) Stage {
	s := Stage{Section: "23.6", Title: "Avoid Duplicate Entries", Reread: readDuplicates}
	b := c.newBrowser()
	b.get()
	tea := b.post(form, "tea")
	at := slices.IndexFunc(tea.list, func(x string) bool { return strings.EqualFold(x, "tea") })
	if at < 0 {
		s.Verdict, s.Saw, s.Want = Wrong, "adding tea a second time, in a new browser, gets "+c.failure(tea.page), "the page, with tea in the list"
		return s
	}
	stored := tea.list[at]
	again := b.post(form, "TEA")
	n := count(again.list, "tea")
	var same visit
	if again.page.Status == 200 && n > 1 {
		same = b.post(form, stored)
	}
	checked := exactly(same.list, stored) == exactly(again.list, stored)
	twice := fmt.Sprintf("TEA after tea makes %d of them: %s", n, goList(again.list))
	const want = "Tea once: title-case the new item first, then add it only if the list does not contain it yet"
	switch {
	case again.page.Status != 200:
		s.Verdict, s.Saw, s.Want = Wrong, "adding TEA after tea gets "+c.failure(again.page), "the page, with Tea in the list once"
	case n == 1:
		s.Verdict, s.Saw = Done, fmt.Sprintf("TEA after tea leaves one: %s", goList(again.list))
	case n == 0:
		s.Verdict, s.Saw, s.Want = Wrong, fmt.Sprintf("TEA after tea leaves none: %s", goList(again.list)), want
	case same.page.Status != 200:
		s.Verdict, s.Saw, s.Want = Wrong, fmt.Sprintf("adding %s a second time gets %s", stored, c.failure(same.page)), "the page, with Tea in the list once"
	case stored == "Tea" && checked:
		s.Verdict, s.Saw, s.Want = Wrong, twice, want
	case stored == "Tea":
		s.Verdict, s.Saw = NotYet, "half done: tea became Tea, but "+twice+"; the slices.Contains check comes next"
	case checked:
		s.Verdict, s.Saw = NotYet, fmt.Sprintf("half done: %s sent twice stays one, but %s; title case comes next", stored, twice)
	default:
		s.Verdict, s.Saw = NotYet, twice
	}
	return s
}
