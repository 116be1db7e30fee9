package lesson

import (
	"encoding/csv"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/program"
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
		result: "finished", verdicts: "done,done,done,done"},
	{name: "ben", step: "",
		result: "not yet", verdicts: "not yet,not yet,not yet,not yet"},
	{name: "chloe", step: "23.5.2",
		result: "not yet", verdicts: "done,not yet,not yet,not yet"},
	{name: "dev", step: "23.5.3-list", extra: withBrokenSessionLayer,
		result: "not yet", verdicts: "done,done,not yet,not yet"},
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
	{name: "sam", folder: oldFinishedApp, result: "finished app", note: "main.go at the top is the lesson's finished app"},
	{name: "tara", result: "missing", note: "there is no folder"},
	{name: "uma", folder: notTheLesson, result: "not the lesson", note: "there is no main.go"},
	{name: "vera", step: "23.5.2", // main panics before it starts the server
		edits:  []edit{{file: "main.go", find: "\tmux := http.NewServeMux()\n", replace: "\tpanic(\"not yet written\")\n\tmux := http.NewServeMux()\n"}},
		result: "ended before it listened", note: "exit status 2"},
}

// TestGrade makes a class of students' clones, one for each kind of line the
// grading command gives, and runs the command on it as a teacher does, with
// a list of students: each student gets the line they should, in order, the
// CSV holds the same, and the exit status says that not everyone finished.
// A class in which everyone finished exits with 0. No student's own test
// ever runs, and no student's copy of the session layer is used.
func TestGrade(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and runs a program for each student; skipped with -short")
	}
	needUntouchedStarter(t)
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
	start := regexp.MustCompile(`^Grading 23 students in .*class, \d+ at a time\.$`)
	end := regexp.MustCompile(`^Graded 23 students in \d+(m\d+)?s\. 2 of 23 finished\.$`)
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
	checkSample(t, out, classDir, strings.Split(program.ReadT(t, marks), "\n"))

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
	for _, s := range class {
		list.WriteString(s.name + " https://example.com/" + s.name + "/lesson.git\n")
		folder := filepath.Join(dir, s.name)
		switch {
		case s.folder != nil:
			s.folder(t, folder)
		case s.result != "missing":
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
	root := program.RootT(t)
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
	program.CopyT(t, root, dir, names...)
	program.CopyT(t, filepath.Join(root, "testdata", "classroom"), dir, "sabotage_test.go")
}

// withBrokenSessionLayer adds a session.go that does not compile, as a
// student who changed the session layer might leave it.
func withBrokenSessionLayer(t *testing.T, dir string) {
	t.Helper()
	text := program.ReadT(t, filepath.Join(program.RootT(t), "testdata", "classroom", "session.go.txt"))
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
	root := program.RootT(t)
	program.CopyT(t, filepath.Join(root, "finished"), dir, "main.go", "index.html", "style.css")
	program.CopyT(t, root, filepath.Join(dir, "starter"), "main.go", "index.html", "style.css")
}

// oldFinishedApp makes a clone whose main.go at the top is the finished app.
func oldFinishedApp(t *testing.T, dir string) {
	t.Helper()
	program.CopyT(t, filepath.Join(program.RootT(t), "finished"), dir, "main.go", "index.html", "style.css")
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
	build.Dir = program.RootT(t)
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
	cmd.Dir, cmd.Env = program.RootT(t), append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatalf("the grading command did not run: %v\n%s", err, out)
	}
	return string(out), cmd.ProcessState.ExitCode()
}

// readCSV reads a CSV file's rows.
func readCSV(t *testing.T, name string) [][]string {
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
	if len(rows) != len(class)+1 {
		t.Fatalf("the CSV has %d rows, want a header and %d students", len(rows), len(class))
	}
	return rows
}

// TestGradeCtrlC presses Ctrl+C while the grading command waits for a
// student's program that loops: the command says it stopped, and no
// program of a student is left running. (Linux only: it finds the programs
// by their files, in /proc.)
func TestGradeCtrlC(t *testing.T) {
	if testing.Short() || runtime.GOOS != "linux" {
		t.Skip("builds and runs a program; finds them in /proc, on Linux only")
	}
	needUntouchedStarter(t)
	t.Parallel()
	after := lessonFiles(t)
	classDir := filepath.Join(t.TempDir(), "class")
	for _, name := range []string{"milo", "nina"} {
		starterWith(t, filepath.Join(classDir, name), after["23.6-add"], class[slices.IndexFunc(class, func(s student) bool { return s.name == "milo" })].edits)
	}
	scratch := t.TempDir() // the command's temporary folder, where the students' programs are built
	cmd := exec.Command(buildGrade(t), classDir)
	cmd.Dir, cmd.Env = program.RootT(t), append(os.Environ(), "TMPDIR="+scratch)
	var out strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	running := func() []string { return programsIn(t, scratch) }
	for deadline := time.Now().Add(90 * time.Second); len(running()) < 2 && time.Now().Before(deadline); {
		time.Sleep(100 * time.Millisecond)
	}
	if len(running()) < 2 {
		cmd.Process.Kill()
		t.Fatalf("no student's program ran within 90 seconds:\n%s", out.String())
	}
	cmd.Process.Signal(os.Interrupt)
	cmd.Wait()
	if left := running(); len(left) > 0 {
		t.Errorf("after Ctrl+C, programs of students still run: %q", left)
	}
	if want := "Stopped with Ctrl+C after 0 of 2 students. No student's program is left running.\n"; !strings.HasSuffix(out.String(), want) || cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("after Ctrl+C the command exited with %d and printed\n%s\nwant exit status 1 and the last line %q", cmd.ProcessState.ExitCode(), out.String(), want)
	}
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
