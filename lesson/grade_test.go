package lesson

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/testenv"
)

// student is one student of TestGrade's class: a clone made from the
// README's steps, or a folder made another way, and the line the grading
// command must give it.
type student struct {
	name  string
	step  string                         // the README step the student's work is at
	edits []edit                         // the student's own changes after that step
	extra func(t *testing.T, dir string) // adds to the student's folder, if set
	// folder, when set, makes the student's folder instead of the steps; a
	// student with neither has no folder.
	folder func(t *testing.T, dir string)

	result   string // the CSV's result: finished, not yet, WRONG, or why the work was not checked
	verdicts string // the four stages' verdicts, separated by commas; "" when the work was not checked
	note     string // a part of the note, "" for none
}

// class is TestGrade's class: every kind of line the grading command gives.
// docs/classroom.md shows some of its lines as the command's sample output.
var class = []student{
	{name: "amara", step: "23.6-duplicates", extra: cloneWithOwnTest,
		result: "finished", verdicts: "done,done,done,done", note: "changed files outside main.go, index.html and style.css (sabotage_test.go); graded with your clone's copies of them"},
	{name: "ben", step: "",
		result: "not yet", verdicts: "not yet,not yet,not yet,not yet"},
	{name: "chloe", step: "23.5.2",
		result: "not yet", verdicts: "done,not yet,not yet,not yet"},
	{name: "dev", step: "23.5.3-list", extra: withBrokenSessionLayer,
		result: "not yet", verdicts: "done,done,not yet,not yet", note: "changed files outside main.go, index.html and style.css (session.go)"},
	{name: "elena", step: "23.6-add",
		result: "not yet", verdicts: "done,done,done,not yet"},
	{name: "finn", step: "23.5.3-slip",
		result: "does not compile", note: "." + string(filepath.Separator) + "main.go:32:11: more than one character in rune literal"}, // .\main.go on Windows
	{name: "grace", step: "23.5.2", edits: []edit{{file: "main.go", find: `session["groceries"] = []string{}`, replace: `session["groceries"] = "milk"`}},
		result: "WRONG", verdicts: "WRONG,not yet,not yet,not yet", note: `23.5.2 Save Session Data: the session cookie holds groceries = "milk" (a string)`},
	{name: "hugo", step: "23.5.3-list", edits: []edit{{file: "index.html", find: "{{range .session.groceries}}", replace: "{{range .session['groceries']}}"}},
		result: "WRONG", verdicts: "done,WRONG,not yet,not yet", note: `23.5.3 Access Session Data: the page gets status 500: "template: index.html:26: bad character U+005B '['"`},
	{name: "ines", step: "23.6-add",
		edits:  []edit{{file: "main.go", find: `} else if _, ok := session["groceries"]; !ok {`, replace: "} else {"}},
		result: "not yet", verdicts: "done,done,done,not yet", note: `23.6 Add Form Entries to the List: tea was added (["tea"]); a reload empties the list ([]), as the lesson's page does`},
	{name: "jack", step: "23.6-duplicates",
		edits: []edit{{file: "main.go", find: `newItem := title(r.PostFormValue("new_item"))`, replace: `newItem := r.PostFormValue("new_item")`},
			{file: "main.go", find: "currentList = append(currentList, newItem)", replace: "currentList = append(currentList, title(newItem))"}},
		result: "WRONG", verdicts: "done,done,done,WRONG", note: `23.6 Avoid Duplicate Entries: TEA after tea makes 2 of them: ["Tea" "Tea"]`},
	{name: "kai", step: "23.6-duplicates",
		edits:  []edit{{file: "main.go", find: "if !slices.Contains(currentList, newItem) {", replace: `if r.PostFormValue("submit_action") == "add" && !slices.Contains(currentList, newItem) {`}},
		result: "WRONG", verdicts: "done,done,WRONG,not yet", note: "which the page's Add Item button does not send"},
	{name: "lena", step: "23.6-add", edits: []edit{{file: "main.go", find: `newItem := r.PostFormValue("new_item")`, replace: `newItem := title(r.PostFormValue("new_item"))`}},
		result: "not yet", verdicts: "done,done,done,not yet", note: "23.6 Avoid Duplicate Entries: half done: tea became Tea"},
	{name: "milo", step: "23.6-add", // index loops for ever
		edits: []edit{{file: "main.go", find: "\tsession := sessions.From(r)\n", replace: "\tfor {\n\t\ttime.Sleep(time.Second)\n\t}\n\tsession := sessions.From(r)\n"},
			{file: "main.go", find: "\t\"strings\"\n", replace: "\t\"strings\"\n\t\"time\"\n"}},
		result: "does not answer", note: "nothing came back within 10s; does index loop forever?"},
	{name: "hal", step: "23.6-add", // adding an item loops for ever; the page itself works
		edits: []edit{{file: "main.go", find: "\t\tnewItem := r.PostFormValue(\"new_item\")\n", replace: "\t\tfor {\n\t\t\ttime.Sleep(time.Second)\n\t\t}\n\t\tnewItem := r.PostFormValue(\"new_item\")\n"},
			{file: "main.go", find: "\t\"strings\"\n", replace: "\t\"strings\"\n\t\"time\"\n"}},
		result: "WRONG", verdicts: "done,done,WRONG,not yet", note: "does index loop forever?"},
	{name: "nora", step: "23.5.2", // main never gets to devserver.Run
		edits: []edit{{file: "main.go", find: "\tmux := http.NewServeMux()\n", replace: "\ttime.Sleep(time.Hour)\n\tmux := http.NewServeMux()\n"},
			{file: "main.go", find: "\t\"strings\"\n", replace: "\t\"strings\"\n\t\"time\"\n"}},
		result: "never listened", note: `no " * Running on" line within 10s`},
	{name: "omar", step: "23.6-add", // the program ends while it adds an item
		edits:  []edit{{file: "main.go", find: "\t\tnewItem := r.PostFormValue(\"new_item\")\n", replace: "\t\tos.Exit(3)\n\t\tnewItem := r.PostFormValue(\"new_item\")\n"}},
		result: "WRONG", verdicts: "done,done,WRONG,not yet", note: "the program stopped by itself during the check (exit status 3)"},
	{name: "priya", step: "23.6-duplicates", // each visit prints 6 MB
		edits:  []edit{{file: "main.go", find: "\tif r.Method == http.MethodPost {", replace: "\tos.Stdout.WriteString(strings.Repeat(\"flood \", 1<<20))\n\tif r.Method == http.MethodPost {"}},
		result: "finished", verdicts: "done,done,done,done", note: "the program printed more than 4 MB"},
	{name: "quinn", folder: emptyClone, result: "empty", note: "the folder holds no files"},
	{name: "rosa", folder: oldLayout, result: "old layout", note: "the work is in starter/"},
	{name: "sam", folder: oldFinishedApp, result: "finished app", note: "main.go is a copy of the lesson's finished app (finished/main.go)"},
	{name: "tara", result: "missing", note: "there is no folder"},
	{name: "uma", folder: notTheLesson, result: "not the lesson", note: "there is no main.go"},
	{name: "vera", step: "23.5.2", // main panics before it starts the server
		edits:  []edit{{file: "main.go", find: "\tmux := http.NewServeMux()\n", replace: "\tpanic(\"not yet written\")\n\tmux := http.NewServeMux()\n"}},
		result: "ended before it listened", note: "exit status 2"},
	{name: "noor", folder: finishedRetold, result: "finished app", note: "main.go is a copy of the lesson's finished app"},
	{name: "olga", step: "23.6-duplicates", folder: fromTemplate, // a clone of the class's template, without finished/
		result: "finished", verdicts: "done,done,done,done"},
	{name: "pia", folder: fromTemplate, extra: finishedRetold, result: "finished app", note: "main.go is a copy of the lesson's finished app"},
	{name: "ruth", step: "23.5.2", extra: withoutPage,
		result: "WRONG", verdicts: "done,WRONG,not yet,not yet", note: "index.html is missing from the folder of main.go"},
	{name: "zoe", step: "23.6-duplicates", // prints 5 MB before its banner
		edits:  []edit{{file: "main.go", find: "	mux := http.NewServeMux()\n", replace: "\tos.Stdout.WriteString(strings.Repeat(\"flood \", 5<<20/6))\n\tmux := http.NewServeMux()\n"}},
		result: "finished", verdicts: "done,done,done,done", note: "the program printed more than 4 MB"},
}

