package lesson

import (
	"html"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"example.com/sessions"
	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
)

// buttonsPage is what a browser sees on the buttons page.
type buttonsPage struct {
	status  int
	output  string // the paragraph of class output
	message string
	body    string
}

func (v visitor) press(form url.Values) buttonsPage {
	v.t.Helper()
	p, err := v.Post("/", form)
	if err != nil {
		v.t.Fatal(err)
	}
	return readButtonsPage(p)
}

func readButtonsPage(p program.Page) buttonsPage {
	bp := buttonsPage{status: p.Status, body: p.Body}
	if _, rest, ok := strings.Cut(p.Body, `<output class="output" id="output" aria-label="Output">`); ok {
		out, _, _ := strings.Cut(rest, "</output>")
		bp.output = html.UnescapeString(out)
	}
	if _, rest, ok := strings.Cut(p.Body, `<p class="message" role="status" id="message">`); ok {
		msg, _, _ := strings.Cut(rest, "</p>")
		bp.message = html.UnescapeString(msg)
	}
	return bp
}

// digit is the form a button of the page sends.
func digit(value string) url.Values { return url.Values{"new_number": {value}} }

// TestButtons uses the buttons page (buttons/main.go, the Flask
// repository's buttons branch) as a browser would: the page as the Jinja loop
// lays it out, the digits and Delete, and what no button sends.
func TestButtons(t *testing.T) {
	testenv.NeedsPrograms(t)
	root := testenv.Root(t)
	const key = "buttons test key"
	// Started from the top folder, as go run buttons/main.go is.
	a := testenv.Run(t, testenv.Build(t, filepath.Join(root, "buttons")), root, "SECRET_KEY="+key)

	t.Run("the page", func(t *testing.T) {
		v := visitor{t, a.Browser()}
		p, err := v.Get("/")
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{"<title>Session Practice 2</title>", "<h1>Active Buttons</h1>",
			`<button name="new_number" value="delete" aria-describedby="output">Delete</button>`,
			`<output class="output" id="output" aria-label="Output"></output>`} {
			if !strings.Contains(p.Body, want) {
				t.Errorf("the page lacks %q:\n%s", want, p.Body)
			}
		}
		// The rows of the Jinja loop: a line break after 0, 3, 6 and 9.
		var rows []string
		for _, row := range strings.Split(p.Body, "<br>") {
			var values []string
			for _, m := range regexp.MustCompile(`name="new_number" value="(\d)"`).FindAllStringSubmatch(row, -1) {
				values = append(values, m[1])
			}
			if len(values) > 0 {
				rows = append(rows, strings.Join(values, " "))
			}
		}
		if got := strings.Join(rows, " / "); got != "0 / 1 2 3 / 4 5 6 / 7 8 9" {
			t.Errorf("the buttons are laid out %q, want 0 / 1 2 3 / 4 5 6 / 7 8 9", got)
		}
		if s := v.session(); s["output"] != "" {
			t.Errorf("the first visit stored %#v, want output = \"\"", s)
		}
		if p, _ := v.Get("/style.css"); !strings.Contains(p.Body, ".keypad") {
			t.Error("style.css is not buttons/style.css")
		}
	})

	t.Run("digits and Delete", func(t *testing.T) {
		v := visitor{t, a.Browser()}
		v.Get("/")
		for _, tt := range []struct {
			press, want string
		}{
			{"1", "1"}, {"2", "12"}, {"0", "120"}, {"delete", "12"}, {"9", "129"},
			{"delete", "12"}, {"delete", "1"}, {"delete", ""}, {"delete", ""}, {"7", "7"},
		} {
			if p := v.press(digit(tt.press)); p.status != http.StatusOK || p.output != tt.want || p.message != "" {
				t.Errorf("after %s: %d, output %q, message %q; want 200 and %q", tt.press, p.status, p.output, p.message, tt.want)
			}
		}
		// The key just pressed keeps the focus on the new page, so a keyboard
		// user presses it again with Enter, and a screen reader reads it.
		for _, press := range []string{"4", "delete"} { // the output is 7 again
			want := `value="` + press + `" aria-describedby="output" autofocus>`
			if p := v.press(digit(press)); strings.Count(p.body, "autofocus") != 1 || !strings.Contains(p.body, want) {
				t.Errorf("after %s, the page does not give that key the focus, and only it: want %q in\n%s", press, want, p.body)
			}
		}
		if p, _ := v.Get("/"); readButtonsPage(p).output != "7" || strings.Contains(p.Body, "autofocus") {
			t.Errorf("a reload shows %q, autofocus %v; want the output kept, 7, and no key pressed",
				readButtonsPage(p).output, strings.Contains(p.Body, "autofocus"))
		}
	})

	t.Run("what no button sends", func(t *testing.T) {
		v := visitor{t, a.Browser()}
		v.press(digit("4"))
		for _, form := range []url.Values{digit("x"), digit("10"), digit("-1"), digit(""), digit("Delete"), digit("٣"), {}} {
			if p := v.press(form); p.status != http.StatusOK || p.output != "4" {
				t.Errorf("new_number=%q: %d, output %q; want 200 and no change", form["new_number"], p.status, p.output)
			}
		}
		fresh := visitor{t, a.Browser()} // no session, and no new_number: Flask answers KeyError
		if p := fresh.press(url.Values{}); p.status != http.StatusOK || p.output != "" {
			t.Errorf("a POST with no session and no new_number: %d, output %q; want 200 and an empty output", p.status, p.output)
		}
	})

	t.Run("the longest output", func(t *testing.T) {
		v := visitor{t, a.Browser()}
		var p buttonsPage
		for range 40 {
			p = v.press(digit("8"))
		}
		if p.output != strings.Repeat("8", 40) || p.message != "" {
			t.Fatalf("after 40 digits: output %q, message %q", p.output, p.message)
		}
		p = v.press(digit("8"))
		if want := "The output holds 40 digits, the most this page keeps. Delete some first."; p.status != http.StatusOK ||
			p.output != strings.Repeat("8", 40) || p.message != want {
			t.Errorf("the 41st digit: %d, output %q, message %q; want the output unchanged and %q", p.status, p.output, p.message, want)
		}
		if p = v.press(digit("delete")); p.output != strings.Repeat("8", 39) || p.message != "" {
			t.Errorf("Delete at the limit: output %q, message %q", p.output, p.message)
		}
	})

	t.Run("an output this page cannot use", func(t *testing.T) {
		v := visitor{t, a.Browser()}
		v.SetCookie(&http.Cookie{Name: "session", Value: signedCookie(t, key, sessions.Session{"output": 42, "groceries": []string{"Milk"}})})
		if p, _ := v.Get("/"); readButtonsPage(p).output != "" || p.Status != http.StatusOK {
			t.Errorf("a GET with output = 42: %d, output %q; want 200 and an empty output", p.Status, readButtonsPage(p).output)
		}
		if s := v.session(); s["output"] != "" || len(s["groceries"].([]string)) != 1 {
			t.Errorf("the session holds %#v; want output = \"\" and the other app's list kept", s)
		}
		v.SetCookie(&http.Cookie{Name: "session", Value: signedCookie(t, key, sessions.Session{"output": true})})
		if p := v.press(digit("5")); p.output != "5" {
			t.Errorf("a digit with output = true: output %q, want 5", p.output)
		}
	})

	t.Run("banner", func(t *testing.T) {
		if want := " * Serving the buttons page (buttons/main.go)\n"; !strings.Contains(a.Terminal(), want) {
			t.Errorf("the terminal shows\n%s\nwant %q", a.Terminal(), want)
		}
	})
}
