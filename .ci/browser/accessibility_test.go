package browser

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"

	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// axeScript returns axe-core's script, from the file the environment
// variable AXE_CORE names. .ci/run installs it from the npm registry into a
// temporary folder; it is never part of the repository:
//
//	npm install --no-save --prefix /tmp/axe axe-core@4
//	AXE_CORE=/tmp/axe/node_modules/axe-core/axe.min.js go test -v .
func axeScript(t *testing.T) string {
	t.Helper()
	path := os.Getenv("AXE_CORE")
	if path == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("AXE_CORE is not set; .ci/run sets it to the axe.min.js it installs")
		}
		t.Skip("set AXE_CORE to axe-core's axe.min.js (npm install --no-save --prefix /tmp/axe axe-core@4)")
	}
	script, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(script)
}

// The two screens every page is checked at.
var (
	desktop = chromedp.EmulateViewport(1280, 800)
	phone   = chromedp.EmulateViewport(390, 844, chromedp.EmulateMobile, chromedp.EmulatePortrait)
)

// checker checks the page the learner is on, at a desktop's width and at a
// phone's.
type checker struct {
	*learner
	axe   string
	icons *iconWatch
}

// iconWatch notes each error the browser gets when it asks, on its own,
// for /favicon.ico: a line in the console and in the terminal on every page.
type iconWatch struct {
	mu     sync.Mutex
	failed []string
}

func watchIcons(t *testing.T, ctx context.Context) *iconWatch {
	w := &iconWatch{}
	err := chromedp.Listen(ctx, func(ev any) {
		if e, ok := ev.(*network.EventResponseReceived); ok && strings.HasSuffix(e.Response.URL, "/favicon.ico") && e.Response.Status >= 400 {
			w.mu.Lock()
			w.failed = append(w.failed, fmt.Sprintf("%s answered %d", e.Response.URL, e.Response.Status))
			w.mu.Unlock()
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// take returns the errors noted since the last call.
func (w *iconWatch) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	failed := w.failed
	w.failed = nil
	return failed
}

// check runs axe-core on the page, at both widths, and fails the test for
// each violation it reports. At the phone's width, the page must not scroll
// sideways. The browser's own request for /favicon.ico must get no error.
func (c checker) check(name string) {
	c.t.Helper()
	for _, screen := range []struct {
		name string
		size chromedp.Action[chromedp.Void]
	}{{"desktop", desktop}, {"phone", phone}} {
		c.do(screen.size)
		for _, v := range c.violations() {
			c.t.Errorf("%s, %s width: axe-core: %s", name, screen.name, v)
		}
		if screen.name == "phone" {
			if w := evaluate[[]int](c.learner, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); w[0] > w[1] {
				c.t.Errorf("%s, phone width: the page scrolls sideways: %d px wide in a window of %d", name, w[0], w[1])
			}
		}
	}
	c.do(desktop)
	for _, failed := range c.icons.take() { // by now the browser has asked
		c.t.Errorf("%s: the browser asked for the page's icon, and %s: an error in the console", name, failed)
	}
}

// violations runs axe-core on the page and returns what it found, one line
// for each rule broken.
func (c checker) violations() []string {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(c.ctx, time.Minute)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](c.axe+"\n;true")); err != nil {
		c.t.Fatalf("loading axe-core: %v", err)
	}
	js := `axe.run(document).then(r => JSON.stringify(r.violations.map(v =>
		v.id + " (" + v.impact + "): " + v.help + " at " + v.nodes.map(n => n.target.join(" ")).join(", "))))`
	out, err := chromedp.Run(ctx, chromedp.Evaluate[string](js, chromedp.EvalAwaitPromise))
	if err != nil {
		c.t.Fatalf("axe.run: %v", err)
	}
	var found []string
	if err := json.Unmarshal([]byte(out), &found); err != nil {
		c.t.Fatal(err)
	}
	return found
}

// submit clicks a button that sends a form and waits for the new page,
// whatever its status, which it returns.
func (l *learner) submit(selector string) int64 {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(selector)))
	if err != nil {
		l.t.Fatalf("click %s: %v", selector, err)
	}
	return resp.Status
}

