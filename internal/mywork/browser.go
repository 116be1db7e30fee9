package mywork

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"net"
	"net/url"
	"slices"
	"strings"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/program"
)

// checker visits a running program as the check's browsers, each request
// within its time. Once a request got no answer in time, it sends no more:
// the program is busy with the last one, and each further request would
// only wait as long again.
type checker struct {
	url      string          // the program's address
	ctx      context.Context // done when the whole check's time is up
	request  time.Duration   // each request's time
	requests int             // how many were sent
	gaveUp   string          // why no more are sent, or ""
	gaveUpAt int             // the number of the request that got no answer
	// main is what main.go reads from a form, or nil when the check has no
	// main.go to read (Stages, given a running program).
	main *mainSource
	// noPage is set when the folder has no index.html, so that a failing
	// page is said to be its absence, not the server's long message.
	noPage bool
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
	b := program.NewBrowser(c.url)
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

// visit is what a browser saw after one request: the page, and the list its
// session cookie holds then.
type visit struct {
	page    program.Page
	key     string   // the list's name in the session, or ""
	list    []string // nil when there is none
	problem string   // what is wrong with the cookie, or ""
}

// seen returns the visit that got page.
func (b browser) seen(page program.Page) visit {
	key, list, problem := storedList(b)
	return visit{page, key, list, problem}
}

// get reloads the page, as the address bar does.
func (b browser) get() visit {
	return b.seen(b.send(func() (program.Page, error) { return b.Get("/") }))
}

// post sends form, as a browser does when item is typed into its text box
// and its button clicked.
func (b browser) post(form pageForm, item string) visit {
	values := maps.Clone(form.others)
	if values == nil {
		values = url.Values{}
	}
	if form.field != "" {
		values.Set(form.field, item)
	}
	if form.method == "GET" {
		return b.seen(b.send(func() (program.Page, error) { return b.Get(form.action + "?" + values.Encode()) }))
	}
	return b.seen(b.send(func() (program.Page, error) { return b.Post(cmp.Or(form.action, "/"), values) }))
}

// lessonForm is what the lesson's forms send, for a page that has no form
// to read: the item as new_item, and the finished page's button,
// submit_action=add, which a program that reads no such field is not
// bothered by.
var lessonForm = pageForm{method: "POST", action: "/", field: "new_item", others: url.Values{"submit_action": {"add"}}}

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