// TestGrade makes a class of students' clones, one for each kind of line the
// grading command gives, and runs the command on it as a teacher does, with
// a list of students: each student gets the line they should, in order, the
// CSV holds the same, and the exit status says that not everyone finished.
// A class in which everyone finished exits with 0. No student's own test
// ever runs, and no student's copy of the session layer is used.
func TestGrade(t *testing.T) {
	testenv.NeedsPrograms(t)
	needUntouchedStarter(t)
	testenv.NeedsFinished(t)
	t.Parallel() // most of its time, it waits for programs that loop or never start
	classDir, roster := makeClass(t)
	grade := buildGrade(t)
	marker := filepath.Join(t.TempDir(), "a student's test ran")
	marks := filepath.Join(t.TempDir(), "marks.csv")
	out, code := runGrade(t, grade, []string{"LESSON_GRADE_MARKER=" + marker}, "-students", roster, "-csv", marks, classDir)
	if code != 1 {
		t.Errorf("the grading command exited with %d, want 1 (not everyone finished):\n%s", code, out)
	}
	lines := strings.Split(out, "\n")
	if len(lines) != len(class)+7 || lines[len(class)+6] != "" {
		t.Fatalf("the command printed %d lines, want 3 to start, a line per student (%d), then 3 more:\n%s", len(lines)-1, len(class), out)
	}
	start := regexp.MustCompile(`^Grading 28 students in .*class, \d+ at a time\.$`)
	end := regexp.MustCompile(`^Graded 28 students in \d+(m\d+)?s\. 4 of 28 finished\.$`)
	header := "student  23.5.2   23.5.3   23.6 add  23.6 duplicates"
	if !start.MatchString(lines[0]) || lines[1] != "" || lines[2] != header || lines[len(class)+3] != "" ||
		!end.MatchString(lines[len(class)+4]) || lines[len(class)+5] != "The results are in "+marks+" too." {
		t.Errorf("the lines around the students' are not %v, a blank line and %q, then a blank line, %v and where the CSV is:\n%s", start, header, end, out)
	}
	gradeLines := lines[3 : 3+len(class)]
	rows := readCSV(t, marks)
	if !slices.Equal(rows[0], []string{"student", "result", "23.5.2", "23.5.3", "23.6 add", "23.6 duplicates", "note"}) {
		t.Errorf("the CSV's header is %q", rows[0])
	}
	for i, s := range class {
		line, row := gradeLines[i], rows[i+1]
		if !strings.HasPrefix(line, s.name+" ") || row[0] != s.name {
			t.Errorf("student %d is %q in the terminal and %q in the CSV, want %s", i+1, line, row[0], s.name)
			continue
		}
		verdicts := strings.Join(row[2:6], ",")
		if s.verdicts == "" && verdicts == ",,," {
			verdicts = ""
		}
		if row[1] != s.result || verdicts != s.verdicts || !strings.Contains(row[6], s.note) || s.note == "" && row[6] != "" {
			t.Errorf("%s's CSV row is %q, want the result %q, the verdicts %q and a note with %q", s.name, row, s.result, s.verdicts, s.note)
		}
		for _, part := range append(strings.Split(s.verdicts, ","), s.note) {
			if !strings.Contains(line, part) {
				t.Errorf("%s's line does not say %q:\n%s", s.name, part, line)
			}
		}
		if s.verdicts == "" && !strings.Contains(line, "  "+s.result+": ") {
			t.Errorf("%s's line does not start with %q:\n%s", s.name, s.result+": ", line)
		}
		if n := strings.Count(line, "does index loop forever?"); n > 1 {
			t.Errorf("%s's line says the same %d times:\n%s", s.name, n, line)
		}
		if s.result == "finished" && !strings.Contains(line, "finished") {
			t.Errorf("%s's line does not say finished:\n%s", s.name, line)
		}
	}
	if _, err := os.Stat(marker); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("a student's own test ran (%v)", err)
	}
	// The marker works: amara's test, run by go test in her clone, leaves it.
	test := exec.Command("go", "test", "-count=1", "-run", "^$", ".")
	test.Dir, test.Env = filepath.Join(classDir, "amara"), append(os.Environ(), "LESSON_GRADE_MARKER="+marker)
	if out, err := test.CombinedOutput(); err != nil {
		t.Errorf("go test in amara's clone: %v\n%s", err, out)
	} else if _, err := os.Stat(marker); err != nil {
		t.Errorf("go test in amara's clone left no marker, so this test cannot tell whether the grading command ran it: %v", err)
	}
	checkSample(t, out, classDir, strings.Split(testenv.ReadFile(t, marks), "\n"))

	// A class that finished: exit status 0.
	finished := filepath.Join(t.TempDir(), "finished.txt")
	if err := os.WriteFile(finished, []byte("amara https://example.com/amara/lesson.git\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, code := runGrade(t, grade, nil, "-students", finished, classDir); code != 0 || !strings.Contains(out, "1 of 1 finished.") {
		t.Errorf("a class in which everyone finished: the command exited with %d, want 0:\n%s", code, out)
	}
}

