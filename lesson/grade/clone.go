package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// lessonFiles are the files of a student's work: the only ones graded.
var lessonFiles = []string{"main.go", "index.html", "style.css"}

// maxFile is the largest lesson file read: the finished main.go is 10 KB.
const maxFile = 1 << 20

// clone is what the grader read of one student's clone, before any
// student's program ran: what it grades, and the copy it checks against.
type clone struct {
	name, dir string
	files     map[string][]byte // the lesson files found, Windows line ends made plain
	status    string            // why it cannot be graded, such as "empty"; "" when it can
	note      string            // what to say about it, graded or not
}

// readClone reads the clone of the student name in the folder dir. It
// reads no file through a link, and no file larger than maxFile: a link
// gets its own line, as a file too large does, and grading goes on.
func readClone(name, dir string, teacher *teacherCopy) clone {
	c := clone{name: name, dir: dir, files: map[string][]byte{}}
	if c.status, c.note = notGradable(dir); c.status != "" {
		return c
	}
	for _, file := range lessonFiles {
		data, err := readPlain(dir, file)
		switch {
		case errors.Is(err, os.ErrNotExist):
			continue
		case err != nil:
			c.status, c.note = "not checked", err.Error()
			return c
		}
		c.files[file] = bytes.ReplaceAll(data, []byte("\r\n"), []byte("\n"))
	}
	if c.files["main.go"] == nil {
		c.status, c.note = "not the lesson", "there is no main.go at the top of the clone"
		return c
	}
	if teacher.isFinished(c.files["main.go"]) {
		c.status, c.note = "finished app", "main.go is a copy of the lesson's finished app (finished/main.go), not the student's own work"
		return c
	}
	// A missing index.html needs no note here: the check's own line says
	// "index.html is missing from the folder of main.go".
	if changed := teacher.changedOutside(dir); changed != "" {
		c.note = strings.TrimPrefix(c.note+"; "+changed, "; ")
	}
	return c
}

// notGradable says why the clone in dir cannot be graded, or returns "".
// The lesson's work is at the top of the clone, in main.go and index.html;
// before that layout, it was in starter/, and main.go at the top was the
// finished app.
func notGradable(dir string) (status, note string) {
	info, err := os.Lstat(dir)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return "missing", "there is no folder " + dir
	case err != nil:
		return "missing", err.Error()
	case info.Mode()&os.ModeSymlink != 0:
		return "not checked", linkNote(dir, filepath.Base(dir)+" is a link to another folder")
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
	page, _ := readPlain(dir, "index.html")
	starterPage := bytes.Contains(page, []byte(`name="new_item"`)) && !bytes.Contains(page, []byte(`name="del_items"`))
	if info, err := os.Lstat(filepath.Join(dir, "starter", "main.go")); err == nil && info.Mode().IsRegular() && !starterPage {
		return "old layout", "a clone from before the lesson moved to the top folder: the work is in starter/, which is not graded"
	}
	return "", ""
}

// readPlain reads the file name in dir, which must be a plain file of at
// most maxFile bytes: never a link, a device or a pipe, which could hold
// the grader up for ever or hand it a classmate's work.
func readPlain(dir, name string) ([]byte, error) {
	path := filepath.Join(dir, name)
	before, err := os.Lstat(path)
	switch {
	case err != nil:
		return nil, err
	case before.Mode()&os.ModeSymlink != 0:
		return nil, errors.New(linkNote(path, name+" is a link"))
	case !before.Mode().IsRegular():
		return nil, fmt.Errorf("%s is not a plain file (%v)", name, before.Mode().Type())
	case before.Size() > maxFile:
		return nil, fmt.Errorf("%s holds %d MB; the grader reads lesson files of up to 1 MB", name, before.Size()>>20)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if after, err := f.Stat(); err != nil || !os.SameFile(before, after) {
		return nil, fmt.Errorf("%s changed while it was read", name)
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFile+1))
	if err == nil && len(data) > maxFile {
		err = fmt.Errorf("%s grew past 1 MB while it was read", name)
	}
	return data, err
}

// linkNote says that path is a link, and where it leads.
func linkNote(path, what string) string {
	if target, err := os.Readlink(path); err == nil {
		what += " (to " + target + ")"
	}
	return what + ": the grader follows no link. The student should commit the file itself"
}
