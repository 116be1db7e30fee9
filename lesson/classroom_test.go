package lesson

import (
	"fmt"
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

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// classroomBlock is one fenced block of docs/classroom.md, marked
// <!-- classroom ID --> on the line before it.
type classroomBlock struct{ id, text string }

var (
	classroomMarker = regexp.MustCompile("(?s)<!-- classroom (\\S+) -->\\n```[a-z]*\\n(.*?)\\n```")
	fencedBlock     = regexp.MustCompile("(?ms)^```")
)

// classroomBlocks reads the marked blocks of docs/classroom.md, by ID, and
// fails the test for a fenced block with no marker.
func classroomBlocks(t *testing.T) map[string]string {
	t.Helper()
	page := testenv.ReadFile(t, filepath.Join(testenv.Root(t), "docs", "classroom.md"))
	blocks := map[string]string{}
	for _, m := range classroomMarker.FindAllStringSubmatch(page, -1) {
		if _, twice := blocks[m[1]]; twice {
			t.Errorf("docs/classroom.md marks two blocks %q", m[1])
		}
		blocks[m[1]] = m[2]
	}
	if fences := len(fencedBlock.FindAllString(page, -1)); fences != 2*len(blocks) {
		t.Errorf("docs/classroom.md has %d fenced blocks, and %d of them are marked <!-- classroom ID -->: mark each, so that a test checks it", fences/2, len(blocks))
	}
	return blocks
}

// TestClassroomPage runs the commands of docs/classroom.md, the teacher's
// page, or checks those it cannot run here, so that the page says what
// really happens. Commands that change Go's settings (go env -w) run with
// GOENV set to a file of the test's own, so this computer's settings stay as
// they are. Each block of the page is marked <!-- classroom ID -->; a block
// that no check below knows fails the test, and so does a check whose block
// is gone. The grading command's blocks are TestGrade's.
func TestClassroomPage(t *testing.T) {
	testenv.NeedsPrograms(t)
	root := testenv.Root(t)
	blocks := classroomBlocks(t)
	checks := map[string]func(t *testing.T, block string){
		// go version prints a version this lesson can use.
		"version": func(t *testing.T, block string) {
			out := run(t, root, nil, block)
			m := regexp.MustCompile(`^go version go1\.(\d+)`).FindStringSubmatch(out)
			if m == nil || atoi(t, m[1]) < 25 {
				t.Errorf("%s printed %q, want go1.25 or newer", block, out)
			}
		},
		// The warming command builds and runs the learner's check, and ends
		// with ok.
		"warm": func(t *testing.T, block string) {
			needUntouchedStarter(t)
			if out := run(t, root, nil, block); !strings.HasPrefix(out, "ok  \texample.com/sessions\t") || strings.Contains(out, "no tests to run") {
				t.Errorf("%s printed %q, want ok", block, out)
			}
		},
		// go env GOCACHE names a folder.
		"cache-where": func(t *testing.T, block string) {
			if out := strings.TrimSpace(run(t, root, nil, block)); !filepath.IsAbs(out) {
				t.Errorf("%s printed %q, want a folder", block, out)
			}
		},
		// go env -w GOCACHE=... changes what go env GOCACHE says (in a
		// settings file of the test's own).
		"cache-unix": func(t *testing.T, block string) {
			skipOnWindows(t, "cache-windows")
			// GOENV: a settings file of the test's own. GOCACHE empty: a
			// GOCACHE set in the environment would win over go env -w.
			env := []string{"GOENV=" + filepath.Join(t.TempDir(), "env"), "GOCACHE="}
			run(t, root, env, block)
			folder := strings.TrimPrefix(block, "go env -w GOCACHE=")
			if out := strings.TrimSpace(run(t, root, env, "go env GOCACHE")); out != folder {
				t.Errorf("after %s, go env GOCACHE says %q", block, out)
			}
		},
		// Windows's twin of cache-unix, checked for its form: no PowerShell here.
		"cache-windows": func(t *testing.T, block string) {
			if !regexp.MustCompile(`^go env -w GOCACHE=[A-Z]:\\\S+$`).MatchString(block) {
				t.Errorf("the Windows command is %q, want go env -w GOCACHE=, then a folder with its drive", block)
			}
		},
		// With TMPDIR set, go run and the development server run programs
		// from two folders only: the build cache, and TMPDIR (where the
		// server also makes a devserver-... folder for each rebuild). The
		// folder is the test's own, and the app gets a free port, so that
		// nothing else here matters.
		"tmp-unix": func(t *testing.T, block string) {
			skipOnWindows(t, "tmp-windows")
			needUntouchedStarter(t)
			folder := strings.TrimPrefix(strings.Split(block, "\n")[0], "mkdir -p ")
			mine := filepath.Join(t.TempDir(), "go-builds")
			script := strings.ReplaceAll(block, folder, mine)
			script = strings.Replace(script, "go run main.go", "exec go run main.go -addr 127.0.0.1:0", 1)
			if strings.Count(block, folder) != 2 || !strings.HasSuffix(block, "go run main.go") {
				t.Fatalf("the block is\n%s\nwant mkdir -p FOLDER, then TMPDIR=FOLDER go run main.go", block)
			}
			cache := strings.TrimSpace(run(t, root, nil, "go env GOCACHE"))
			p := testenv.Start(t, []string{"bash", "-c", script}, program.Options{Dir: root, Wait: 5 * time.Minute})
			// The banner comes before the front starts its child; the front
			// answers a page only once the child runs. So the count below
			// waits for a page, not for the banner (issue 31).
			browser := p.Browser()
			browser.Client.Timeout = 90 * time.Second // only a guard: the front waits 60 seconds at most
			if page, err := browser.Get("/"); err != nil || page.Status != 200 {
				t.Fatalf("GET / from the app started with TMPDIR set: %v %d\n%s", err, page.Status, page.Body)
			}
			ours := func(found []string) (n int) { // the processes that run in the top folder, as this one does
				for _, p := range found {
					pid, _, _ := strings.Cut(p, ": ")
					if cwd, _ := os.Readlink(filepath.Join(pid, "cwd")); cwd == root {
						n++
					}
				}
				return n
			}
			if runtime.GOOS == "linux" && ours(programsIn(t, mine))+ours(programsIn(t, cache)) < 2 {
				t.Errorf("go run main.go runs no front and child from TMPDIR or the build cache (%s):\n%s", cache, p.Terminal())
			}
		},
		// Windows's twin of tmp-unix, checked for its form.
		"tmp-windows": func(t *testing.T, block string) {
			lines := strings.Split(block, "\n")
			folder := strings.TrimPrefix(lines[0], "mkdir ")
			if len(lines) != 3 || !regexp.MustCompile(`^[A-Z]:\\\S+$`).MatchString(folder) ||
				lines[1] != `$env:TMP = "`+folder+`"` || lines[2] != "go run main.go" {
				t.Errorf("the PowerShell block is\n%s\nwant mkdir FOLDER, $env:TMP = \"FOLDER\", go run main.go", block)
			}
		},
		// The app starts on the port the command names, or says who holds it.
		"port": func(t *testing.T, block string) {
			needUntouchedStarter(t)
			args := strings.Fields(block)
			addr := args[len(args)-1]
			p, err := program.Start(args, program.Options{Dir: root, Wait: 5 * time.Minute})
			if err != nil {
				if taken := addr + ": bind: address already in use"; !strings.Contains(err.Error(), taken) && !strings.Contains(err.Error(), "already running at http://"+addr) {
					t.Errorf("%s: %v", block, err)
				} else {
					t.Logf("something else holds %s here, and the app says so", addr)
				}
				return
			}
			defer p.Stop()
			if p.URL != "http://"+addr {
				t.Errorf("%s: the app runs on %s", block, p.URL)
			}
		},
		// The lab set-up for Windows, checked for its form: a folder on a
		// drive, opened to every account, GOCACHE and GOMODCACHE in it for
		// every account and for this terminal, then the warm-up.
		"lab-windows": func(t *testing.T, block string) {
			lines := strings.Split(block, "\n")
			folder := strings.TrimPrefix(lines[0], "mkdir ")
			want := []string{
				"mkdir " + folder,
				"icacls " + folder + ` /grant "Users:(OI)(CI)M"`,
				`[Environment]::SetEnvironmentVariable("GOCACHE", "` + folder + `\cache", "Machine")`,
				`[Environment]::SetEnvironmentVariable("GOMODCACHE", "` + folder + `\mod", "Machine")`,
				`$env:GOCACHE = "` + folder + `\cache"`,
				`$env:GOMODCACHE = "` + folder + `\mod"`,
				blocks["warm"],
			}
			if !regexp.MustCompile(`^[A-Z]:\\\S+$`).MatchString(folder) || !slices.Equal(lines, want) {
				t.Errorf("the PowerShell lab set-up is\n%s\nwant\n%s", block, strings.Join(want, "\n"))
			}
		},
		"lab-linux": checkLabLinux(root, blocks["warm"]),
		// In a codespace, the banner gives the codespace's address for the
		// port, and the page answers there; the README quotes the line.
		"codespace-banner": func(t *testing.T, block string) {
			needUntouchedStarter(t)
			m := regexp.MustCompile(`^ \* Running on http://127\.0\.0\.1:5000\n \* Open https://([a-z0-9-]+)-5000\.app\.github\.dev in your browser\nPress CTRL\+C to quit$`).FindStringSubmatch(block)
			if m == nil {
				t.Fatalf("the block is\n%s\nwant the banner's last lines in a codespace, for port 5000", block)
			}
			env := []string{"SECRET_KEY=", "CODESPACE_NAME=" + m[1], "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN=app.github.dev", "GITPOD_WORKSPACE_URL=", "DEBUG_ALLOWED_HOSTS="}
			p := testenv.Start(t, []string{"go", "run", "main.go", "-addr", "127.0.0.1:0"}, program.Options{Dir: root, Env: env, Wait: 5 * time.Minute})
			port := p.URL[strings.LastIndex(p.URL, ":")+1:]
			if want := strings.ReplaceAll(block, "5000", port); !strings.Contains(p.Terminal(), want) {
				t.Errorf("in a codespace, on port %s, the terminal shows\n%s\nwant\n%s", port, p.Terminal(), want)
			}
			if status, page := getAs(t, p, m[1]+"-"+port+".app.github.dev"); status != http.StatusOK || !strings.Contains(page, "<form") {
				t.Errorf("the page, asked for at the codespace's address: %d %q", status, page)
			}
			if line := strings.Split(block, "\n")[1]; !strings.Contains(readme(t), "`"+line+"`") {
				t.Errorf("the README does not quote the banner's line `%s` for a codespace", line)
			}
		},
		// DEBUG_ALLOWED_HOSTS lets a request for the name it lists in, and
		// no other; the page gives PowerShell's way to set it too.
		"allowed-hosts": func(t *testing.T, block string) {
			needUntouchedStarter(t)
			setting, command, _ := strings.Cut(block, " ")
			name, host, _ := strings.Cut(setting, "=")
			if name != "DEBUG_ALLOWED_HOSTS" || command != "go run main.go" || strings.Contains(host, ",") {
				t.Fatalf("the block is %q, want DEBUG_ALLOWED_HOSTS=NAME go run main.go", block)
			}
			if ps := "`$env:DEBUG_ALLOWED_HOSTS = \"" + host + "\"`"; !strings.Contains(testenv.ReadFile(t, filepath.Join(root, "docs", "classroom.md")), ps) {
				t.Errorf("docs/classroom.md does not give PowerShell's twin, %s", ps)
			}
			env := []string{"SECRET_KEY=", setting, "CODESPACE_NAME=", "GITPOD_WORKSPACE_URL="}
			p := testenv.Start(t, []string{"go", "run", "main.go", "-addr", "127.0.0.1:0"}, program.Options{Dir: root, Env: env, Wait: 5 * time.Minute})
			for asked, want := range map[string]int{host: http.StatusOK, host + ":5000": http.StatusOK, "evil.example": http.StatusBadRequest, "x." + host: http.StatusBadRequest} {
				if status, page := getAs(t, p, asked); status != want {
					t.Errorf("with %s, a request for %s: %d %q, want %d", setting, asked, status, page, want)
				}
			}
		},
		// The list of students has a name and a URL a line.
		"roster": func(t *testing.T, block string) {
			for _, line := range strings.Split(block, "\n") {
				if fields := strings.Fields(line); len(fields) != 2 || !strings.HasPrefix(fields[1], "https://") {
					t.Errorf("the list of students has the line %q, want a name, then the URL of a repository", line)
				}
			}
		},
		// The loop clones each student's repository into class/NAME, and
		// goes on past one that cannot be cloned.
		"clone-bash": func(t *testing.T, block string) {
			skipOnWindows(t, "clone-powershell")
			dir := t.TempDir()
			repo := filepath.Join(dir, "repositories", "amara")
			testenv.Copy(t, root, repo, "main.go", "index.html", "style.css")
			for _, git := range []string{"init -q", "add .", "-c user.name=Amara -c user.email=amara@example.com commit -q -m work"} {
				run(t, repo, nil, "git "+git)
			}
			// Saved on Windows (CRLF line ends), with no line end after the
			// last line.
			list := "ben " + filepath.Join(dir, "repositories", "nobody") + "\r\namara " + repo
			if err := os.WriteFile(filepath.Join(dir, "students.txt"), []byte(list), 0o644); err != nil {
				t.Fatal(err)
			}
			cmd := exec.Command("bash", "-c", block)
			cmd.Dir = dir
			out, _ := cmd.CombinedOutput() // the last clone's status; the folders tell
			if _, err := os.Stat(filepath.Join(dir, "class", "amara", "main.go")); err != nil {
				t.Errorf("the loop did not clone amara's repository after ben's failed: %v\n%s", err, out)
			}
			if _, err := os.Stat(filepath.Join(dir, "class", "ben")); err == nil {
				t.Errorf("a clone that failed left a folder:\n%s", out)
			}
		},
		// PowerShell's twin of clone-bash, checked for its form.
		"clone-powershell": func(t *testing.T, block string) {
			for _, part := range []string{"mkdir class\n", "Get-Content students.txt", "$name, $url = -split $_", `git clone $url "class/$name"`} {
				if !strings.Contains(block, part) {
					t.Errorf("the PowerShell loop lacks %q, which the bash loop does too:\n%s", part, block)
				}
			}
		},
		// TestGrade runs the grading command with these flags.
		"grade": func(t *testing.T, block string) {
			if block != "go run ./lesson/grade -students ../students.txt ../class" {
				t.Errorf("the grading command is %q, which TestGrade does not run", block)
			}
		},
		"grade-csv": func(t *testing.T, block string) {
			if block != "go run ./lesson/grade -students ../students.txt -csv ../marks.csv ../class" {
				t.Errorf("the grading command is %q, which TestGrade does not run", block)
			}
		},
		"grade-output": func(t *testing.T, block string) {}, // TestGrade checks it
		"csv-output":   func(t *testing.T, block string) {}, // TestGrade checks it
		"template":     func(t *testing.T, block string) {}, // TestGrade runs it to make a class (classTemplate)
	}
	for id, block := range blocks {
		check, ok := checks[id]
		if !ok {
			t.Errorf("docs/classroom.md has a block %q that no check of this test knows:\n%s", id, block)
			continue
		}
		t.Run(id, func(t *testing.T) { check(t, block) })
	}
	for id := range checks {
		if _, ok := blocks[id]; !ok {
			t.Errorf("docs/classroom.md has no block %q any more", id)
		}
	}
}

// checkLabLinux checks the Linux lab set-up by running it, with its
// folder and its profile.d file moved into the test's own and sudo left
// out: each account gets a folder of its own, which it may make; the
// profile.d file points Go there at each login; the warm-up fills the
// running account's module cache. The modules come from this computer's
// module cache, not the network. The account's build cache is this
// computer's own, linked in: filling an empty one took 4 minutes on a busy
// machine, and would prove only what the "warm" block and Go's own tests
// do.
func checkLabLinux(root, warm string) func(t *testing.T, block string) {
	return func(t *testing.T, block string) {
		skipOnWindows(t, "lab-windows")
		needUntouchedStarter(t)
		lines := strings.Split(block, "\n")
		folder := strings.TrimPrefix(lines[0], "sudo mkdir -p ")
		tee := regexp.MustCompile(`(?m)\| sudo tee (/etc/profile\.d/\S+\.sh) > /dev/null$`).FindStringSubmatch(block)
		if len(lines) != 5 || tee == nil || lines[4] != warm || lines[3] != ". "+tee[1] {
			t.Fatalf("the block is\n%s\nwant mkdir, chmod, a profile.d file written, read, and the warm-up", block)
		}
		dir := t.TempDir()
		script := "sudo() { \"$@\"; }\n" + strings.NewReplacer(folder, filepath.Join(dir, "go-lab"), tee[1], filepath.Join(dir, "go-lab.sh")).Replace(block)
		modules := strings.TrimSpace(run(t, root, nil, "go env GOMODCACHE"))
		if err := os.MkdirAll(filepath.Join(dir, "go-lab", "amara"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(strings.TrimSpace(run(t, root, nil, "go env GOCACHE")), filepath.Join(dir, "go-lab", "amara", "cache")); err != nil {
			t.Fatal(err)
		}
		env := []string{"USER=amara", "GOCACHE=", "GOMODCACHE=", "GOFLAGS=-modcacherw", "GOPROXY=file://" + filepath.ToSlash(filepath.Join(modules, "cache", "download"))}
		cmd := exec.Command("bash", "-c", script)
		cmd.Dir, cmd.Env = root, append(os.Environ(), env...)
		// It may print go: downloading lines first, and ends with ok.
		if out, err := cmd.CombinedOutput(); err != nil || !regexp.MustCompile(`(?m)\Aok  \texample\.com/sessions\t|^ok  \texample\.com/sessions\t.*\n\z`).Match(out) {
			t.Fatalf("the lab set-up: %v\n%s", err, out)
		}
		if info, err := os.Stat(filepath.Join(dir, "go-lab")); err != nil || info.Mode()&(os.ModeSticky|0o777) != os.ModeSticky|0o777 {
			t.Errorf("the lab folder: %v %v, want every account allowed to make a folder there, and none to remove another's", info.Mode(), err)
		}
		if _, err := os.Stat(filepath.Join(dir, "go-lab", "amara", "mod", "github.com", "gorilla", "securecookie@v1.1.2")); err != nil {
			t.Errorf("the warm-up did not fill the running account's module cache: %v", err)
		}
		for _, user := range []string{"amara", "ben"} {
			login := exec.Command("bash", "-c", ". "+filepath.Join(dir, "go-lab.sh")+" && go env GOCACHE GOMODCACHE")
			login.Env = append(os.Environ(), "USER="+user, "GOENV=off")
			out, err := login.CombinedOutput()
			if want := filepath.Join(dir, "go-lab", user, "cache") + "\n" + filepath.Join(dir, "go-lab", user, "mod") + "\n"; err != nil || string(out) != want {
				t.Errorf("at %s's login, go env GOCACHE GOMODCACHE says %q (%v), want %q", user, out, err, want)
			}
		}
	}
}

// getAs asks p for its page as a browser that reached it under the name
// host does, and returns the status and the page.
func getAs(t *testing.T, p *program.Program, host string) (int, string) {
	t.Helper()
	r, err := http.NewRequest(http.MethodGet, p.URL+"/", nil)
	if err != nil {
		t.Fatal(err)
	}
	r.Host = host // Go's client sends r.Host, whatever the header says
	b := p.Browser()
	b.Client.Timeout = 90 * time.Second // only a guard: the front waits 60 seconds at most
	page, err := b.Do(r)
	if err != nil {
		t.Fatalf("GET / for %s: %v", host, err)
	}
	return page.Status, page.Body
}

// skipOnWindows skips, on Windows, the check of a block for bash on macOS
// or Linux: it runs bash, or names a folder as those systems do. Its
// PowerShell twin is checked for its form there, as everywhere.
func skipOnWindows(t *testing.T, twin string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skipf("a command for bash on macOS or Linux; its Windows twin is the block %q", twin)
	}
}

// TestClassroomPageReads keeps the teacher's page in short sentences: under
// 15 words each, on average, outside code, tables and headings.
func TestClassroomPageReads(t *testing.T) {
	page := testenv.ReadFile(t, filepath.Join(testenv.Root(t), "docs", "classroom.md"))
	prose := regexp.MustCompile("(?s)```.*?```|<!--.*?-->").ReplaceAllString(page, "")
	prose = regexp.MustCompile(`(?m)^(#|\|).*$`).ReplaceAllString(prose, "")
	var sentences, words int
	for _, s := range regexp.MustCompile(`[.!?:](\s|$)`).Split(prose, -1) {
		if n := len(strings.Fields(s)); n > 0 {
			sentences++
			words += n
		}
	}
	if sentences == 0 || float64(words)/float64(sentences) >= 15 {
		t.Errorf("docs/classroom.md has %d words in %d sentences, want under 15 a sentence on average", words, sentences)
	}
	t.Logf("%d words in %d sentences: %.1f a sentence", words, sentences, float64(words)/float64(sentences))
}

// run runs a one-line command, split at spaces, in the folder dir with env
// added, and returns what it printed, or stops the test.
func run(t *testing.T, dir string, env []string, command string) string {
	t.Helper()
	args := strings.Fields(command)
	cmd := exec.Command(args[0], args[1:]...)
	cmd.Dir, cmd.Env = dir, append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("%s: %v\n%s", command, err, out)
	}
	return string(out)
}

// checkSample checks docs/classroom.md's copy of the grading command's
// output, and of its CSV, against what the command printed and wrote for
// TestGrade's class: each line the page shows is one of them, except the
// lines that say how many cores and seconds, which have their shape.
func checkSample(t *testing.T, out, classDir string, csvLines []string) {
	t.Helper()
	blocks := classroomBlocks(t)
	printed := strings.Split(strings.ReplaceAll(out, classDir, "../class"), "\n")
	if filepath.Separator != '/' {
		// The page shows the lines as macOS and Linux print them; Windows
		// names files with backslashes: .\main.go, ../class\tara.
		for i, line := range printed {
			printed[i] = strings.ReplaceAll(line, string(filepath.Separator), "/")
		}
		for i, line := range csvLines {
			csvLines[i] = strings.ReplaceAll(line, string(filepath.Separator), "/")
		}
	}
	shapes := []*regexp.Regexp{
		regexp.MustCompile(`^Grading \d+ students in \.\./class, \d+ at a time\.$`),
		regexp.MustCompile(`^Graded \d+ students in \d+(m\d+)?s\. \d+ of \d+ finished\.$`),
	}
	for _, line := range strings.Split(blocks["grade-output"], "\n") {
		shaped := slices.ContainsFunc(shapes, func(re *regexp.Regexp) bool { return re.MatchString(line) })
		if !shaped && !slices.Contains(printed, line) {
			t.Errorf("docs/classroom.md shows the grading command's line\n\t%s\nwhich it did not print:\n%s", line, out)
		}
	}
	for _, line := range strings.Split(blocks["csv-output"], "\n") {
		if !slices.Contains(csvLines, line) {
			t.Errorf("docs/classroom.md shows the CSV line\n\t%s\nwhich the command did not write:\n%s", line, strings.Join(csvLines, "\n"))
		}
	}
	if n := strconv.Itoa(len(class)); !strings.Contains(blocks["grade-output"], "Grading "+n+" students") {
		t.Errorf("docs/classroom.md's sample grades another class than TestGrade's %s students", n)
	}
}

// TestGoLine: every go.mod of the repository names a full release in its go
// line, the same as the lesson's: go 1.25.0, not go 1.25. Go 1.21 and 1.22
// read go 1.25 as a toolchain go1.25, which does not exist, and stop with
// "toolchain not available"; go 1.25.0 they fetch. A module's go line may
// not name an older Go than the module it uses. docs/classroom.md quotes
// what Go 1.21 to 1.24 print for that release; the line for
// GOTOOLCHAIN=local is checked here against this Go, for a release one
// ahead of it.
func TestGoLine(t *testing.T) {
	root := testenv.Root(t)
	goLine := regexp.MustCompile(`(?m)^go (\S+)$`)
	m := goLine.FindStringSubmatch(testenv.ReadFile(t, filepath.Join(root, "go.mod")))
	if m == nil || !regexp.MustCompile(`^1\.\d+\.\d+$`).MatchString(m[1]) {
		t.Fatalf("go.mod's go line is %q; want a full release, such as go 1.25.0: Go 1.21 and 1.22 take go 1.25 for a toolchain go1.25, which does not exist", m)
	}
	version := m[1]
	err := filepath.WalkDir(root, func(path string, d os.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case d.Name() == ".git" && d.IsDir():
			return filepath.SkipDir // a worktree's .git is a file
		case d.Name() == "go.mod":
			if other := goLine.FindStringSubmatch(testenv.ReadFile(t, path)); other == nil || other[1] != version {
				t.Errorf("%s says %q, want the lesson's go %s", path, other, version)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	page := testenv.ReadFile(t, filepath.Join(root, "docs", "classroom.md"))
	for _, want := range []string{"`go " + version + "`", "`go: downloading go" + version + " (windows/amd64)`", "`go: go.mod requires go >= " + version + "`"} {
		if !strings.Contains(strings.Join(strings.Fields(page), " "), want) {
			t.Errorf("docs/classroom.md does not quote %s, for Go 1.21 to 1.24", want)
		}
	}
	minor := atoi(t, regexp.MustCompile(`^go1\.(\d+)`).FindStringSubmatch(runtime.Version())[1])
	ahead := fmt.Sprintf("1.%d.0", minor+1)
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module ahead\n\ngo "+ahead+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("go", "list")
	cmd.Dir, cmd.Env = dir, append(os.Environ(), "GOTOOLCHAIN=local")
	if out, _ := cmd.CombinedOutput(); !strings.HasPrefix(string(out), "go: go.mod requires go >= "+ahead+" ") {
		t.Errorf("with GOTOOLCHAIN=local, for go %s, go list says %q; docs/classroom.md quotes another line", ahead, out)
	}
}