// makeClass makes TestGrade's class in a new folder, and the list of its
// students, as docs/classroom.md shows it: a name, then the URL of the
// student's repository.
func makeClass(t *testing.T) (dir, roster string) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "class")
	after := lessonFiles(t)
	var list strings.Builder
	templateRepo = classTemplate(t)
	for _, s := range class {
		list.WriteString(s.name + " https://example.com/" + s.name + "/lesson.git\n")
		folder := filepath.Join(dir, s.name)
		if s.folder != nil {
			s.folder(t, folder)
		}
		if s.step != "" || s.folder == nil && s.result != "missing" {
			starterWith(t, folder, after[s.step], s.edits)
		}
		if s.extra != nil {
			s.extra(t, folder)
		}
	}
	roster = filepath.Join(t.TempDir(), "students.txt")
	if err := os.WriteFile(roster, []byte(list.String()), 0o644); err != nil {
		t.Fatal(err)
	}
	return dir, roster
}

// cloneWithOwnTest adds to a student's folder what a real clone holds (the
// go.mod and the session layer), so that go test runs there, and a test of
// the student's own (testdata/classroom/sabotage_test.go).
func cloneWithOwnTest(t *testing.T, dir string) {
	t.Helper()
	root := testenv.Root(t)
	files, err := filepath.Glob(filepath.Join(root, "*.go"))
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"go.mod", "go.sum"}
	for _, f := range files {
		if name := filepath.Base(f); !strings.HasSuffix(name, "_test.go") && name != "main.go" {
			names = append(names, name)
		}
	}
	testenv.Copy(t, root, dir, names...)
	testenv.Copy(t, filepath.Join(root, "testdata", "classroom"), dir, "sabotage_test.go")
}

