package mywork

import (
	"fmt"
	"net/http"
	"slices"
	"strings"

	"example.com/sessions/internal/program"
)

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
		if s.Note != "" {
			fmt.Fprintf(&b, "%-8s %s\n", "", s.Note)
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

// failure describes an error page by its status and the first line that
// says what went wrong, such as
// status 500: "template: index.html:26: bad character U+005B '['".
// When the folder has no index.html, the server's message about it, which
// names a folder the learner never made, gives way to a plain one.
func (c *checker) failure(p program.Page) string {
	if c.noPage && p.Status == http.StatusInternalServerError {
		return fmt.Sprintf("status %d: %s", p.Status, missingPage)
	}
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

// missingPage is what a failing page is said to be when the folder has no
// index.html.
const missingPage = "index.html is missing from the folder of main.go"

// goList writes a list as Go prints it, with quotes: ["Milk" "Eggs"].
func goList(list []string) string {
	if list == nil {
		return "no list"
	}
	return fmt.Sprintf("%q", list)
}

// itemsText writes the items a page lists as a learner reads them, Milk,
// Eggs, with a blank item as "": a list of one blank item must not read as
// nothing at all.
func itemsText(items []string) string {
	shown := make([]string, len(items))
	for i, item := range items {
		shown[i] = item
		if strings.TrimSpace(item) == "" {
			shown[i] = fmt.Sprintf("%q", item)
		}
	}
	return strings.Join(shown, ", ")
}