// open loads path and returns its status.
func (l *learner) open(url string) int64 {
	l.t.Helper()
	ctx, cancel := context.WithTimeout(l.ctx, 20*time.Second)
	defer cancel()
	resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(url))
	if err != nil {
		l.t.Fatalf("open %s: %v", url, err)
	}
	return resp.Status
}

// text returns what the page shows.
func (l *learner) text() string {
	l.t.Helper()
	return evaluate[string](l, `document.body.innerText`)
}

// longWord is an item of 60 letters and no space, the longest the finished
// app takes: on a phone it must break inside its card.
func longWord(i int) string {
	return fmt.Sprintf("%s%02d", strings.Repeat("Pneumonoultramicroscopic", 3)[:58], i)
}

// TestEveryPageAccessible: axe-core finds nothing wrong, at a desktop's
// width and at a phone's (390 px), on every page a learner can reach: the
// starter, the finished app empty and with items and a message, the buttons
// page, and every error page the lesson or a slip leads to. At the phone's
// width, no page scrolls sideways, even with an item of 60 letters and no
// space in it.
func TestEveryPageAccessible(t *testing.T) {
	axe := axeScript(t)
	ctx := newBrowser(t)
	icons := watchIcons(t, ctx)
	visit := func(t *testing.T, url string) checker {
		if _, err := chromedp.Call(ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil { // a new learner
			t.Fatal(err)
		}
		return checker{&learner{t: t, ctx: ctx, url: url}, axe, icons}
	}

	t.Run("starter", func(t *testing.T) {
		if page, _ := os.ReadFile("../../index.html"); os.Getenv("CI") != "true" && !strings.Contains(string(page), "Nothing here yet...") {
			t.Skip("the top folder holds lesson work, not the untouched starter")
		}
		c := visit(t, startApp(t, "../.."))
		c.open(c.url + "/")
		c.check("the starter")
	})

	t.Run("buttons", func(t *testing.T) {
		c := visit(t, startApp(t, "../../buttons"))
		c.open(c.url + "/")
		c.check("the buttons page")
		for range 41 { // one more digit than the page keeps: its message
			c.submit(`button[value="7"]`)
		}
		if got := evaluate[string](c.learner, `document.activeElement?.value ?? ""`); got != "7" {
			t.Errorf("after a press of 7, the focus is on %q, want the key 7", got)
		}
		c.check("the buttons page with 40 digits and its message")
	})

	t.Run("finished app", func(t *testing.T) {
		dir := testenv.NewModule(t)
		testenv.Copy(t, "../../finished", dir, "main.go", "index.html", "style.css")
		app := startProgram(t, dir, "127.0.0.1:0", "SECRET_KEY=") // debug mode, as a learner runs it
		c := visit(t, app.URL)
		c.open(c.url + "/")
		c.check("the finished app, empty")
		checkFinishedPages(c)
		checkRefusals(c, app)
		checkSlips(c, app, dir)
	})
}

// checkFinishedPages checks the finished app with items and a message, and
// with a full session.
func checkFinishedPages(c checker) {
	c.t.Helper()
	for _, item := range []string{"milk", longWord(0)} {
		c.do(chromedp.SetValue(chromedp.CSS("#new_item"), item))
		c.click(`button[value="add"]`)
	}
	c.check("the finished app with items and a message")
	c.do(phone)
	box := evaluate[[]float64](c.learner, `(b => [b.width, b.height])(document.querySelector('input[type="checkbox"]').getBoundingClientRect())`)
	if box[0] < 17 || box[1] < 17 {
		c.t.Errorf("on a phone, the checkbox beside a long item is %.0f×%.0f px; want its 1.1rem, 17.6 px", box[0], box[1])
	}
	contrast := evaluate[float64](c.learner, contrastJS+`contrast(getComputedStyle(document.querySelector("#new_item")).borderTopColor, "rgb(255, 255, 255)")`)
	c.t.Logf("on a phone: the checkbox beside a long item is %.1f×%.1f px; the text field's border has %.2f:1 contrast", box[0], box[1], contrast)
	if contrast < 3 {
		c.t.Errorf("the text field's border has a contrast of %.2f:1 with the card; want at least 3:1", contrast)
	}
	c.do(desktop)
	for i := 1; i < 100 && !strings.Contains(c.text(), "full"); i++ {
		c.do(chromedp.SetValue(chromedp.CSS("#new_item"), longWord(i)))
		c.submit(`button[value="add"]`)
	}
	if !strings.Contains(c.text(), "The session is full") {
		c.t.Fatalf("100 items of 60 letters did not fill the session; the page says:\n%s", c.text())
	}
	c.check("the page of a full session")
}

// contrastJS defines contrast(a, b), the contrast ratio of two CSS colours
// rgb(r, g, b) as WCAG 2 defines it.
const contrastJS = `
function luminance(rgb) {
  const [r, g, b] = rgb.match(/\d+/g).slice(0, 3).map(v => {
    v = v / 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}
function contrast(a, b) {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}
`

// checkRefusals checks the pages of what the server refuses: a request that
// names another host (in debug mode), and a form sent from another site.
func checkRefusals(c checker, app *program.Program) {
	c.t.Helper()
	port := app.URL[strings.LastIndexByte(app.URL, ':'):]
	if status := c.open("http://lesson.test" + port + "/"); status != http.StatusBadRequest {
		c.t.Errorf("a request for the host lesson.test answered %d, want 400", status)
	}
	c.check("the page that refuses another host")

	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprintf(w, `<!DOCTYPE html><html lang="en"><title>Another site</title>
<form method="POST" action="%s/"><input name="new_item" value="forged"><button name="submit_action" value="add">Send</button></form>`, app.URL)
	}))
	defer other.Close()
	c.open(strings.Replace(other.URL, "127.0.0.1", "other.test", 1) + "/")
	if status := c.submit("button"); status != http.StatusForbidden {
		c.t.Errorf("a form from another site answered %d, want 403", status)
	}
	c.check("the page that refuses a form from another site")
}

