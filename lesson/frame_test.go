package lesson

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"strings"
	"testing"

	"example.com/sessions/internal/testenv"
)

// TestStarterSharesFrame: the three programs, the starter (main.go), the
// finished app (finished/main.go) and the buttons page (buttons/main.go),
// share their frame line for line: debug mode, the secret key, and main with
// its routes, each with its comment. The finished app also has the
// starter's title and imports, and its stylesheet; the buttons page's
// stylesheet is the starter's with the keypad's rules after it. A learner who compares
// them sees only what the lesson's steps changed.
func TestStarterSharesFrame(t *testing.T) {
	testenv.NeedsFinished(t)
	root := testenv.Root(t)
	starter := testenv.ReadFile(t, filepath.Join(root, "main.go"))
	finished := testenv.ReadFile(t, filepath.Join(root, "finished", "main.go"))
	buttons := testenv.ReadFile(t, filepath.Join(root, "buttons", "main.go"))
	file, err := parser.ParseFile(token.NewFileSet(), "main.go", starter, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	frame := 0
	for _, decl := range file.Decls {
		start, end := decl.Pos(), decl.End()
		if doc := docOf(decl); doc != nil {
			start = doc.Pos()
		}
		text := starter[start-file.FileStart : end-file.FileStart]
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if d.Name.Name == "index" {
				continue // the one part the lesson changes
			}
			if d.Name.Name == "main" {
				frame++
				if !strings.Contains(buttons, text) {
					t.Errorf("buttons/main.go does not have the starter's main word for word:\n%s", text)
				}
			}
		case *ast.GenDecl:
			if d.Tok == token.IMPORT {
				for _, spec := range d.Specs {
					if path := spec.(*ast.ImportSpec).Path.Value; !strings.Contains(finished, "\t"+path+"\n") {
						t.Errorf("the starter imports %s, which finished/main.go does not", path)
					}
				}
				continue
			}
			frame++
			if !strings.Contains(buttons, text) {
				t.Errorf("buttons/main.go does not have this of the starter's word for word:\n%s", text)
			}
		}
		if !strings.Contains(finished, text) {
			t.Errorf("main.go has this, but finished/main.go does not have it word for word:\n%s", text)
		}
	}
	if frame != 3 {
		t.Errorf("the starter's frame has %d parts; want 3: debug, secretKey and main", frame)
	}
	style := testenv.ReadFile(t, filepath.Join(root, "style.css"))
	if style != testenv.ReadFile(t, filepath.Join(root, "finished", "style.css")) {
		t.Error("finished/style.css differs from the starter's style.css")
	}
	if !strings.HasPrefix(testenv.ReadFile(t, filepath.Join(root, "buttons", "style.css")), style) {
		t.Error("buttons/style.css does not start with the starter's style.css, word for word")
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
