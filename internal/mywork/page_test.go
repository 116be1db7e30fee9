package mywork

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
)

// TestListItems reads each <li> as a browser shows it, whatever it holds.
func TestListItems(t *testing.T) {
	cases := []struct {
		name, page string
		want       []string
	}{
		{"the lesson's <li>", "<ul>\n  <li>Milk</li>\n  <li>Eggs</li>\n</ul>", []string{"Milk", "Eggs"}},
		{"an <ol> of <li class>", `<ol><li class="movie">Alien</li><li class='movie'>Heat</li></ol>`, []string{"Alien", "Heat"}},
		{"the finished page's checkbox in a label", `<ul><li><label><input type="checkbox" name="del_items" value="Tea"> Tea</label></li></ul>`, []string{"Tea"}},
		{"spans and line ends", "<ul><li><span>Ben's</span>\n   <b>Tea</b></li></ul>", []string{"Ben's Tea"}},
		{"entities decoded", "<ul><li>Ben&#39;s Tea</li><li>Fish &amp; Chips</li><li>&lt;b&gt;</li></ul>", []string{"Ben's Tea", "Fish & Chips", "<b>"}},
		{"an <LI> in capitals, not closed", "<UL><LI>Milk<LI>Eggs</UL>", []string{"Milk", "Eggs"}},
		{"a script inside shows nothing", "<ul><li>Milk<script>var x = 1</script></li></ul>", []string{"Milk"}},
		{"an empty item", "<ul><li></li></ul>", []string{""}},
		{"no list", "<p>Nothing here yet...</p>", nil},
	}
	for _, c := range cases {
		if got := ListItems(c.page); !slices.Equal(got, c.want) {
			t.Errorf("%s: ListItems(%q) = %q, want %q", c.name, c.page, got, c.want)
		}
	}
}

// TestAddForm sends what the page's own form sends, as the HTML standard
// says a browser builds it.
func TestAddForm(t *testing.T) {
	const box = `<input type="text" name="new_item" required>`
	cases := []struct {
		name, page string
		field      string
		others     url.Values
		ok         bool
	}{
		{"the starter's form", `<form method="POST">` + box + `<button>Add Item</button></form>`, "new_item", url.Values{}, true},
		{"the finished page's button", `<form>` + box + `<button name="submit_action" value="add">Add Item</button></form>`,
			"new_item", url.Values{"submit_action": {"add"}}, true},
		{"hidden and text fields with their values", `<form>` + box + `<input type="hidden" name="submit_action" value="add">` +
			`<input name="list" value="groceries"><input type="text" name="who" value="Ben &amp; Jo"><button>Add</button></form>`,
			"new_item", url.Values{"submit_action": {"add"}, "list": {"groceries"}, "who": {"Ben & Jo"}}, true},
		{"only the first button is clicked", `<form>` + box + `<input type="submit" name="go" value="Add"><button name="submit_action" value="remove">Remove</button></form>`,
			"new_item", url.Values{"go": {"Add"}}, true},
		{"buttons that do not submit are not sent", `<form>` + box + `<button type="button" name="b" value="x">?</button><input type="reset" name="r"><button type="submit" name="s" value="1">Add</button></form>`,
			"new_item", url.Values{"s": {"1"}}, true},
		{"checkboxes: checked ones, with their value or on", `<form>` + box +
			`<input type="checkbox" name="urgent" value="yes" checked><input type="checkbox" name="cold" checked><input type="checkbox" name="no" value="n"><input type="radio" name="shop" value="b" checked></form>`,
			"new_item", url.Values{"urgent": {"yes"}, "cold": {"on"}, "shop": {"b"}}, true},
		{"lists and text areas", `<form>` + box + `<select name="aisle"><option>Dairy</option><option value="b" selected>Bakery</option></select>` +
			`<select name="first"><option>One</option></select><select name="none"></select><textarea name="note">Fresh</textarea></form>`,
			"new_item", url.Values{"aisle": {"b"}, "first": {"One"}, "note": {"Fresh"}}, true},
		{"disabled fields and nameless ones are not sent", `<form>` + box + `<input name="off" value="1" disabled><input value="nameless"><input type="file" name="f"></form>`,
			"new_item", url.Values{}, true},
		{"a field renamed", `<form><input name="item"><button>Add Item</button></form>`, "item", url.Values{}, true},
		{"a text box with no name", `<form><input type="text"><button>Add Item</button></form>`, "", url.Values{}, true},
		{"a search box", `<form><input type="search" name="q"></form>`, "q", url.Values{}, true},
		{"the first form with a text box, not the remove form", `<form><input type="checkbox" name="del_items" value="Tea" checked><button name="submit_action" value="remove">Remove</button></form>` +
			`<form>` + box + `<button name="submit_action" value="add">Add</button></form>`, "new_item", url.Values{"submit_action": {"add"}}, true},
		{"no form", `<p>Nothing here yet...</p>`, "", nil, false},
		{"a form with no text box", `<form><button>Go</button></form>`, "", nil, false},
	}
	for _, c := range cases {
		f, ok := addForm(c.page)
		if ok != c.ok || f.field != c.field || !reflect.DeepEqual(f.others, c.others) {
			t.Errorf("%s: addForm gives field %q, others %v, ok %v; want %q, %v, %v", c.name, f.field, f.others, ok, c.field, c.others, c.ok)
		}
	}
}

// TestShows finds the placeholder only where it is the whole of what an
// element shows.
func TestShows(t *testing.T) {
	doc := parse(`<section><h2>List Items:</h2><p> [Milk Eggs] </p><p>[] or so</p></section>`)
	for words, want := range map[string]bool{"[Milk Eggs]": true, "[]": false, "List Items:": true, "Milk": false} {
		if got := shows(doc, words); got != want {
			t.Errorf("shows(%q) = %v, want %v", words, got, want)
		}
	}
	if hasList(doc) || !hasList(parse("<ol></ol>")) || !hasList(parse("<ul></ul>")) {
		t.Error("hasList does not tell a page with a <ul> or <ol> from one without")
	}
}

// TestFormMethodAndAction sends the form as its tag says: with GET unless
// it says POST, to the path its action names.
func TestFormMethodAndAction(t *testing.T) {
	cases := []struct{ tag, method, action string }{
		{`<form method="POST" class="card">`, "POST", "/"},
		{`<form method=post>`, "POST", "/"},
		{`<form>`, "GET", "/"},
		{`<form method="dialog">`, "GET", "/"},
		{`<form method="POST" action="add">`, "POST", "/add"},
		{`<form method="POST" action="/items/add?x=1">`, "POST", "/items/add?x=1"},
		{`<form method="POST" action="http://example.com/add">`, "POST", "/add"},
		{`<form method="POST" action="%zz">`, "POST", "/"},
	}
	for _, c := range cases {
		f, ok := addForm(c.tag + `<input name="new_item"></form>`)
		if !ok || f.method != c.method || f.action != c.action {
			t.Errorf("%s sends with %s to %s, want %s to %s", c.tag, f.method, f.action, c.method, c.action)
		}
	}
}
