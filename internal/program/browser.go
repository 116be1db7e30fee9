package program

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"time"
)

// Browser is one browser: a client with a cookie jar of its own, so that two
// Browsers have two sessions.
type Browser struct {
	URL    string // the program's address, from its banner
	Client *http.Client
	// Context, when set, ends every request when it is done: the learner's
	// check gives a whole program a time of its own, as well as each page.
	Context context.Context
}

// Browser returns a new browser, with no cookies yet, for the program.
func (p *Program) Browser() *Browser { return NewBrowser(p.URL) }

// NewBrowser returns a new browser for the server at base. Each request may
// take 10 seconds, long enough for a rebuild; the grading command sets less.
func NewBrowser(base string) *Browser {
	jar, _ := cookiejar.New(nil)
	return &Browser{URL: base, Client: &http.Client{Jar: jar, Timeout: 10 * time.Second}}
}

// Page is what a browser got: the status, the headers and the page.
type Page struct {
	Status int
	Header http.Header
	Body   string
}

// Get asks for path, with header's name and value pairs set.
func (b *Browser) Get(path string, header ...string) (Page, error) {
	r, err := http.NewRequest(http.MethodGet, b.URL+path, nil)
	if err != nil {
		return Page{}, err
	}
	return b.Do(r, header...)
}

// Post sends form to path, as a page's form does.
func (b *Browser) Post(path string, form url.Values, header ...string) (Page, error) {
	r, err := http.NewRequest(http.MethodPost, b.URL+path, strings.NewReader(form.Encode()))
	if err != nil {
		return Page{}, err
	}
	r.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return b.Do(r, header...)
}

// Do sends r, with header's name and value pairs set, and reads the page
// (at most 1 MB of it).
func (b *Browser) Do(r *http.Request, header ...string) (Page, error) {
	for i := 0; i+1 < len(header); i += 2 {
		r.Header.Set(header[i], header[i+1])
	}
	if b.Context != nil {
		r = r.WithContext(b.Context)
	}
	resp, err := b.Client.Do(r)
	if err != nil {
		return Page{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	return Page{Status: resp.StatusCode, Header: resp.Header, Body: string(body)}, err
}

// Cookie returns the browser's cookie named name for the program, or nil.
func (b *Browser) Cookie(name string) *http.Cookie {
	u, err := url.Parse(b.URL)
	if err != nil {
		return nil
	}
	for _, c := range b.Client.Jar.Cookies(u) {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// SetCookie gives the browser a cookie for the program, as if the program
// had set it.
func (b *Browser) SetCookie(c *http.Cookie) {
	u, _ := url.Parse(b.URL)
	b.Client.Jar.SetCookies(u, []*http.Cookie{c})
}
