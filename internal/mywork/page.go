package mywork

import (
	"cmp"
	"html"
	"net/url"
	"regexp"
	"strings"
)

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

// ListItems returns the text of each <li> on a page.
func ListItems(body string) []string {
	var items []string
	for _, part := range strings.Split(body, "<li>")[1:] {
		item, _, _ := strings.Cut(part, "</li>")
		items = append(items, html.UnescapeString(strings.TrimSpace(item)))
	}
	return items
}
