package main

import (
	"encoding/csv"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"

	"example.com/sessions/internal/testenv"
)

// The unit tests of the grading command's parts, on plain files: the
// whole command, on programs, is lesson/grade_test.go's.

// TestIsFinished: the finished app is known by its code, however its
// comments and names were changed; the starter and a changed index are
// not, nor a copy whose strings changed, as docs/classroom.md warns.
func TestIsFinished(t *testing.T) {
	testenv.NeedsFinished(t)
	root := testenv.Root(t)
	teacher := newTeacherCopy(root)
	finished := testenv.ReadFile(t, filepath.Join(root, "finished", "main.go"))
	retold := regexp.MustCompile(`(?m)^(\s*)//.*$`).ReplaceAllString(finished, "$1// mine")
	retold = strings.ReplaceAll(strings.ReplaceAll(retold, "currentList", "list"), "func index(", "func home(")
	changed := strings.Replace(finished, "\t\tslices.Sort(currentList)\n", "", 1) // the list no longer sorted
	// docs/classroom.md says a copy whose strings changed is not spotted:
	// a message reworded, or the page's "message" renamed.
	reworded := strings.Replace(finished, "You just added '%s' to the list.", "Added '%s'!", 1)
	renamed := strings.ReplaceAll(finished, "message", "msg")
	if changed == finished || reworded == finished || !strings.Contains(finished, `"message"`) {
		t.Fatal("finished/main.go's index sorts the list no more, or its messages changed; mend this test")
	}
	for _, c := range []struct {
		name, main string
		want       bool
	}{
		{"finished/main.go", finished, true},
		{"its comments and names changed", retold, true},
		{"the starter", testenv.ReadFile(t, filepath.Join(root, "main.go")), false},
		{"its index changed", changed, false},
		{"a message reworded", reworded, false},
		{"the page's \"message\" renamed", renamed, false},
		{"not Go", "no code here", false},
	} {
		if got := teacher.isFinished([]byte(c.main)); got != c.want {
			t.Errorf("%s: isFinished says %v, want %v", c.name, got, c.want)
		}
	}
	if without := newTeacherCopy(t.TempDir()); without.isFinished([]byte(finished)) {
		t.Error("a teacher's clone without finished/ found a copy of it")
	}
}

// TestReadPlain: a lesson file is read only when it is a plain file of at
// most 1 MB, never through a link, a pipe or a device.
func TestReadPlain(t *testing.T) {
	dir := t.TempDir()
	write := func(name string, size int) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(strings.Repeat("x", size)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write("main.go", 10)
	write("big.go", maxFile+1)
	if data, err := readPlain(dir, "main.go"); err != nil || string(data) != "xxxxxxxxxx" {
		t.Errorf("a plain file: %q, %v", data, err)
	}
	if _, err := readPlain(dir, "big.go"); err == nil || !strings.Contains(err.Error(), "up to 1 MB") {
		t.Errorf("a file over 1 MB: %v", err)
	}
	if _, err := readPlain(dir, "absent.go"); !os.IsNotExist(err) {
		t.Errorf("a missing file: %v, want a not-exist error", err)
	}
	if runtime.GOOS == "windows" {
		return // links and pipes below, as macOS and Linux make them
	}
	os.Symlink("/dev/zero", filepath.Join(dir, "zero.go"))
	os.Symlink("main.go", filepath.Join(dir, "link.go"))
	if err := mkfifo(filepath.Join(dir, "pipe.go")); err != nil {
		t.Fatal(err)
	}
	for name, want := range map[string]string{
		"zero.go": "zero.go is a link (to /dev/zero): the grader follows no link",
		"link.go": "link.go is a link (to main.go)",
		"pipe.go": "pipe.go is not a plain file",
	} {
		if _, err := readPlain(dir, name); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: %v, want %q", name, err, want)
		}
	}
}

