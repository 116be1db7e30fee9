package main

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// The first line of the lesson's finished main.go says what it is.
const finishedApp = "This program is the lesson's finished main.py in Go"

// notGradable says why the clone in dir cannot be graded, or returns "".
// The lesson's work is at the top of the clone, in main.go and index.html;
// before that layout, it was in starter/, and main.go at the top was the
// finished app.
func notGradable(dir string) (status, note string) {
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "missing", "there is no folder " + dir
	case err != nil:
		return "missing", err.Error()
	case !info.IsDir():
		return "missing", dir + " is a file, not a clone"
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "missing", err.Error()
	}
	if !slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() != ".git" }) {
		return "empty", "the folder holds no files: an empty repository, or a clone that failed"
	}
	main, mainErr := os.ReadFile(filepath.Join(dir, "main.go"))
	page, _ := os.ReadFile(filepath.Join(dir, "index.html"))
	starterPage := strings.Contains(string(page), `name="new_item"`) && !strings.Contains(string(page), `name="del_items"`)
	if _, err := os.Stat(filepath.Join(dir, "starter", "main.go")); err == nil && !starterPage {
		return "old layout", "a clone from before the lesson moved to the top folder: the work is in starter/, which is not graded"
	}
	if strings.Contains(string(main), finishedApp) {
		return "finished app", "main.go at the top is the lesson's finished app, not the student's own work"
	}
	if mainErr != nil {
		return "not the lesson", "there is no main.go at the top of the clone"
	}
	return "", ""
}