// withBrokenSessionLayer adds a session.go that does not compile, as a
// student who changed the session layer might leave it.
func withBrokenSessionLayer(t *testing.T, dir string) {
	t.Helper()
	text := testenv.ReadFile(t, filepath.Join(testenv.Root(t), "testdata", "classroom", "session.go.txt"))
	if err := os.WriteFile(filepath.Join(dir, "session.go"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// emptyClone makes what git clone makes of an empty repository: a folder
// with .git alone.
func emptyClone(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Join(dir, ".git"), 0o755); err != nil {
		t.Fatal(err)
	}
}

// oldLayout makes a clone from before the lesson moved to the top folder:
// the finished app at the top, the learner's work in starter/.
func oldLayout(t *testing.T, dir string) {
	t.Helper()
	root := testenv.Root(t)
	testenv.Copy(t, filepath.Join(root, "finished"), dir, "main.go", "index.html", "style.css")
	testenv.Copy(t, root, filepath.Join(dir, "starter"), "main.go", "index.html", "style.css")
}

// oldFinishedApp makes a clone whose main.go at the top is the finished app.
func oldFinishedApp(t *testing.T, dir string) {
	t.Helper()
	testenv.Copy(t, filepath.Join(testenv.Root(t), "finished"), dir, "main.go", "index.html", "style.css")
}

// withoutPage deletes a student's index.html.
func withoutPage(t *testing.T, dir string) {
	t.Helper()
	if err := os.Remove(filepath.Join(dir, "index.html")); err != nil {
		t.Fatal(err)
	}
}

// finishedRetold puts in a student's folder a copy of finished/ with its
// comments rewritten and a name changed, as a student hiding a copy might.
func finishedRetold(t *testing.T, dir string) {
	t.Helper()
	root := testenv.Root(t)
	testenv.Copy(t, filepath.Join(root, "finished"), dir, "main.go", "index.html", "style.css")
	main := testenv.ReadFile(t, filepath.Join(dir, "main.go"))
	retold := regexp.MustCompile(`(?m)^(\s*)//.*$`).ReplaceAllString(main, "$1// my own work")
	retold = strings.ReplaceAll(retold, "currentList", "myGroceries")
	if retold == main || !strings.Contains(main, "currentList") {
		t.Fatal("finished/main.go has no comment or no currentList to change; mend finishedRetold")
	}
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(retold), 0o644); err != nil {
		t.Fatal(err)
	}
}

// templateRepo is the class's template that makeClass made: a repository
// of the lesson without finished/, made as docs/classroom.md says.
var templateRepo string

// classTemplate makes the class's template from this clone with the
// commands of docs/classroom.md's block "template", the teacher's own
// repository and the new one replaced by folders, and returns the new
// repository's folder.
func classTemplate(t *testing.T) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Log("no git on this computer: the class's template is a copy of this clone without finished/")
		return ""
	}
	block := classroomBlocks(t)["template"]
	work, bare := t.TempDir(), filepath.Join(t.TempDir(), "template.git")
	git(t, work, "init", "--quiet", "--bare", "--initial-branch=main", bare) // as a new repository on GitHub
	script := strings.NewReplacer("https://github.com/YOUR-NAME/sessions-lesson.git", testenv.Root(t),
		"https://github.com/YOUR-NAME/sessions-lesson-class.git", bare).Replace(block)
	for _, command := range strings.Split(script, "\n") {
		args := commandWords(command)
		switch {
		case len(args) == 2 && args[0] == "cd":
			work = filepath.Join(work, args[1])
		case len(args) > 1 && args[0] == "git":
			git(t, work, args[1:]...)
		default:
			t.Fatalf("docs/classroom.md's block \"template\" holds %q, which this test cannot run", command)
		}
	}
	return bare
}

// commandWords splits a command line into words as a shell does, for the
// simple lines of docs/classroom.md: a word in double quotes is one word.
func commandWords(command string) []string {
	var words []string
	for i, part := range strings.Split(command, `"`) {
		if i%2 == 1 {
			words = append(words, part)
		} else {
			words = append(words, strings.Fields(part)...)
		}
	}
	return words
}

