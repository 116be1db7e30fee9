package sessions

import (
	"bytes"
	"errors"
	"fmt"
	"html"
	"maps"
	"net/http"
	"strconv"
	"strings"
)

// heldResponse holds a handler's response in memory until the session is
// saved, so that a change made at any point, even after the handler wrote
// part of the page, is saved: the Set-Cookie header still goes out before
// the page, as HTTP requires. Flask does the same: save_session runs after
// the view returns, before the body is sent.
//
// A response that streams cannot wait that long. When the handler calls
// Flush (through http.Flusher or http.ResponseController), or has written
// more than maxHeld bytes, the session is saved at that moment (saveEarly),
// the headers and what was held go out, and the rest passes straight
// through. A change to the session after that cannot be sent, since a cookie
// cannot follow the body: save logs it. Flask's documentation on
// streaming says the same ("Do not modify the session in the generator"),
// but Flask drops such a change without a word.
type heldResponse struct {
	w      http.ResponseWriter
	outer  http.Header // the headers set before Middleware, which resetHeaders keeps
	status int
	body   bytes.Buffer

	state     *requestState // the session, which saveEarly saves if the response begins before the handler returns
	streaming bool          // the headers went out: what the handler writes now passes straight through
	replaced  bool          // the handler's response was replaced by fail's page
}

// maxHeld is the most of a response held in memory: 1 MB, far more than any
// page of the lesson. A larger response streams (see heldResponse), so a
// download of 100 MB takes a few MB of memory, not 100.
const maxHeld = 1 << 20

// errReplaced is what a streaming handler's Write returns once its response
// was replaced by a page saying that the session could not be saved.
var errReplaced = errors.New("sessions: the session could not be saved, so a page that says why replaced this response")

func (h *heldResponse) Header() http.Header { return h.w.Header() }

func (h *heldResponse) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		h.w.WriteHeader(code) // informational (103 Early Hints): sent at once, as net/http does
		return
	}
	if h.status == 0 {
		h.status = code
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	switch {
	case h.status == http.StatusNoContent || h.status == http.StatusNotModified:
		return 0, http.ErrBodyNotAllowed // as net/http answers
	case !h.streaming && h.body.Len()+len(p) > maxHeld:
		h.beginStreaming()
	}
	switch {
	case h.replaced:
		return 0, errReplaced
	case h.streaming:
		return h.w.Write(p)
	}
	return h.body.Write(p)
}

// FlushError saves the session, sends what the handler wrote so far and
// flushes it to the client; what the handler writes next streams. It is what
// http.ResponseController's Flush calls.
func (h *heldResponse) FlushError() error {
	if !h.streaming {
		h.beginStreaming()
	}
	if h.replaced {
		return errReplaced
	}
	return http.NewResponseController(h.w).Flush()
}

// Flush is FlushError for handlers that ask for an http.Flusher.
func (h *heldResponse) Flush() { h.FlushError() }

// Unwrap lets http.ResponseController reach the connection for deadlines.
func (h *heldResponse) Unwrap() http.ResponseWriter { return h.w }

// beginStreaming saves the session before the handler returns, then sends
// the headers and what is held, without a Content-Length: net/http sends the
// rest in chunks as the handler writes it.
func (h *heldResponse) beginStreaming() {
	h.state.saveEarly(h)
	if h.status == 0 {
		h.status = http.StatusOK
	}
	h.send(h.replaced) // fail's page is whole
	h.streaming, h.body = true, bytes.Buffer{}
}

// resetHeaders takes back the headers the handler set, which described its
// own page, and keeps those set before Middleware.
func (h *heldResponse) resetHeaders() {
	header := h.w.Header()
	clear(header)
	maps.Copy(header, h.outer)
}

// notice is a page the session layer sends in place of the handler's: its
// status, its heading, and its message, in paragraphs split by blank lines.
type notice struct {
	status  int
	heading string
	message string
}

