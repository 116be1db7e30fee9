package mywork

import (
	"go/ast"
	"go/parser"
	"go/token"
	"slices"
	"strconv"
)

// mainSource is what main.go reads from a posted form. The check judges
// what a browser sees; main.go only gives it words: which field names the
// code reads, when the form sends another, and whether the code reads the
// form at all, when a POST changes nothing.
type mainSource struct {
	reads  bool     // it reads a posted form: r.PostFormValue, r.FormValue, r.PostForm, r.Form or r.ParseForm
	fields []string // the names it reads, in the order they come: "new_item", "submit_action"
}

// readSource reads main.go's text. It returns nil when the text is not Go
// (the check has then said so already: it does not compile).
func readSource(text []byte) *mainSource {
	file, err := parser.ParseFile(token.NewFileSet(), "main.go", text, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	m := &mainSource{}
	ast.Inspect(file, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.CallExpr:
			if sel, ok := n.Fun.(*ast.SelectorExpr); ok {
				switch sel.Sel.Name {
				case "PostFormValue", "FormValue":
					m.reads = true
					if len(n.Args) == 1 {
						m.add(n.Args[0])
					}
				case "ParseForm", "ParseMultipartForm":
					m.reads = true
				}
			}
		case *ast.IndexExpr: // r.PostForm["new_item"], r.Form["new_item"]
			if sel, ok := n.X.(*ast.SelectorExpr); ok && (sel.Sel.Name == "PostForm" || sel.Sel.Name == "Form") {
				m.reads = true
				m.add(n.Index)
			}
		}
		return true
	})
	return m
}

// add notes the field name e, when it is written as a string.
func (m *mainSource) add(e ast.Expr) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return
	}
	name, err := strconv.Unquote(lit.Value)
	if err == nil && !slices.Contains(m.fields, name) {
		m.fields = append(m.fields, name)
	}
}