// TestChangedOutside: files that the grader takes from the teacher's
// clone are named when a student's differ or are new; the lesson files,
// the other programs and line ends are not.
func TestChangedOutside(t *testing.T) {
	root := testenv.Root(t)
	teacher := newTeacherCopy(root)
	dir := t.TempDir()
	testenv.Copy(t, root, dir, "go.mod", "session.go", "codec.go", "main.go", "internal/mywork/mywork.go")
	if got := teacher.changedOutside(dir); got != "" {
		t.Errorf("a clone like the teacher's, line ends made plain: %q, want no note", got)
	}
	add := func(name, text string) {
		os.MkdirAll(filepath.Dir(filepath.Join(dir, name)), 0o755)
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	crlf := strings.ReplaceAll(testenv.ReadFile(t, filepath.Join(root, "session.go")), "\n", "\r\n")
	add("session.go", crlf) // as git on Windows may check it out
	add("main.go", "package main // the student's work")
	add("finished/main.go", "package main // not graded")
	add("notes.txt", "not Go")
	if got := teacher.changedOutside(dir); got != "" {
		t.Errorf("changes to main.go, finished/, a text file and line ends: %q, want no note", got)
	}
	add("session.go", "package sessions // changed")
	add("sabotage_test.go", "package sessions")
	add("internal/mywork/mywork.go", "package mywork // made to pass")
	want := "changed files outside main.go, index.html and style.css (internal/mywork/mywork.go, sabotage_test.go, session.go); graded with your clone's copies of them"
	if got := teacher.changedOutside(dir); got != want {
		t.Errorf("three changed files:\n got %q\nwant %q", got, want)
	}
	add("go.mod", "module cheat")
	add("devserver/x.go", "package devserver")
	if got := teacher.changedOutside(dir); !strings.Contains(got, "(devserver/x.go, go.mod, internal/mywork/mywork.go, and 2 more)") {
		t.Errorf("five changed files: %q, want the first three and how many more", got)
	}
}

// TestLine: each kind of row, as the terminal shows it.
func TestLine(t *testing.T) {
	for _, c := range []struct {
		r    row
		want string
	}{
		{row{name: "ben", status: "not yet", verdicts: []string{"not yet", "not yet", "not yet", "not yet"}},
			"ben      not yet  not yet  not yet   not yet"},
		{row{name: "amara", status: "finished", verdicts: []string{"done", "done", "done", "done"}, note: "graded again alone"},
			"amara    done     done     done      done             finished; graded again alone"},
		{row{name: "tara", status: "missing", note: "there is no folder x"}, "tara     missing: there is no folder x"},
		{row{name: "quinn", status: "empty"}, "quinn    empty"},
		{row{name: "odd", status: "not checked", verdicts: []string{"done"}, note: "a check with one stage"}, "odd      not checked: a check with one stage"},
	} {
		if got := line(c.r, 7); got != c.want {
			t.Errorf("line(%v):\n got %q\nwant %q", c.r, got, c.want)
		}
	}
}

// TestWriteCSV: the CSV keeps its columns, a row without verdicts
// included, and a note with commas and quotes reads back as it was.
func TestWriteCSV(t *testing.T) {
	name := filepath.Join(t.TempDir(), "marks.csv")
	rows := []row{
		{name: "amara", status: "finished", verdicts: []string{"done", "done", "done", "done"}, note: `a, "b"`},
		{name: "tara", status: "missing", note: "there is no folder"},
	}
	if err := writeCSV(name, rows); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	got, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"student", "result", "23.5.2", "23.5.3", "23.6 add", "23.6 duplicates", "note"},
		{"amara", "finished", "done", "done", "done", "done", `a, "b"`},
		{"tara", "missing", "", "", "", "", "there is no folder"},
	}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("the CSV reads back as %q, want %q", got, want)
	}
	if err := writeCSV(filepath.Join(t.TempDir(), "no", "marks.csv"), rows); err == nil {
		t.Error("a CSV in a folder that does not exist: no error")
	}
}

// TestStudents: a roster's first words, comments and blank lines aside;
// else the class folder's folders, sorted without regard to case, hidden
// ones and files aside.
func TestStudents(t *testing.T) {
	dir := t.TempDir()
	roster := filepath.Join(dir, "students.txt")
	os.WriteFile(roster, []byte("# our class\r\namara https://x/a.git\r\n\r\n  ben\tb.git\n# done\n"), 0o644)
	if got, err := students("", roster); err != nil || !slices.Equal(got, []string{"amara", "ben"}) {
		t.Errorf("the roster gives %q, %v", got, err)
	}
	class := filepath.Join(dir, "class")
	for _, name := range []string{"zoe", "Ben", "amara", ".hidden"} {
		os.MkdirAll(filepath.Join(class, name), 0o755)
	}
	os.WriteFile(filepath.Join(class, "notes.txt"), nil, 0o644)
	if got, err := students(class, ""); err != nil || !slices.Equal(got, []string{"amara", "Ben", "zoe"}) {
		t.Errorf("the class folder gives %q, %v", got, err)
	}
}
