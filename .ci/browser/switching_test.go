package browser

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"example.com/sessions/internal/testenv"
)

// TestSwitchingAppsShowsEachStyle: a learner stops the starter and starts
// the buttons page, then the starter again, on one port (127.0.0.1:5000 in
// the lesson). Both serve /style.css. A plain load of the page, as typing
// its address does, shows each app's own stylesheet, with no hard reload:
// as Flask's static files, /style.css is checked again on every load.
func TestSwitchingAppsShowsEachStyle(t *testing.T) {
	root := testenv.Root(t)
	starter, buttons := testenv.NewModule(t), testenv.NewModule(t)
	testenv.Copy(t, root, starter, "main.go", "index.html", "style.css")
	testenv.Copy(t, filepath.Join(root, "buttons"), buttons, "main.go", "buttons.html", "style.css")
	// A clone's files carry the time of the clone, the same second for all.
	anHourAgo := time.Now().Add(-time.Hour).Truncate(time.Second)
	for _, file := range []string{filepath.Join(starter, "style.css"), filepath.Join(buttons, "style.css")} {
		if err := os.Chtimes(file, anHourAgo, anHourAgo); err != nil {
			t.Fatal(err)
		}
	}
	l := &learner{t: t, ctx: newBrowser(t)}
	keypadRules := `[...document.styleSheets].some(s => [...s.cssRules].some(r => r.selectorText?.includes(".keypad")))`
	addr := "127.0.0.1:0"
	for _, app := range []struct {
		name, dir string
		keypad    bool // whether its stylesheet has the keypad's rules
	}{{"the starter", starter, false}, {"the buttons page", buttons, true}, {"the starter again", starter, false}} {
		a := startProgram(t, app.dir, addr, "SECRET_KEY=browser test key")
		addr = strings.TrimPrefix(a.URL, "http://") // the next app takes the same port
		l.do(chromedp.Navigate(a.URL + "/"))
		if got := evaluate[bool](l, keypadRules); got != app.keypad {
			t.Errorf("%s: the page's stylesheet has the keypad's rules: %v, want %v (another app's stylesheet, kept by the browser)", app.name, got, app.keypad)
		}
		a.Stop()
	}
}
