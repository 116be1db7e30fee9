// Package browser drives the lesson's starter and finished app in a real,
// headless Chromium, as a learner would: type, click, reload, look at the
// cookie, clear it.
//
// It lives in a module of its own so that the lesson's go.mod keeps its one
// dependency. Run it from this folder with Chromium installed:
//
//	go test -v .
//
// With -screenshots it also writes the README's pictures into docs/: the
// starter, the starter at each stage of the lesson that has a picture, and
// the finished app. Without, it checks that every picture the README shows is
// there:
//
//	go test -v . -args -screenshots
package browser

import (
	"bytes"
	"context"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

var screenshots = flag.Bool("screenshots", false, "write the README's pictures into docs/")

// startApp builds main.go in the folder dir (the repository is ../..) and
// starts it on a free port, as go run main.go does, with internal/program,
// the project's one harness. It returns the address from the " * Running
// on" line of the app's banner.
func startApp(t *testing.T, dir string) string {
	t.Helper()
	return startProgram(t, dir, "127.0.0.1:0", "SECRET_KEY=browser test key").URL
}

// startProgram builds main.go in the folder dir and starts it on addr (port
// 0: a free port) with env, and stops it when the test ends. Without
// SECRET_KEY in env, it runs in debug mode, as a learner's does.
func startProgram(t *testing.T, dir, addr string, env ...string) *program.Program {
	t.Helper()
	root, err := filepath.Abs(dir)
	if err != nil {
		t.Fatal(err)
	}
	bin := testenv.Build(t, root)
	for range 5 {
		app, err := program.Start([]string{bin, "-addr", addr}, program.Options{Dir: root, Env: env, TempDir: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		if !refusedByChromium(app.URL) {
			t.Cleanup(func() {
				app.Stop()
				if t.Failed() {
					t.Logf("%s printed:\n%s", dir, app.Terminal())
				}
			})
			return app
		}
		app.Stop()
	}
	t.Fatal("the app did not start on a port Chromium accepts")
	return nil
}

// refusedByChromium reports whether url's port is one Chromium will not
// load (ERR_UNSAFE_PORT), among those the system may hand out.
func refusedByChromium(url string) bool {
	i := strings.LastIndexByte(url, ':')
	return slices.Contains([]string{"1719", "1720", "1723", "2049", "3659", "4045", "4190", "5060", "5061",
		"6000", "6566", "6665", "6666", "6667", "6668", "6669", "6679", "6697", "10080"}, url[i+1:])
}

// newBrowser starts headless Chromium with the flags this machine needs.
func newBrowser(t *testing.T) context.Context {
	t.Helper()
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.NoSandbox, // the CI runs as root
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		// Other sites' names, for pages that come from another site or
		// name another host: all lead to this computer.
		chromedp.Flag("host-resolver-rules", "MAP *.test 127.0.0.1"),
		chromedp.UserDataDir(t.TempDir()),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(allocCtx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx, chromedp.EmulateViewport(720, 640)); err != nil { // starts the browser
		t.Fatalf("cannot start Chromium (apt-get install chromium): %v", err)
	}
	return ctx
}

// learner is a person at the browser.
type learner struct {
	t   *testing.T
	ctx context.Context
	url string
}

func (l *learner) do(steps ...chromedp.Action[chromedp.Void]) {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		l.t.Fatal(err)
	}
}

// click clicks a button that submits a form and waits for the new page.
func (l *learner) click(selector string) {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		l.t.Fatalf("click %s: %v", selector, err)
	}
	if resp.Status != 200 {
		l.t.Fatalf("click %s: the page answered %d", selector, resp.Status)
	}
}

func (l *learner) add(item string) {
	l.t.Helper()
	l.do(chromedp.SendKeys(chromedp.CSS("#new_item"), item))
	l.click(`button[value="add"]`)
}

func evaluate[T any](l *learner, js string) T {
	l.t.Helper()
	v, err := chromedp.Run(l.ctx, chromedp.Evaluate[T](js))
	if err != nil {
		l.t.Fatalf("%s: %v", js, err)
	}
	return v
}

// sees checks the feedback line and the list on the page.
func (l *learner) sees(step, message string, list ...string) {
	l.t.Helper()
	gotMessage := evaluate[string](l, `document.querySelector(".message")?.textContent ?? ""`)
	gotList := evaluate[[]string](l, `[...document.querySelectorAll('input[name="del_items"]')].map(e => e.value)`)
	if gotMessage != message || !slices.Equal(gotList, list) {
		l.t.Errorf("%s: the page shows %q and %q; want %q and %q", step, gotMessage, gotList, message, list)
	}
}

func (l *learner) sessionCookie() *network.Cookie {
	l.t.Helper()
	res, err := chromedp.Call(l.ctx, network.GetCookies, network.GetCookiesParams{URLs: []string{l.url}})
	if err != nil {
		l.t.Fatal(err)
	}
	for _, c := range res.Cookies {
		if c.Name == "session" {
			return c
		}
	}
	return nil
}

// picture writes a screenshot of the page to docs/pictures/name with
// -screenshots; without, it checks that the README's picture is there.
func (l *learner) picture(name string) {
	l.t.Helper()
	path := filepath.Join("../../docs/pictures", name)
	if !*screenshots {
		data, err := os.ReadFile(path)
		if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			l.t.Errorf("the README shows %s, which is missing or not a PNG (go test . -args -screenshots makes it): %v", path, err)
		}
		return
	}
	evaluate[bool](l, `document.activeElement?.blur(), true`) // the same picture whether the input has the focus or not
	png, err := chromedp.Run(l.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		l.t.Fatal(err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		l.t.Fatal(err)
	}
	l.t.Logf("wrote %s", path)
}

// TestStarterInChromium: the starter, run in debug mode as a learner runs
// it, shows the lesson's form and empty list, sets no cookie, and prints the
// lines the README's terminal sample shows.
func TestStarterInChromium(t *testing.T) {
	if page, _ := os.ReadFile("../../index.html"); os.Getenv("CI") != "true" && !bytes.Contains(page, []byte("Nothing here yet...")) {
		t.Skip("the top folder holds your own lesson work, and this test needs the untouched starter. " +
			"To check your work, run in the top folder: go test -run TestMyWork -v")
	}
	app := startProgram(t, "../..", "127.0.0.1:0", "SECRET_KEY=")
	url := app.URL
	l := &learner{t: t, ctx: newBrowser(t), url: url}
	l.do(chromedp.Navigate(url + "/"))
	checkTerminalSample(t, app)
	for js, want := range map[string]string{
		`document.querySelector("h1").textContent`:                 "Session Practice",
		`document.querySelector("label").textContent`:              "New List Item:",
		`document.querySelector("button").textContent`:             "Add Item",
		`document.querySelector("section h2").textContent`:         "List Items:",
		`document.querySelector("section p").textContent`:          "Nothing here yet...",
		`getComputedStyle(document.querySelector("form")).display`: "block",
	} {
		if got := evaluate[string](l, js); got != want {
			t.Errorf("%s is %q, want %q", js, got, want)
		}
	}
	if evaluate[string](l, `getComputedStyle(document.documentElement).backgroundColor`) != "rgb(245, 247, 250)" {
		t.Error("the stylesheet did not load")
	}
	l.do(chromedp.SendKeys(chromedp.CSS("#new_item"), "milk"))
	l.click("button")
	if l.sessionCookie() != nil {
		t.Error("the starter set a session cookie before any step stored something")
	}
	l.do(chromedp.Navigate(url + "/"))
	l.picture("starter.png")
}

// checkTerminalSample checks that the terminal shows what the README's
// sample shows after the first page load: the banner and the request lines,
// with the address and the dates of the sample.
func checkTerminalSample(t *testing.T, app *program.Program) {
	t.Helper()
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, after, _ := strings.Cut(string(readme), "The terminal talks like Flask's server")
	_, block, _ := strings.Cut(after, "```\n")
	sample, _, _ := strings.Cut(block, "```")
	if app.WaitFor(0, "GET /style.css") < 0 {
		t.Fatalf("the browser's request for the stylesheet got no line:\n%s", app.Terminal())
	}
	time.Sleep(time.Second) // any request the browser makes on its own, such as /favicon.ico, comes in this second
	terminal := strings.ReplaceAll(app.Terminal(), app.URL, "http://127.0.0.1:5000")
	terminal = regexp.MustCompile(`\[\d\d/\w{3}/\d{4} \d\d:\d\d:\d\d\]`).ReplaceAllString(terminal, "[26/Nov/2026 10:00:00]")
	if terminal != sample {
		t.Errorf("after the first page load, the terminal shows\n%s\nand the README's sample shows\n%s", terminal, sample)
	}
}

// TestFinishedInChromium: the finished app (finished/main.go) adds,
// title-cases, sorts and removes, and its cookie is HttpOnly and Lax.
func TestFinishedInChromium(t *testing.T) {
	url := startApp(t, "../../finished")
	l := &learner{t: t, ctx: newBrowser(t), url: url}

	l.do(chromedp.Navigate(url + "/"))
	if h1 := evaluate[string](l, `document.querySelector("h1").textContent`); h1 != "Session Practice" {
		t.Errorf("the heading is %q", h1)
	}
	l.sees("first visit", "")

	l.add("milk")
	l.sees("add milk", "You just added 'Milk' to the list.", "Milk")
	l.add("green apples")
	l.add("bREAD")
	l.sees("title case, sorted", "You just added 'Bread' to the list.", "Bread", "Green Apples", "Milk")
	l.picture("finished.png")
	l.add("MILK")
	l.sees("duplicate", "The list already contains 'Milk'.", "Bread", "Green Apples", "Milk")

	// Reload from the address bar: the reload button would send the last
	// form again, as it does for the Flask app, whose index answers POST
	// with the page itself.
	l.do(chromedp.Navigate(url + "/"))
	l.sees("reload", "", "Bread", "Green Apples", "Milk")

	c := l.sessionCookie()
	if c == nil {
		t.Fatal("Chromium holds no session cookie")
	}
	if !c.HTTPOnly || !c.Session || c.Path != "/" || c.SameSite != network.CookieSameSiteLax {
		t.Errorf("the cookie: HttpOnly %v, browser-session %v, Path %q, SameSite %q; want true, true, /, Lax",
			c.HTTPOnly, c.Session, c.Path, c.SameSite)
	}
	if js := evaluate[string](l, `document.cookie`); strings.Contains(js, "session=") {
		t.Errorf("page scripts can read the session cookie: %q", js)
	}

	l.do(chromedp.Click(chromedp.CSS(`input[value="Milk"]`)), chromedp.Click(chromedp.CSS(`input[value="Bread"]`)))
	l.click(`button[value="remove"]`)
	l.sees("remove selected", "", "Green Apples")

	if _, err := chromedp.Call(l.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		t.Fatal(err)
	}
	l.do(chromedp.Navigate(url + "/"))
	l.sees("after clearing cookies", "")
	if l.sessionCookie() == nil {
		t.Error("the first visit after clearing cookies stored no new session cookie")
	}
}

// TestStagesInChromium photographs the starter at each stage of the lesson
// that the README shows a picture of, and checks what the page shows there.
// The stages come from TestLessonSteps, which applies the README's steps:
// with -stages=DIR it leaves the starter as each step left it in DIR/STEP.
func TestStagesInChromium(t *testing.T) {
	stages := t.TempDir()
	lesson := exec.Command("go", "test", "-count=1", "-v", "-run", "^TestLessonSteps$", "./lesson", "-args", "-stages="+stages)
	lesson.Dir = "../.."
	out, err := lesson.CombinedOutput()
	if err != nil {
		t.Fatalf("go test -run TestLessonSteps: %v\n%s", err, out)
	}
	if bytes.Contains(out, []byte("--- SKIP: TestLessonSteps")) {
		t.Skip("TestLessonSteps skipped itself, so there are no stages to photograph:\n" + string(out))
	}
	ctx := newBrowser(t)
	for _, stage := range []struct {
		step  string
		shows func(l *learner) // what the README says the browser shows
	}{
		{"23.5.3-placeholder", func(l *learner) { l.seesText("section p", "[]") }},
		{"23.5.3-experiment", func(l *learner) { l.seesText("section p", "[Milk Eggs]") }},
		{"23.6-duplicates", func(l *learner) {
			for _, item := range []string{"milk", "eggs", "apples", "APPLES"} {
				l.do(chromedp.SendKeys(chromedp.CSS("#new_item"), item))
				l.click("button")
			}
			l.seesItems("Milk", "Eggs", "Apples")
		}},
	} {
		t.Run(stage.step, func(t *testing.T) {
			url := startApp(t, filepath.Join(stages, stage.step))
			if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil { // a new learner
				t.Fatal(err)
			}
			l := &learner{t: t, ctx: ctx, url: url}
			l.do(chromedp.Navigate(url + "/"))
			stage.shows(l)
			l.do(chromedp.Navigate(url + "/")) // a fresh page: no form left to send again
			l.picture(stage.step + ".png")
		})
	}
}

// TestButtonsInChromium: the buttons page (buttons/main.go) builds a string
// of digits in the session as its buttons are clicked, and Delete takes the
// last one off.
func TestButtonsInChromium(t *testing.T) {
	url := startApp(t, "../../buttons")
	l := &learner{t: t, ctx: newBrowser(t), url: url}
	l.do(chromedp.Navigate(url + "/"))
	l.seesText("h1", "Active Buttons")
	for _, value := range []string{"1", "2", "3", "delete", "4", "5"} {
		l.click(`button[value="` + value + `"]`)
	}
	l.seesText(".output", "1245")
	l.do(chromedp.Navigate(url + "/"))
	l.seesText(".output", "1245")
	l.picture("buttons.png")
}

// seesText checks the text of the element selector finds.
func (l *learner) seesText(selector, want string) {
	l.t.Helper()
	if got := evaluate[string](l, `document.querySelector(`+strconv.Quote(selector)+`)?.textContent ?? ""`); got != want {
		l.t.Errorf("%s shows %q, want %q", selector, got, want)
	}
}

// seesItems checks the list items on the page.
func (l *learner) seesItems(want ...string) {
	l.t.Helper()
	if got := evaluate[[]string](l, `[...document.querySelectorAll("li")].map(e => e.textContent.trim())`); !slices.Equal(got, want) {
		l.t.Errorf("the list shows %q, want %q", got, want)
	}
}

// TestReadmePictures: every picture the README shows is in docs/pictures/,
// and every picture there is one the README shows.
func TestReadmePictures(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	shown := map[string]bool{}
	for _, m := range regexp.MustCompile(`\]\((docs/pictures/[^)]+)\)`).FindAllSubmatch(readme, -1) {
		shown[string(m[1])] = true
		data, err := os.ReadFile(filepath.Join("../..", string(m[1])))
		if err != nil || !bytes.HasPrefix(data, []byte("\x89PNG")) {
			t.Errorf("the README shows %s, which is missing or not a PNG (go test . -args -screenshots makes it): %v", m[1], err)
		}
	}
	files, _ := filepath.Glob("../../docs/pictures/*")
	for _, file := range files {
		if name := "docs/pictures/" + filepath.Base(file); !shown[name] {
			t.Errorf("%s is a picture the README does not show", name)
		}
	}
}