// fail replaces the handler's response with the page of n: HTML for a
// browser, which asks for it (Accept: text/html), and plain text for any
// other client (curl, a test), in the same words. The page is small and
// whole: an inline style, no script, everything the page shows escaped, and
// a link back to the page with a GET, which sends no form again.
func (h *heldResponse) fail(n notice) {
	h.resetHeaders()
	header := h.w.Header()
	header.Set("X-Content-Type-Options", "nosniff")
	header.Add("Vary", "Accept") // HTML or text
	addVaryCookie(header)
	h.status = n.status
	h.replaced = true
	h.body.Reset()
	r := h.state.request
	if !strings.Contains(r.Header.Get("Accept"), "text/html") {
		header.Set("Content-Type", "text/plain; charset=utf-8")
		fmt.Fprintf(&h.body, "%d %s\n\n%s\n", n.status, http.StatusText(n.status), n.message)
		return
	}
	header.Set("Content-Type", "text/html; charset=utf-8")
	heading := html.EscapeString(n.heading)
	fmt.Fprintf(&h.body, noticePage, heading, heading)
	for para := range strings.SplitSeq(n.message, "\n\n") {
		fmt.Fprintf(&h.body, "<p>%s</p>\n", html.EscapeString(para))
	}
	fmt.Fprintf(&h.body, "<p><a href=\"%s\">Go back to the page</a></p>\n</main>\n</body>\n</html>\n", html.EscapeString(backTo(r)))
}

// notSaved is the page of a change that could not be saved, for the person
// using the app. A session too full for its cookie is something they did,
// so the page says what to do, with 409 Conflict: the change conflicts with
// what the session holds, and the server did nothing wrong. A value gob
// cannot encode is the program's mistake: the page names it for its
// programmer, with 500 Internal Server Error.
//
// The rule, written here once: a change that does not fit is refused whole,
// and no value is removed to make room for it. Another page, or another app
// on the same site, may have stored the values this request did not change;
// removing them would lose that page's data without a word to its user.
// When the refused request only opened a page (GET), that page stores
// something as it opens, so going back would meet this page again: the page
// then names the largest value, and two ways out.
func notSaved(err error, method string, s Session) notice {
	full, ok := err.(*TooLargeError)
	if !ok {
		return notice{http.StatusInternalServerError, "The session could not be saved",
			err.Error() + ".\n\nThis change was not saved: your browser keeps the session it had."}
	}
	msg := fmt.Sprintf("The session is full, so this change was not saved: its cookie would take %d bytes, "+
		"and a browser keeps at most %d. Your browser keeps the session it had. "+
		"Go back to the page, and remove something if it has a way to. "+
		"Or delete the cookie named session in your browser, and start again.", full.Size, full.Limit)
	if method == http.MethodGet || method == http.MethodHead {
		msg += fmt.Sprintf("\n\nOpening this page stores something, and there is no room for it. "+
			"The largest value in the session is %q. Remove some of it on the page that stored it, "+
			"or delete the cookie named session in your browser.", largestFirst(s)[0])
	}
	return notice{http.StatusConflict, "The session is full", msg}
}

// noticePage is the start of fail's HTML page, up to its heading.
const noticePage = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>%s</title>
<style>
body { font-family: system-ui, sans-serif; line-height: 1.5; color: #1a1a1a; background: #fff;
  max-width: 40rem; margin: 2rem auto; padding: 0 1rem; overflow-wrap: anywhere; }
a { color: #0645ad; }
</style>
</head>
<body>
<main>
<h1>%s</h1>
`

// backTo is the link back from fail's page: the path of the request, so a
// link followed sends a GET to the page the form was on. A path that a
// browser would read as another site's (//host) goes back to / instead.
func backTo(r *http.Request) string {
	path := r.URL.EscapedPath()
	if !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.HasPrefix(path, "/\\") {
		return "/"
	}
	return path
}

// send writes the status and what is held; a response sent whole gets its
// Content-Length.
func (h *heldResponse) send(whole bool) {
	if h.status == 0 || h.streaming {
		return // nothing written (net/http sends its empty 200), or sent already
	}
	if whole && h.body.Len() > 0 && h.Header().Get("Content-Length") == "" {
		h.Header().Set("Content-Length", strconv.Itoa(h.body.Len()))
	}
	h.w.WriteHeader(h.status)
	h.w.Write(h.body.Bytes()) // an error here means the client went away
}

// addVaryCookie adds Cookie to the response's Vary header once, keeping what
// the handler put there.
func addVaryCookie(h http.Header) {
	for _, v := range h.Values("Vary") {
		for token := range strings.SplitSeq(v, ",") {
			if t := strings.TrimSpace(token); t == "*" || strings.EqualFold(t, "Cookie") {
				return
			}
		}
	}
	h.Add("Vary", "Cookie")
}