// checkSlips makes the lesson's slips in the finished app's main.go and
// index.html, in debug mode, and checks each error page: a compile error, a
// panic and a template error.
func checkSlips(c checker, app *program.Program, dir string) {
	c.t.Helper()
	mainGo := testenv.ReadFile(c.t, filepath.Join(dir, "main.go"))
	indexHTML := testenv.ReadFile(c.t, filepath.Join(dir, "index.html"))
	saves := 0
	save := func(name, text, from, to string) {
		c.t.Helper()
		saves++ // each save dated later than the one before, as on a coarse clock
		if from != "" && !strings.Contains(text, from) {
			c.t.Fatalf("%s has no %q", name, from)
		}
		mark := app.Mark()
		testenv.Save(c.t, filepath.Join(dir, name), strings.Replace(text, from, to, 1), time.Duration(saves)*2*time.Second)
		if name == "main.go" && app.WaitFor(mark, " * Restarting with a file watch\n", " * The program does not compile") < 0 {
			c.t.Fatalf("the server did not rebuild after a save of main.go:\n%s", app.Terminal()[mark:])
		}
	}

	save("main.go", mainGo, `session["groceries"] = currentList`, `session['groceries'] = currentList`)
	c.open(c.url + "/")
	c.check("the compile error page")

	save("main.go", mainGo, `currentList, _ := session["groceries"].([]string)`, `currentList := session["groceries"].([]string)`)
	c.open(c.url + "/")
	if _, err := chromedp.Call(c.ctx, network.ClearBrowserCookies, cdp.Empty{}); err != nil {
		c.t.Fatal(err)
	}
	c.do(chromedp.SetValue(chromedp.CSS("#new_item"), "milk"))
	if status := c.submit(`button[value="add"]`); status != http.StatusInternalServerError {
		c.t.Errorf("the panic answered %d, want 500", status)
	}
	c.check("the panic page")

	save("main.go", mainGo, "", "")
	save("index.html", indexHTML, `{{if .session.groceries}}`, `{{if session.groceries}}`)
	c.open(c.url + "/")
	if !strings.Contains(c.text(), `"session" not defined`) {
		c.t.Errorf("the page after the template slip does not say so:\n%s", c.text())
	}
	c.check("the template error page")
	save("index.html", indexHTML, "", "")
}
