package sessions_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"
)

// TestStarterSharesFrame: the starter and the finished main.go share their
// frame (debug, the secret key, main and its routes, the imports) line for
// line, so that a learner who compares them sees only what the lesson's steps
// changed.
func TestStarterSharesFrame(t *testing.T) {
	finished := readFile(t, "main.go")
	starter := readFile(t, filepath.Join("starter", "main.go"))
	file, err := parser.ParseFile(token.NewFileSet(), "starter/main.go", starter, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	for _, decl := range file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Name.Name == "index" {
			continue // the one part the lesson changes
		}
		start, end := decl.Pos(), decl.End()
		if doc := docOf(decl); doc != nil {
			start = doc.Pos()
		}
		text := starter[start-file.FileStart : end-file.FileStart]
		if gen, ok := decl.(*ast.GenDecl); ok && gen.Tok == token.IMPORT {
			for _, spec := range gen.Specs {
				if path := spec.(*ast.ImportSpec).Path.Value; !strings.Contains(finished, "\t"+path+"\n") {
					t.Errorf("the starter imports %s, which main.go does not", path)
				}
			}
			continue
		}
		if !strings.Contains(finished, text) {
			t.Errorf("starter/main.go has this, but main.go does not have it word for word:\n%s", text)
		}
	}
	if readFile(t, "style.css") != readFile(t, filepath.Join("starter", "style.css")) {
		t.Error("starter/style.css differs from style.css")
	}
}

// docOf returns a top-level declaration's doc comment, if it has one.
func docOf(decl ast.Decl) *ast.CommentGroup {
	switch d := decl.(type) {
	case *ast.FuncDecl:
		return d.Doc
	case *ast.GenDecl:
		return d.Doc
	}
	return nil
}
