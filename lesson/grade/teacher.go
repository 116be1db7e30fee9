package main

import (
	"bytes"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// teacherCopy is the teacher's own clone of the lesson, where the grader
// runs: the session layer, the check and the development server that every
// student's work is built with, and finished/, the answer key.
type teacherCopy struct {
	root     string
	finished string // the shape of finished/main.go's index, or "" without finished/
}

// newTeacherCopy reads the teacher's clone in the folder root.
func newTeacherCopy(root string) *teacherCopy {
	t := &teacherCopy{root: root}
	if data, err := os.ReadFile(filepath.Join(root, "finished", "main.go")); err == nil {
		t.finished = funcShapes(data)["index"]
	}
	return t
}

// isFinished tells whether main holds the finished app's index, as Go
// code, whatever its comments, spacing and names. Its strings and numbers
// must be the same: a reworded message is not recognised (see shape).
func (t *teacherCopy) isFinished(main []byte) bool {
	if t.finished == "" {
		return false
	}
	for _, shape := range funcShapes(main) {
		if shape == t.finished {
			return true
		}
	}
	return false
}

// funcShapes returns the shape of each function in a Go file's text, by
// name: a main.go that does not parse has none.
func funcShapes(src []byte) map[string]string {
	file, err := parser.ParseFile(token.NewFileSet(), "main.go", src, parser.SkipObjectResolution)
	if err != nil {
		return nil
	}
	shapes := map[string]string{}
	for _, decl := range file.Decls {
		if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
			shapes[fn.Name.Name] = shape(fn)
		}
	}
	return shapes
}

// shape writes a function down as Go syntax without its comments and
// names: each node's kind, each literal and operator, and each name as the
// order in which it first appeared. Two functions with the same shape are
// the same code, whatever their comments say and however the names were
// changed.
func shape(fn *ast.FuncDecl) string {
	var b strings.Builder
	names := map[string]int{}
	ast.Inspect(fn, func(n ast.Node) bool {
		switch n := n.(type) {
		case nil, *ast.CommentGroup, *ast.Comment:
			return false
		case *ast.Ident:
			if _, ok := names[n.Name]; !ok {
				names[n.Name] = len(names)
			}
			fmt.Fprintf(&b, "name%d ", names[n.Name])
		case *ast.BasicLit:
			fmt.Fprintf(&b, "%s ", n.Value)
		case *ast.BinaryExpr:
			fmt.Fprintf(&b, "binary%s ", n.Op)
		case *ast.UnaryExpr:
			fmt.Fprintf(&b, "unary%s ", n.Op)
		case *ast.AssignStmt:
			fmt.Fprintf(&b, "assign%s ", n.Tok)
		case *ast.IncDecStmt:
			fmt.Fprintf(&b, "incdec%s ", n.Tok)
		case *ast.BranchStmt:
			fmt.Fprintf(&b, "branch%s ", n.Tok)
		default:
			fmt.Fprintf(&b, "%T ", n)
		}
		return true
	})
	return b.String()
}

// The files of a student's clone that the grader never uses, though go
// test or go run would: the session layer, the check, the tests, go.mod.
// A student who changed one of them gets a note that says so.
var (
	moduleFiles   = []string{"go.mod", "go.sum", "go.work", "go.work.sum"}
	packageDirs   = []string{"internal", "devserver", "lesson"} // each file in them
	otherPrograms = []string{"finished", "buttons"}             // programs of their own, never graded
)

// maxWalk bounds how many entries of a clone changedOutside looks at.
const maxWalk = 5000

// changedOutside names the files of the clone in dir, outside its lesson
// files, that the grader uses from the teacher's clone instead: those that
// differ from the teacher's, or that the teacher's clone does not have.
func (t *teacherCopy) changedOutside(dir string) string {
	var changed []string
	seen := 0
	filepath.WalkDir(dir, func(path string, e fs.DirEntry, err error) error {
		seen++
		rel, _ := filepath.Rel(dir, path)
		rel = filepath.ToSlash(rel)
		switch {
		case err != nil || seen > maxWalk:
			return filepath.SkipAll
		case e.IsDir() && (rel == ".git" || slices.Contains(otherPrograms, rel)):
			return filepath.SkipDir
		case e.IsDir() || !counts(rel):
			return nil
		}
		if !t.same(dir, rel) {
			changed = append(changed, rel)
		}
		return nil
	})
	if len(changed) == 0 {
		return ""
	}
	if len(changed) > 4 {
		changed = append(changed[:3], fmt.Sprintf("and %d more", len(changed)-3))
	}
	return "changed files outside main.go, index.html and style.css (" + strings.Join(changed, ", ") +
		"); graded with your clone's copies of them"
}

// counts tells whether the file rel of a clone is one the grader takes
// from the teacher's clone.
func counts(rel string) bool {
	top, _, nested := strings.Cut(rel, "/")
	switch {
	case rel == "main.go":
		return false
	case slices.Contains(moduleFiles, rel), strings.HasSuffix(rel, ".go"):
		return true
	}
	return nested && slices.Contains(packageDirs, top)
}

// same tells whether the file rel of the clone in dir is a plain file
// with the same text as the teacher's, line ends aside.
func (t *teacherCopy) same(dir, rel string) bool {
	theirs, err := readPlain(dir, filepath.FromSlash(rel))
	if err != nil {
		return false
	}
	ours, err := os.ReadFile(filepath.Join(t.root, filepath.FromSlash(rel)))
	if err != nil {
		return false
	}
	plain := func(b []byte) []byte { return bytes.ReplaceAll(b, []byte("\r\n"), []byte("\n")) }
	return bytes.Equal(plain(theirs), plain(ours))
}
