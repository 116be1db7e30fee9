package mywork

import (
	"context"
	"fmt"
	"html"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/sessions"
)

// app is a lesson app for the check's unit tests: a handler in this test's
// memory that does what a learner's main.go and index.html do at some point
// of the lesson, right or wrong. Its zero value is the untouched starter.
type app struct {
	key       string // the list's name in the session: "" stores no list at all
	first     []string
	everyGET  bool   // GET stores the first list every time, as the lesson's page does in 23.6
	reads     string // the field the POST branch reads; "" for the starter's pass
	noStore   bool   // POST appends, but does not store the list back
	shared    bool   // the list lives in a variable of the program, copied into the session
	title     bool   // the new item is title-cased
	unique    bool   // an item already there is not added again
	before    bool   // the duplicate check comes before title case
	dropGET   bool   // a GET after the first deletes the list
	anyList   bool   // the list is stored as a []any
	action    bool   // POST adds only with submit_action=add, as the finished code does
	failPOST  bool   // POST answers 500
	failGET   int    // GET answers this status, when set
	stored    any    // stored instead of a list, when set
	noList    bool   // the page still says "Nothing here yet...", as before 23.5.3
	placehold bool   // the page shows the list as the placeholder, {{.session.groceries}}
	field     string // the text box's name: "new_item" when "", none when "-"
	formTag   string // the form's own tag: <form method="POST"> when ""
	form      string // more markup inside the form, and its button: `<button>Add Item</button>` when ""
	list      string // the list's element: "ul" when ""
	item      string // each item's markup, %s for the item: "<li>%s</li>" when ""
}

// serve runs a on a server of its own, for the test's time.
func (a app) serve(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(a.handler())
	t.Cleanup(srv.Close)
	return srv.URL
}

// handler is the app, with its sessions.
func (a app) handler() http.Handler {
	m, err := sessions.New(sessions.Config{SecretKey: "the check's unit tests"})
	if err != nil {
		panic(err)
	}
	var mu sync.Mutex
	global := append([]string{}, a.first...)
	return m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		s := sessions.From(r)
		if a.shared {
			s[a.key] = global
		}
		switch {
		case r.URL.Path != "/":
			http.NotFound(w, r)
			return
		case r.Method == http.MethodPost && a.failPOST:
			http.Error(w, "panic: the POST branch", http.StatusInternalServerError)
			return
		case r.Method == http.MethodPost && a.reads != "":
			a.add(s, r)
		case r.Method == http.MethodGet && a.failGET != 0:
			http.Error(w, "template: index.html:26: bad character U+005B '['", a.failGET)
			return
		case r.Method == http.MethodGet && a.stored != nil:
			s[a.key] = a.stored
		case r.Method == http.MethodGet && a.dropGET && s[a.key] != nil:
			delete(s, a.key)
		case r.Method == http.MethodGet && a.key != "":
			if _, ok := s[a.key]; !ok || a.everyGET {
				s[a.key] = append([]string{}, a.first...)
			}
		}
		if a.shared {
			global, _ = s[a.key].([]string)
		}
		list, ok := s[a.key].([]string)
		if items, isAny := s[a.key].([]any); isAny {
			for _, x := range items {
				list = append(list, x.(string))
			}
		} else if !ok {
			list = nil
		}
		fmt.Fprint(w, a.page(list))
	}))
}

// add is the POST branch: it reads the item and adds it to the list.
func (a app) add(s sessions.Session, r *http.Request) {
	if a.action && r.PostFormValue("submit_action") != "add" {
		return
	}
	item := r.PostFormValue(a.reads)
	list, _ := s[a.key].([]string)
	if a.before && slices.Contains(list, item) {
		return
	}
	if a.title {
		item = strings.ToUpper(item[:min(1, len(item))]) + strings.ToLower(item[min(1, len(item)):])
	}
	if a.unique && slices.Contains(list, item) {
		return
	}
	list = append(list, item)
	switch {
	case a.noStore:
	case a.anyList:
		var items []any
		for _, x := range list {
			items = append(items, x)
		}
		s[a.key] = items
	default:
		s[a.key] = list
	}
}

// page is index.html, as the app renders it.
func (a app) page(list []string) string {
	form, tag, item := cmpOr(a.form, "<button>Add Item</button>"), cmpOr(a.list, "ul"), cmpOr(a.item, "<li>%s</li>")
	name := fmt.Sprintf(" name=%q", cmpOr(a.field, "new_item"))
	if a.field == "-" {
		name = ""
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<!DOCTYPE html><html lang="en"><head><title>Session Practice</title></head><body>
%s<label>New List Item: <input type="text"%s required></label> %s</form>
<h2>List Items:</h2>`, cmpOr(a.formTag, `<form method="POST">`), name, form)
	switch {
	case (a.key == "" || a.noList) && !a.placehold:
		b.WriteString("<p>Nothing here yet...</p>")
	case a.placehold:
		fmt.Fprintf(&b, "<p>%s</p>", html.EscapeString(fmt.Sprint(list)))
	default:
		fmt.Fprintf(&b, "<%s>\n", tag)
		for _, x := range list {
			fmt.Fprintf(&b, item+"\n", html.EscapeString(x))
		}
		fmt.Fprintf(&b, "</%s>", tag)
	}
	b.WriteString("</body></html>")
	return b.String()
}

func cmpOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// checkerFor returns a checker of the app at url, with main.go's reading
// of the form as main says (nil: no main.go to read).
func checkerFor(url string, main *mainSource) *checker {
	return &checker{url: url, ctx: context.Background(), request: 5 * time.Second, main: main}
}

// verdicts returns the stages' verdicts, in order.
func verdicts(stages []Stage) []Verdict {
	var v []Verdict
	for _, s := range stages {
		v = append(v, s.Verdict)
	}
	return v
}