// git runs git in the folder dir, as a teacher with no settings of their
// own, or stops the test.
func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-c", "user.name=Teacher", "-c", "user.email=teacher@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}

// fromTemplate clones the class's template into a student's folder, as
// GitHub Classroom gives each student a copy: the student's work goes on
// top.
func fromTemplate(t *testing.T, dir string) {
	t.Helper()
	if templateRepo == "" {
		copyWithout(t, testenv.Root(t), dir, ".git", "finished")
	} else {
		git(t, filepath.Dir(templateRepo), "clone", "--quiet", templateRepo, dir)
		// The template holds this clone's last commit; a change not yet
		// committed here would look like a change of the student's.
		copyWithout(t, testenv.Root(t), dir, ".git", "finished")
	}
	if _, err := os.Stat(filepath.Join(dir, "finished")); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the class's template holds finished/ (%v)", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "session.go")); err != nil {
		t.Fatalf("the class's template lacks the session layer: %v", err)
	}
}

// copyWithout copies the folder from to the folder to, but for the folders
// named skip at its top.
func copyWithout(t *testing.T, from, to string, skip ...string) {
	t.Helper()
	var names []string
	err := filepath.WalkDir(from, func(path string, e fs.DirEntry, err error) error {
		rel, _ := filepath.Rel(from, path)
		switch {
		case err != nil:
			return err
		case slices.Contains(skip, rel) && e.IsDir():
			return filepath.SkipDir
		case e.Type().IsRegular() && !slices.Contains(skip, rel): // a worktree's .git is a file
			names = append(names, rel)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	testenv.Copy(t, from, to, names...)
}

// notTheLesson makes a clone of some other repository.
func notTheLesson(t *testing.T, dir string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "README.md"), []byte("# Another project\n"), 0o644); err != nil {
		t.Fatal(err)
	}
}

// buildGrade builds the grading command.
func buildGrade(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "grade")
	if runtime.GOOS == "windows" {
		bin += ".exe" // Windows runs only files named .exe
	}
	build := exec.Command("go", "build", "-o", bin, "./lesson/grade")
	build.Dir = testenv.Root(t)
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("go build ./lesson/grade: %v\n%s", err, out)
	}
	return bin
}

