package mywork

import (
	"reflect"
	"testing"
)

// TestReadSource finds what main.go reads from a form, whichever way it
// reads it, and only in the code: a comment is not code.
func TestReadSource(t *testing.T) {
	const head = "//go:build ignore\n\npackage main\n\nfunc index(w http.ResponseWriter, r *http.Request) {\n"
	cases := []struct {
		name, body string
		want       *mainSource
	}{
		{"the starter's pass", "\t// r.PostFormValue(\"new_item\")\n}", &mainSource{}},
		{"the lesson's line", "\tnewItem := r.PostFormValue(\"new_item\")\n}", &mainSource{reads: true, fields: []string{"new_item"}}},
		{"the finished code", "\tif r.PostFormValue(\"submit_action\") == \"add\" {\n\t\t_ = title(r.PostFormValue(`new_item`))\n\t}\n\t_ = r.PostForm[\"del_items\"]\n}",
			&mainSource{reads: true, fields: []string{"submit_action", "new_item", "del_items"}}},
		{"FormValue and Form", "\t_ = r.FormValue(\"item\")\n\t_ = r.Form[\"item\"]\n}", &mainSource{reads: true, fields: []string{"item"}}},
		{"a name in a variable", "\tname := \"item\"\n\t_ = r.PostFormValue(name)\n}", &mainSource{reads: true}},
		{"ParseForm alone", "\tr.ParseForm()\n}", &mainSource{reads: true}},
	}
	for _, c := range cases {
		if got := readSource([]byte(head + c.body + "\n")); !reflect.DeepEqual(got, c.want) {
			t.Errorf("%s: readSource gives %+v, want %+v", c.name, got, c.want)
		}
	}
	if got := readSource([]byte("package main\nfunc {")); got != nil {
		t.Errorf("readSource of a main.go that is not Go gives %+v, want nil", got)
	}
}
