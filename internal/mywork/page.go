package mywork

import (
	"net/url"
	"strings"

	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// This file reads a page as a browser does: golang.org/x/net/html parses it
// by the HTML standard's rules, as Chrome and Firefox do, so that markup the
// lesson never shows (an <ol>, <li class="movie">, a label around a
// checkbox, &#39; for an apostrophe) reads as the browser shows it.

// parse reads a page into its tree of elements. It never fails: a browser
// shows any text as some page, and so does the parser.
func parse(body string) *html.Node {
	doc, err := html.Parse(strings.NewReader(body))
	if err != nil { // only a failing reader makes an error, and a string's never fails
		return &html.Node{Type: html.DocumentNode}
	}
	return doc
}

// elements returns every element under n with the tag a, in page order.
func elements(n *html.Node, a atom.Atom) []*html.Node {
	var found []*html.Node
	for d := range n.Descendants() {
		if d.Type == html.ElementNode && d.DataAtom == a {
			found = append(found, d)
		}
	}
	return found
}

// attr returns the value of an element's attribute key, and whether it has
// one. The parser has already written names in lower case and decoded
// entities.
func attr(n *html.Node, key string) (string, bool) {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val, true
		}
	}
	return "", false
}

// text returns the words an element shows, as a browser lays them out:
// every piece of text inside it, whatever markup holds it, with runs of
// spaces and line ends made one space. A script or style shows nothing.
func text(n *html.Node) string {
	var b strings.Builder
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		switch {
		case n.Type == html.TextNode:
			b.WriteString(n.Data + " ")
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Style || n.DataAtom == atom.Template):
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(n)
	return strings.Join(strings.Fields(b.String()), " ")
}

// ListItems returns what each <li> of a page shows, in page order: the text
// a learner reads in the browser, whatever the item holds (a label, a
// checkbox, a span) or its list is (<ul> or <ol>).
func ListItems(body string) []string {
	var items []string
	for _, li := range elements(parse(body), atom.Li) {
		items = append(items, text(li))
	}
	return items
}

// hasList tells whether the page has a list, <ul> or <ol>, even an empty one.
func hasList(doc *html.Node) bool {
	return len(elements(doc, atom.Ul)) > 0 || len(elements(doc, atom.Ol)) > 0
}

// shows tells whether some element of the page shows exactly words, such as
// the placeholder's "[Milk Eggs]", and nothing else.
func shows(doc *html.Node, words string) bool {
	for d := range doc.Descendants() {
		if d.Type == html.ElementNode && d.FirstChild != nil && d.FirstChild == d.LastChild && text(d) == words {
			return true
		}
	}
	return false
}

// A pageForm is the page's form for adding an item, as a browser sends it
// when the learner types an item and clicks its first button (or presses
// Enter, which clicks the same).
type pageForm struct {
	// method is how it sends: "POST", or "GET" for a form without
	// method="POST", which sends its fields in the address instead.
	method string
	// action is the path it sends them to: "/" when it names none.
	action string
	// field is the name of the text box the item is typed into: new_item
	// in the lesson. It is "" when the text box has no name, so that the
	// browser sends no item at all.
	field string
	// others are the other fields it sends: hidden and text inputs with
	// their values, checked checkboxes and radio buttons, lists' chosen
	// options, text areas, and the name and value of the button clicked.
	others url.Values
}

// addForm finds the page's form for adding an item: the first <form> with a
// text box. ok is false when the page has none.
func addForm(body string) (f pageForm, ok bool) {
	for _, form := range elements(parse(body), atom.Form) {
		if box := textBox(form); box != nil {
			f.method, f.action = "GET", "/"
			if method, _ := attr(form, "method"); strings.EqualFold(method, "post") {
				f.method = "POST"
			}
			if action, _ := attr(form, "action"); action != "" {
				f.action = path(action)
			}
			f.field, _ = attr(box, "name")
			f.others = sent(form, box)
			return f, true
		}
	}
	return pageForm{}, false
}

// textBox returns the first field of form that a learner types a line into:
// an <input> of type text or search (or of no type, which is text), or a
// <textarea>. It returns nil when there is none.
func textBox(form *html.Node) *html.Node {
	for d := range form.Descendants() {
		if d.Type != html.ElementNode || isDisabled(d) {
			continue
		}
		kind, _ := attr(d, "type")
		kind = strings.ToLower(kind)
		if d.DataAtom == atom.Input && (kind == "" || kind == "text" || kind == "search") || d.DataAtom == atom.Textarea {
			return d
		}
	}
	return nil
}

// isDisabled tells whether a field is disabled, which a browser never sends.
func isDisabled(n *html.Node) bool {
	_, disabled := attr(n, "disabled")
	return disabled
}

// sent returns what form sends besides the text box box, as the HTML
// standard builds a form's data set: each named field that is not disabled,
// and of the buttons only the one clicked, the form's first.
func sent(form, box *html.Node) url.Values {
	values, clicked := url.Values{}, false
	for d := range form.Descendants() {
		if d.Type != html.ElementNode || d == box || isDisabled(d) {
			continue
		}
		name, _ := attr(d, "name")
		value, hasValue := attr(d, "value")
		kind, _ := attr(d, "type")
		kind = strings.ToLower(kind)
		switch {
		case isButton(d, kind):
			if !clicked && name != "" {
				values.Add(name, value)
			}
			clicked = true
		case name == "":
		case d.DataAtom == atom.Input && (kind == "checkbox" || kind == "radio"):
			if _, checked := attr(d, "checked"); checked {
				if !hasValue {
					value = "on"
				}
				values.Add(name, value)
			}
		case d.DataAtom == atom.Input && (kind == "button" || kind == "reset" || kind == "file"):
		case d.DataAtom == atom.Input:
			values.Add(name, value) // hidden, text, number and the like
		case d.DataAtom == atom.Textarea:
			values.Add(name, text(d))
		case d.DataAtom == atom.Select:
			if chosen := option(d); chosen != nil {
				v, ok := attr(chosen, "value")
				if !ok {
					v = text(chosen)
				}
				values.Add(name, v)
			}
		}
	}
	return values
}

// isButton tells whether an element submits its form when clicked: a
// <button> of type submit (or of no type), or an <input> of type submit or
// image.
func isButton(n *html.Node, kind string) bool {
	if n.DataAtom == atom.Button {
		return kind == "" || kind == "submit"
	}
	return n.DataAtom == atom.Input && (kind == "submit" || kind == "image")
}

// option returns the option a <select> sends: the one marked selected, or
// else its first; nil when it has none.
func option(sel *html.Node) *html.Node {
	options := elements(sel, atom.Option)
	for _, o := range options {
		if _, selected := attr(o, "selected"); selected {
			return o
		}
	}
	if len(options) == 0 {
		return nil
	}
	return options[0]
}

// path returns the path a form's action sends to, from the page at "/":
// "add" and "/add" are both "/add". An action on another site keeps its
// path only: the check visits the learner's program alone.
func path(action string) string {
	u, err := url.Parse(action)
	if err != nil {
		return "/"
	}
	return (&url.URL{Path: "/"}).ResolveReference(&url.URL{Path: u.Path, RawQuery: u.RawQuery}).String()
}