// runGrade runs the grading command in the top folder, as a teacher does,
// with env added, and returns what it printed and its exit status.
func runGrade(t *testing.T, grade string, env []string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(grade, args...)
	cmd.Dir, cmd.Env = testenv.Root(t), append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("the grading command did not run: %v\n%s", err, out)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// readCSV reads the CSV file of TestGrade's class.
func readCSV(t *testing.T, name string) [][]string {
	t.Helper()
	rows := readCSVRows(t, name)
	if len(rows) != len(class)+1 {
		t.Fatalf("the CSV has %d rows, want a header and %d students", len(rows), len(class))
	}
	return rows
}

// readCSVRows reads a CSV file's rows.
func readCSVRows(t *testing.T, name string) [][]string {
	t.Helper()
	f, err := os.Open(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// TestGradeCtrlC presses Ctrl+C while the grading command waits for a
// student's program that loops: the command says it stopped, and no
// program of a student is left running, not even the daemon that one of
// them started with setsid. (Linux only: it finds the programs
// by their files, in /proc.)
func TestGradeCtrlC(t *testing.T) {
	testenv.NeedsPrograms(t)
	if runtime.GOOS != "linux" {
		t.Skip("finds the programs in /proc, on Linux only")
	}
	needUntouchedStarter(t)
	t.Parallel()
	after := lessonFiles(t)
	classDir := filepath.Join(t.TempDir(), "class")
	for _, name := range []string{"milo", "nina"} {
		starterWith(t, filepath.Join(classDir, name), after["23.6-add"], class[slices.IndexFunc(class, func(s student) bool { return s.name == "milo" })].edits)
	}
	marker := fmt.Sprint("daemon-", time.Now().UnixNano()) // nina's program leaves a daemon
	addHostile(t, filepath.Join(classDir, "nina"), "0", marker, "/nowhere")
	scratch := t.TempDir() // the command's temporary folder, where the students' programs are built
	cmd := exec.Command(buildGrade(t), classDir)
	cmd.Dir, cmd.Env = testenv.Root(t), append(os.Environ(), "TMPDIR="+scratch)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	running := func() []string { return programsIn(t, scratch) }
	for deadline := time.Now().Add(3 * time.Minute); (len(running()) < 2 || len(processesWith(t, marker)) == 0) && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	if len(running()) < 2 || len(processesWith(t, marker)) == 0 {
		cmd.Process.Kill()
		t.Fatalf("the students' programs and nina's daemon did not all run within 3 minutes:\n%s", out.String())
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if left := running(); len(left) > 0 {
		t.Errorf("after Ctrl+C, programs of students still run: %q", left)
	}
	if left := processesWith(t, marker); len(left) > 0 {
		t.Errorf("after Ctrl+C, the daemon that nina's program started still runs: %q", left)
	}
	if want := "Stopped with Ctrl+C after 0 of 2 students. No student's program is left running.\n"; !strings.HasSuffix(out.String(), want) || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("after Ctrl+C the command exited with %d and printed\n%s\nwant exit status 1 and the last line %q", cmd.ProcessState.ExitCode(), out.String(), want)
	}
}

// TestGradeLinks grades students whose main.go is a link: to a device
// that never ends, to the grader's own input, and to a classmate's file.
// Each gets a line that says so, and the others are graded.
func TestGradeLinks(t *testing.T) {
	testenv.NeedsPrograms(t)
	if runtime.GOOS == "windows" {
		t.Skip("makes links as macOS and Linux do, not as Windows does")
	}
	needUntouchedStarter(t)
	t.Parallel()
	classDir := filepath.Join(t.TempDir(), "class")
	starterWith(t, filepath.Join(classDir, "alice"), lessonFiles(t)["23.5.2"], nil)
	links := map[string]string{"wes": "/dev/zero", "xia": "/dev/stdin", "yan": "../alice/main.go"}
	for name, target := range links {
		if err := os.MkdirAll(filepath.Join(classDir, name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, filepath.Join(classDir, name, "main.go")); err != nil {
			t.Fatal(err)
		}
	}
	out, code := runGradeWithin(t, 3*time.Minute, classDir)
	if code != 1 {
		t.Errorf("the command exited with %d, want 1:\n%s", code, out)
	}
	for name, target := range links {
		want := fmt.Sprintf("\n%-7s  not checked: main.go is a link (to %s): the grader follows no link.", name, target)
		if !strings.Contains(out, want) {
			t.Errorf("the output lacks %q:\n%s", want, out)
		}
	}
	if !strings.Contains(out, "\nalice    done     not yet") && !strings.Contains(out, "\nalice    done     done") {
		t.Errorf("alice, beside the links, was not graded:\n%s", out)
	}
}

// runGradeWithin runs the grading command on the class folder as runGrade
// does, and kills it after within: a command that hangs fails the test.
func runGradeWithin(t *testing.T, within time.Duration, args ...string) (string, int) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), within)
	defer cancel()
	cmd := exec.CommandContext(ctx, buildGrade(t), args...)
	cmd.Dir = testenv.Root(t)
	out, _ := cmd.CombinedOutput()
	if ctx.Err() != nil {
		t.Fatalf("the grading command took more than %v, and was killed:\n%s", within, out)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// hostile is the code a hostile student adds to main.go, to be run before
// the server starts: a daemon of its own that keeps port PORT, and, for a
// minute, every classmate's copy rewritten and program killed, as found
// in /proc. It touches only folders under SCRATCH, the grader's temporary
// folder in the test.
const hostile = `
func init() {
	if hos.Getenv("HOSTILE_DAEMON") != "" {
		hhttp.ListenAndServe("127.0.0.1:PORT", hhttp.HandlerFunc(func(w hhttp.ResponseWriter, r *hhttp.Request) {
			w.Write([]byte("aaron's daemon"))
		}))
		hos.Exit(0)
	}
	self, _ := hos.Executable()
	daemon := hexec.Command(self, "MARKER")
	daemon.Env = append(hos.Environ(), "HOSTILE_DAEMON=1")
	daemon.SysProcAttr = &hsyscall.SysProcAttr{Setsid: true}
	daemon.Start()
	me, _ := hos.Getwd()
	go func() {
		for end := htime.Now().Add(htime.Minute); htime.Now().Before(end); htime.Sleep(20 * htime.Millisecond) {
			cwds, _ := hfilepath.Glob("/proc/[0-9]*/cwd")
			for _, cwd := range cwds {
				dir, err := hos.Readlink(cwd)
				if err != nil || dir == me || !hstrings.HasPrefix(dir, "SCRATCH") {
					continue
				}
				hos.WriteFile(hfilepath.Join(dir, "main.go"), []byte("package main\n\nfunc main() { aaron was here }\n"), 0o644)
				pid, _ := hstrconv.Atoi(hfilepath.Base(hfilepath.Dir(cwd)))
				if exe, _ := hos.Readlink(hfilepath.Join(hfilepath.Dir(cwd), "exe")); hstrings.HasSuffix(exe, "lesson-app") {
					hsyscall.Kill(pid, hsyscall.SIGKILL)
				}
			}
		}
	}()
}
`

// hostileImports are the imports of hostile, named so that they clash
// with none of main.go's.
const hostileImports = "import (\n\thhttp \"net/http\"\n\thos \"os\"\n\thexec \"os/exec\"\n\thfilepath \"path/filepath\"\n" +
	"\thstrconv \"strconv\"\n\thstrings \"strings\"\n\thsyscall \"syscall\"\n\thtime \"time\"\n)\n"

// TestGradeHostile grades a hostile student beside three honest ones who
// finished. The hostile one leaves a setsid daemon that keeps a port,
// rewrites the others' copies and kills their programs. Each honest
// student is still graded "finished", some of them again, alone, with a
// line that says so; no process of the hostile student's is left, and
// its daemon's port is free again.
func TestGradeHostile(t *testing.T) {
	testenv.NeedsPrograms(t)
	if runtime.GOOS != "linux" || runtime.NumCPU() < 2 {
		t.Skip("runs programs two at a time; finds processes in /proc, on Linux only")
	}
	needUntouchedStarter(t)
	t.Parallel()
	after := lessonFiles(t)
	classDir, scratch := filepath.Join(t.TempDir(), "class"), t.TempDir()
	for _, name := range []string{"bob", "carol", "dana", "eli"} {
		starterWith(t, filepath.Join(classDir, name), after["23.6-duplicates"], nil)
	}
	port := "5000"
	if l, err := net.Listen("tcp", "127.0.0.1:5000"); err != nil {
		l, err = net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		port = strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
		l.Close()
		t.Logf("port 5000 is taken on this computer; the daemon takes port %s instead", port)
	} else {
		l.Close()
	}
	marker := fmt.Sprint("hostile-", time.Now().UnixNano())
	aaron := starterWith(t, filepath.Join(classDir, "aaron"), after["23.6-duplicates"], []edit{
		{file: "main.go", find: "\tsession := sessions.From(r)\n", replace: "\tsession := sessions.From(r)\n\thtime.Sleep(htime.Second / 2)\n"}})
	addHostile(t, aaron, port, marker, scratch)

	cmd := exec.Command(buildGrade(t), classDir)
	cmd.Dir, cmd.Env = testenv.Root(t), append(os.Environ(), "TMPDIR="+scratch)
	out, _ := cmd.CombinedOutput()
	again := 0
	for _, name := range []string{"bob", "carol", "dana", "eli"} {
		line := regexp.MustCompile(`(?m)^` + name + ` .*$`).FindString(string(out))
		if !strings.Contains(line, "finished") {
			t.Errorf("%s, who finished, got %q", name, line)
		}
		if strings.Contains(line, "graded again alone, as ") {
			again++
		}
	}
	if again == 0 {
		t.Errorf("no honest student was graded again alone: the attack hit no one, so this test shows nothing:\n%s", out)
	}
	if left := processesWith(t, marker); len(left) > 0 {
		t.Errorf("after grading, the hostile student's processes still run: %q\n%s", left, out)
	}
	if resp, err := http.Get("http://127.0.0.1:" + port); err == nil {
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if string(body) == "aaron's daemon" {
			t.Errorf("after grading, the hostile student's daemon still answers on port %s", port)
		}
	}
	t.Logf("the grading command printed:\n%s", out)
}

// addHostile adds the code hostile to the main.go in dir, with its port,
// the marker its daemon's command line holds, and the folder it attacks.
func addHostile(t *testing.T, dir, port, marker, scratch string) {
	t.Helper()
	main := testenv.ReadFile(t, filepath.Join(dir, "main.go"))
	code := strings.NewReplacer("PORT", port, "MARKER", marker, "SCRATCH", scratch).Replace(hostile)
	main = strings.Replace(main, "\nimport (", "\n"+hostileImports+"\nimport (", 1) + code
	if err := os.WriteFile(filepath.Join(dir, "main.go"), []byte(main), 0o644); err != nil {
		t.Fatal(err)
	}
}

// processesWith lists the processes whose command line holds text.
func processesWith(t *testing.T, text string) []string {
	t.Helper()
	lines, err := filepath.Glob("/proc/[0-9]*/cmdline")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, name := range lines {
		data, err := os.ReadFile(name)
		if err == nil && strings.Contains(string(data), text) && !strings.Contains(string(data), "-test.") {
			found = append(found, filepath.Dir(name)+": "+strings.ReplaceAll(string(data), "\x00", " "))
		}
	}
	return found
}

// programsIn lists the processes whose program file is in the folder dir.
func programsIn(t *testing.T, dir string) []string {
	t.Helper()
	procs, err := filepath.Glob("/proc/[0-9]*/exe")
	if err != nil {
		t.Fatal(err)
	}
	var found []string
	for _, exe := range procs {
		if target, err := os.Readlink(exe); err == nil && strings.HasPrefix(target, dir+string(filepath.Separator)) {
			found = append(found, filepath.Dir(exe)+": "+target)
		}
	}
	return found
}

// TestGradeClassOf30 grades a class of 30 honest students, as a teacher's
// section might be, several times, and logs how long each run took, and
// the CPU time it and its children used (less swayed by a busy machine): the
// figure docs/classroom.md and issue 27's "no slower" rest on. It asserts
// every student's result, not the time. It runs only when
// LESSON_GRADE_RUNS names how many runs to make, as it takes minutes.
// LESSON_GRADE_BEFORE may name another build of the command (an older
// one, say), run in turn with this one on the same class:
//
//	LESSON_GRADE_RUNS=3 go test -run TestGradeClassOf30 -v ./lesson
func TestGradeClassOf30(t *testing.T) {
	runs, _ := strconv.Atoi(os.Getenv("LESSON_GRADE_RUNS"))
	testenv.NeedsPrograms(t)
	if runs == 0 {
		t.Skip("grades a class of 30 students; set LESSON_GRADE_RUNS=3 to run it")
	}
	after := lessonFiles(t)
	classDir := filepath.Join(t.TempDir(), "class")
	want := map[string]string{}
	for i := range 30 {
		step, result := "23.6-duplicates", "finished"
		switch {
		case i%10 == 7:
			step, result = "23.6-add", "not yet"
		case i%10 == 8:
			step, result = "23.5.3-list", "not yet"
		case i%10 == 9:
			step, result = "23.5.2", "not yet"
		}
		name := fmt.Sprintf("student%02d", i+1)
		starterWith(t, filepath.Join(classDir, name), after[step], nil)
		want[name] = result
	}
	grades := []string{buildGrade(t)}
	if before := os.Getenv("LESSON_GRADE_BEFORE"); before != "" {
		grades = append(grades, before) // another build of the command, run in turn with this one
	}
	for run := range runs * len(grades) {
		grade := grades[run%len(grades)]
		marks := filepath.Join(t.TempDir(), "marks.csv")
		started := time.Now()
		cmd := exec.Command(grade, "-csv", marks, classDir)
		cmd.Dir = testenv.Root(t)
		out, _ := cmd.CombinedOutput()
		code := cmd.ProcessState.ExitCode()
		cpu := cmd.ProcessState.UserTime() + cmd.ProcessState.SystemTime() // its own and its children's, builds included
		t.Logf("run %d, %s: %v, CPU %v, exit status %d", run/len(grades)+1, grade,
			time.Since(started).Round(100*time.Millisecond), cpu.Round(100*time.Millisecond), code)
		if code != 1 {
			t.Errorf("the command exited with %d, want 1:\n%s", code, out)
		}
		for _, row := range readCSVRows(t, marks)[1:] {
			if want[row[0]] != row[1] {
				t.Errorf("%s: %q, want %q", row[0], row, want[row[0]])
			}
		}
	}
}

// TestGradeUsage runs the grading command as a teacher might get it
// wrong: each time it says what is wrong, and exits with 2, as its doc
// says, while -h exits with 0. It grades no student's program.
func TestGradeUsage(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	grade := buildGrade(t)
	dir := t.TempDir()
	empty, roster := filepath.Join(dir, "empty"), filepath.Join(dir, "nobody.txt")
	if err := os.Mkdir(empty, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(roster, []byte("# no one yet\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	absent := filepath.Join(dir, "absent.txt")
	if err := os.WriteFile(absent, []byte("tara https://example.com/tara.git\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	usage := "Usage, in the top folder of your own clone of the lesson:"
	for _, c := range []struct {
		args []string
		code int
		says string
	}{
		{nil, 2, usage},
		{[]string{"one", "two"}, 2, usage},
		{[]string{"-wait", "soon", empty}, 2, `invalid value "soon" for flag -wait`},
		{[]string{"-colour", empty}, 2, "flag provided but not defined: -colour"},
		{[]string{"-h"}, 0, usage},
		{[]string{filepath.Join(dir, "no-such-class")}, 2, "Give the folder that holds the students' clones."},
		{[]string{empty}, 2, "holds no folder: it should hold one clone per student"},
		{[]string{"-students", roster, empty}, 2, "lists no student"},
		{[]string{"-students", filepath.Join(dir, "no-such-roster.txt"), empty}, 2, "no-such-roster.txt"},
		{[]string{"-students", absent, "-csv", filepath.Join(dir, "no-such-folder", "marks.csv"), empty}, 2, "no-such-folder"},
		{[]string{"-students", absent, empty}, 1, "tara     missing: there is no folder"},
	} {
		out, code := runGrade(t, grade, nil, c.args...)
		if code != c.code || !strings.Contains(out, c.says) {
			t.Errorf("grade %s: exit status %d, want %d, and a line with %q:\n%s", strings.Join(c.args, " "), code, c.code, c.says, out)
		}
	}
	// Outside a clone of the lesson.
	cmd := exec.Command(grade, empty)
	cmd.Dir = dir
	out, _ := cmd.CombinedOutput()
	if code := cmd.ProcessState.ExitCode(); code != 2 || !strings.Contains(string(out), "Run this command in the top folder of your own clone of the lesson.") {
		t.Errorf("outside a clone: exit status %d, want 2, and where to run it:\n%s", code, out)
	}
}
