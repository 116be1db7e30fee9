package devserver

// The pages a browser sees that the program did not make: the error pages
// of the server, of a panic, of a template, of a build and of the reloader,
// and the 404 and 405 of the program's routes.

import (
	"bytes"
	"fmt"
	"html/template"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// errorPage is a page that says what went wrong and what to do. A browser
// gets it as a small HTML page (the status, a heading, the words, the code
// in <pre>); curl and the tests, which do not ask for HTML, get it as plain
// text. Both start with the status, as Werkzeug's error pages do, and the
// words are the same; only the HTML page has the heading.
type errorPage struct {
	status  int
	heading string // the HTML page's title and heading: what happened, in a few words
	blocks  []block
}

// block is a part of an errorPage. In plain text the blocks follow each
// other as they are; in HTML each is a paragraph, or lines of code.
type block struct {
	text string
	code bool // lines of code, of a compiler or of a stack: kept as they are, in <pre>
	// again: the words between [ and ] in text become a link that opens the
	// page again with a GET. A reload would send a posted form again.
	again bool
	to    string // with again: the address the link opens instead, such as "/"
}

// textPage is the errorPage of a few sentences.
func textPage(status int, heading, text string) errorPage {
	return errorPage{status: status, heading: heading, blocks: []block{{text: text}}}
}

// serve answers r with the page: HTML when the browser asks for it, plain
// text otherwise.
func (p errorPage) serve(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Del("Content-Length") // what the view had set is not this page's
	h.Del("Content-Encoding")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store") // the page of one request, not of the address
	h.Add("Vary", "Accept")
	status := p.status
	if status == 0 {
		status = http.StatusInternalServerError
	}
	if !wantsHTML(r) {
		h.Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(status)
		fmt.Fprintf(w, "%d %s\n\n%s\n", status, http.StatusText(status), p.text(r))
		return
	}
	var page bytes.Buffer
	if err := pageTemplate.Execute(&page, p.html(r, status)); err != nil {
		panic(err) // the template is this file's, and its data only strings
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	// Only the page's own style: no script, and nothing from elsewhere. The
	// page's icon is empty ("data:,"), so the browser does not ask for
	// /favicon.ico, which the front would answer with this page again.
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:")
	w.WriteHeader(status)
	page.WriteTo(w)
}

// text is the page's words as plain text, links written out with their address.
func (p errorPage) text(r *http.Request) string {
	var b strings.Builder
	for _, part := range p.blocks {
		if !part.again {
			b.WriteString(part.text)
			continue
		}
		before, words, after := cutLink(part.text)
		fmt.Fprintf(&b, "%s%s (http://%s%s)%s", before, words, r.Host, part.href(r), after)
	}
	return strings.TrimRight(b.String(), "\n")
}

// href is the address the block's link opens: its own, or the page's.
func (part block) href(r *http.Request) string {
	if part.to != "" {
		return part.to
	}
	return r.URL.RequestURI()
}

// cutLink splits text around its link's words, written between [ and ].
func cutLink(text string) (before, words, after string) {
	before, rest, _ := strings.Cut(text, "[")
	words, after, _ = strings.Cut(rest, "]")
	return before, words, after
}

// wantsHTML tells whether r comes from a browser that asks for HTML, as
// every browser does when it opens a page (Accept: text/html,...).
func wantsHTML(r *http.Request) bool {
	for _, accepted := range strings.Split(r.Header.Get("Accept"), ",") {
		mediaType, params, err := mime.ParseMediaType(accepted)
		if err != nil || mediaType != "text/html" {
			continue
		}
		q, set := params["q"]
		weight, err := strconv.ParseFloat(q, 64)
		if !set || err == nil && weight > 0 { // q=0 says "not this one"
			return true
		}
	}
	return false
}

// htmlPage is what pageTemplate fills in.
type htmlPage struct {
	Status, Heading string
	Blocks          []htmlBlock
}

// htmlBlock is a paragraph or lines of code; a paragraph may hold a link.
type htmlBlock struct {
	Code                    bool
	Text, Link, After, Href string
}

// html returns the page's data for pageTemplate: its blocks as paragraphs
// (a blank line starts a new one) and code.
func (p errorPage) html(r *http.Request, status int) htmlPage {
	page := htmlPage{Status: fmt.Sprintf("%d %s", status, http.StatusText(status)), Heading: p.heading}
	for _, part := range p.blocks {
		if part.code {
			page.Blocks = append(page.Blocks, htmlBlock{Code: true, Text: strings.Trim(part.text, "\n")})
			continue
		}
		for _, paragraph := range strings.Split(part.text, "\n\n") {
			if paragraph = strings.TrimSpace(paragraph); paragraph == "" {
				continue
			}
			b := htmlBlock{Text: paragraph}
			if part.again && strings.Contains(paragraph, "[") {
				b.Text, b.Link, b.After = cutLink(paragraph)
				b.Href = part.href(r)
			}
			page.Blocks = append(page.Blocks, b)
		}
	}
	return page
}

// pageTemplate is every error page's HTML. Its colours keep a contrast of
// 7:1 at least; long lines wrap, so that a phone never scrolls sideways.
var pageTemplate = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Heading}}</title>
<link rel="icon" href="data:,">
<style>
body { font-family: system-ui, sans-serif; margin: 0; color: #1a1a1a; background: #fff; line-height: 1.5; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem; }
h1 { font-size: 1.5rem; margin: 0.5rem 0; }
.status { color: #444; margin-bottom: 0; }
pre { background: #f3f3f3; color: #1a1a1a; padding: 0.75rem; white-space: pre-wrap; overflow-wrap: anywhere; font-size: 0.9rem; }
a { color: #0645ad; }
</style>
</head>
<body>
<main>
<p class="status">{{.Status}}</p>
<h1>{{.Heading}}</h1>
{{range .Blocks}}{{if .Code}}<pre>{{.Text}}</pre>
{{else if .Href}}<p>{{.Text}}<a href="{{.Href}}">{{.Link}}</a>{{.After}}</p>
{{else}}<p>{{.Text}}</p>
{{end}}{{end}}</main>
</body>
</html>
`))

// compileErrorPage shows what the compiler said and the lines around its
// first complaint, such as "./main.go:12:3: ...", from the files in dir.
func compileErrorPage(messages, dir string) errorPage {
	page := errorPage{heading: "The program does not compile", blocks: []block{
		{text: "The program does not compile, so the server is waiting for your next save. go build says:\n\n"},
		{text: messages + "\n", code: true},
	}}
	if at := regexp.MustCompile(`(?m)^(.+?\.go):(\d+)`).FindStringSubmatch(messages); at != nil {
		file := at[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		line, _ := strconv.Atoi(at[2])
		page.blocks = append(page.blocks, sourceAround(file, line)...)
	}
	page.blocks = append(page.blocks, block{again: true,
		text: "\nFix it and save: the server builds the program again. Then [open the page again] to see the result."})
	return page
}

// sourceAround returns the lines of file around line, that one marked,
// under a line that names them; nothing when the file cannot be read.
func sourceAround(file string, line int) []block {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil
	}
	lines := strings.Split(string(data), "\n")
	return []block{
		{text: fmt.Sprintf("\n%s, around line %d:\n\n", filepath.Base(file), line)},
		{text: markedLines(lines, line), code: true},
	}
}

// markedLines returns the lines around line (counted from 1), that one
// marked with ">", each with its number.
func markedLines(lines []string, line int) string {
	var b strings.Builder
	for n := max(line-3, 1); n <= min(line+3, len(lines)); n++ {
		marker := "  "
		if n == line {
			marker = "> "
		}
		fmt.Fprintf(&b, "%s%4d | %s\n", marker, n, strings.TrimRight(lines[n-1], "\r"))
	}
	return b.String()
}

// panicPage shows, in debug mode, the panic p, the place it came from with
// the lines around it, what to do, and the stack last, under a line that
// says it can be skipped. Werkzeug's page folds the stack away until it is
// clicked; this one needs no script.
func panicPage(p any, origin frame, stack []byte) errorPage {
	page := errorPage{heading: "The page stopped with a panic", blocks: []block{
		{text: fmt.Sprintf("panic: %v\nat %s\n", p, origin), code: true},
	}}
	page.blocks = append(page.blocks, sourceAround(origin.file, origin.line)...)
	return page.with(
		block{again: true, text: "\nFix it and save: the server builds the program again. Then [open the page again] to see the result.\n\n"},
		block{text: "The session was not saved, so your browser keeps the one it had. This page shows the details " +
			"because no SECRET_KEY is set; with one set, it says only that the server hit an error.\n\n" +
			"The stack, the calls that led to the panic, for the curious:\n\n"},
		block{text: string(stack), code: true},
	)
}

// with returns the page with blocks added at its end.
func (p errorPage) with(blocks ...block) errorPage {
	p.blocks = append(p.blocks, blocks...)
	return p
}

// crashedPage says that the program ended by itself (how: err), with the end
// of the terminal, what it printed last.
func crashedPage(err error, terminalEnd string) errorPage {
	return errorPage{heading: "The program stopped by itself", blocks: []block{
		{text: fmt.Sprintf("The program stopped by itself (%v), so nothing is answering. The end of the terminal:\n\n", err)},
		{text: terminalEnd + "\n", code: true},
		{again: true, text: "Fix the problem and save a file: the server starts the program again. Then [open the page again] to see the result."},
	}}
}

// notPassedOn returns the page of a request that the front did not pass on
// to the program, and, when it sent a form, says that the form was not used.
func (p errorPage) notPassedOn(r *http.Request) errorPage {
	if r.Method != http.MethodPost {
		return p
	}
	return p.with(block{text: "\n\nThe form you sent did not reach the program, so nothing was changed. Send it again once the page is back."})
}

// notRunningPage says why no program runs, when it could not be started.
func notRunningPage(problem string) errorPage {
	return textPage(http.StatusInternalServerError, "The program is not running", problem)
}

// notAnsweredPage answers a request the program did not answer (err).
func notAnsweredPage(err error) errorPage {
	return errorPage{status: http.StatusBadGateway, heading: "The program did not answer", blocks: []block{
		{again: true, text: fmt.Sprintf("The program did not answer (%v). [Open the page again] to try again.", err)},
	}}
}

// restartingPage answers a request that came as its program was stopped
// for a new build.
var restartingPage = errorPage{status: http.StatusServiceUnavailable, heading: "The program was being restarted", blocks: []block{
	{again: true, text: "The program was being restarted when this request came. [Open the page again]."},
}}

// turnedAwayPage answers a request past the waiting ones, of which there
// are already waiting.
func turnedAwayPage(waiting int) errorPage {
	return errorPage{status: http.StatusServiceUnavailable, heading: "Too many requests are waiting", blocks: []block{
		{again: true, text: fmt.Sprintf("%d requests are already waiting for the program, so this one was turned away. "+
			"[Open the page again] in a few seconds.", waiting)},
	}}
}

// templateErrorPage shows, in debug mode, the mistake err in the template
// file: Go's message, the habit behind it when it is a known one (see
// templateHint), and the lines of the file around the line it names, as the
// compile-error page shows those of main.go.
func templateErrorPage(err error, file string) errorPage {
	name := filepath.Base(file)
	page := errorPage{heading: "The page " + name + " has a mistake", blocks: []block{{text: err.Error() + "\n", code: true}}}
	if hint := templateHint(err.Error(), file); hint != "" {
		page.blocks = append(page.blocks, block{text: "\n" + hint + "\n"})
	}
	if at := regexp.MustCompile(`^template: [^:]+:(\d+)`).FindStringSubmatch(err.Error()); at != nil {
		line, _ := strconv.Atoi(at[1])
		page.blocks = append(page.blocks, sourceAround(file, line)...)
	}
	return page.with(block{again: true, text: "\nFix " + name + " and save it. Then [open the page again]: it reads " + name + " again."})
}

// notDefined finds the name in Go's `function "item" not defined`.
var notDefined = regexp.MustCompile(`function "([^"]+)" not defined`)

// templateHint says, in the learner's words, what is behind Go's message
// about the template file, when it is a known habit: a Jinja habit, or a
// {{range}} or {{if}} without its {{end}}. Otherwise it returns "".
func templateHint(message, file string) string {
	if strings.HasSuffix(message, ": unexpected EOF") {
		return missingEnd(file)
	}
	return jinjaHabit(message)
}

// missingEnd explains Go's "unexpected EOF": the file ended while a
// {{range}}, {{if}} or {{with}} was still open, as in a file saved half-way
// (VS Code's Auto Save does that). Go names the file's last line; the words
// name the line of the last tag left open, which is where to look.
func missingEnd(file string) string {
	name := filepath.Base(file)
	words := "Go reached the end of " + name + " while a {{range}}, {{if}} or {{with}} was still open. " +
		"Each of them needs its {{end}}, as in {{range .session.groceries}} ... {{end}}."
	text, err := os.ReadFile(file)
	if err != nil {
		return words
	}
	if tag, line := lastOpenTag(string(text)); line > 0 {
		words += fmt.Sprintf(" The last one left open is the {{%s}} on line %d.", tag, line)
	}
	return words
}

// blockWord finds the word of a tag that opens a block, or of {{end}},
// at the start of what follows the tag's {{.
var blockWord = regexp.MustCompile(`^(range|if|with|block|define|end)\b`)

// lastOpenTag returns the last tag of text that opens a block and has no
// {{end}} ("range", "if", "with", "block" or "define"), and its line,
// counted from 1; line is 0 when every block is closed. Each {{end}} closes
// the latest block still open, as Go's templates read it. Comments, which
// may hold tags, are skipped.
func lastOpenTag(text string) (tag string, line int) {
	type open struct {
		tag  string
		line int
	}
	var opened []open
	for i := 0; ; {
		start := strings.Index(text[i:], "{{")
		if start < 0 {
			break
		}
		i += start + 2
		inside := strings.TrimLeft(text[i:], "- \t\r\n")
		if strings.HasPrefix(inside, "/*") { // a comment: go on after its end
			if end := strings.Index(text[i:], "*/"); end >= 0 {
				i += end
			}
			continue
		}
		switch word := blockWord.FindString(inside); {
		case word == "end" && len(opened) > 0:
			opened = opened[:len(opened)-1]
		case word != "" && word != "end":
			opened = append(opened, open{word, strings.Count(text[:i], "\n") + 1})
		}
	}
	if len(opened) == 0 {
		return "", 0
	}
	last := opened[len(opened)-1]
	return last.tag, last.line
}

// jinjaHabit names the Jinja habit behind Go's message, when it is one.
// Go's templates read a bare name, such as item or session, as a function
// to call; Jinja reads it as a variable.
func jinjaHabit(message string) string {
	m := notDefined.FindStringSubmatch(message)
	switch {
	case m == nil:
		return ""
	case m[1] == "session":
		return "This is a Jinja habit: Jinja writes {{session.groceries}}, and Go's templates write {{.session.groceries}}, " +
			"with a dot in front. The dot is the data the page was given. Go reads a name without a dot as a function."
	}
	return fmt.Sprintf("This is a Jinja habit: in Jinja, {{%[1]s}} is a variable, such as the item of a loop. "+
		"In Go's templates, the item inside {{range}} is {{.}}, and a value the page was given is {{.%[1]s}}, with a dot in front. "+
		"Go reads a name without a dot as a function.", m[1])
}

// notFoundPage answers a request for an address the program has no page at.
func notFoundPage(r *http.Request) errorPage {
	return errorPage{status: http.StatusNotFound, heading: "There is no such page", blocks: []block{
		{again: true, to: "/", text: fmt.Sprintf("There is no page at %s in this app. "+
			"Check the address for a typo, or [open the app's first page].", r.URL.Path)},
	}}
}

// methodPage answers a request whose method the page at its address does
// not take, such as a form posted to a page that only shows; allow lists
// the methods it takes.
func methodPage(r *http.Request, allow string) errorPage {
	text := fmt.Sprintf("The page at %s does not take a %s request; it takes %s.", r.URL.Path, r.Method, allow)
	page := textPage(http.StatusMethodNotAllowed, "This page does not take "+r.Method, text)
	if slices.Contains(strings.Split(allow, ", "), http.MethodGet) {
		page.blocks = []block{{again: true, to: r.URL.Path, text: text + " [Open the page] instead."}}
	}
	return page
}

// seconds writes d as a learner reads it: "60 seconds".
func seconds(d time.Duration) string {
	return strconv.FormatFloat(d.Seconds(), 'f', -1, 64) + " seconds"
}
