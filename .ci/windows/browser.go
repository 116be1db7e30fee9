package main

import (
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"time"
)

// browser asks the app for pages from Linux, keeping cookies between
// requests as a learner's browser does. It follows no redirects, so each
// check sees the answer itself.
type browser struct {
	client *http.Client
}

func newBrowser() *browser {
	jar, _ := cookiejar.New(nil)
	return &browser{client: &http.Client{
		Jar:     jar,
		Timeout: 60 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error {
			return http.ErrUseLastResponse
		},
	}}
}

// page is one answer: its status (0 when none came), headers and body.
type page struct {
	code   int
	header http.Header
	body   string
}

func (b *browser) get(target string) page {
	return b.do(http.NewRequest(http.MethodGet, target, nil))
}

// post sends form, already encoded (new_item=milk), as a form's submit does.
func (b *browser) post(target, form string) page {
	req, err := http.NewRequest(http.MethodPost, target, strings.NewReader(form))
	if err == nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	return b.do(req, err)
}

func (b *browser) do(req *http.Request, err error) page {
	if err != nil {
		return page{body: err.Error()}
	}
	resp, err := b.client.Do(req)
	if err != nil {
		return page{body: err.Error()}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return page{body: err.Error()}
	}
	return page{code: resp.StatusCode, header: resp.Header, body: string(body)}
}

// status is the code as curl prints it: 000 when no answer came.
func (p page) status() string {
	return fmt.Sprintf("%03d", p.code)
}

// cookie is the Set-Cookie line for the session cookie, or "".
func (p page) cookie() string {
	for _, c := range p.header.Values("Set-Cookie") {
		if strings.HasPrefix(c, "session=") {
			return "Set-Cookie: " + c
		}
	}
	return ""
}

// headers are the answer's headers, one a line, for a failure's details.
func (p page) headers() string {
	var b strings.Builder
	for name, values := range p.header {
		for _, v := range values {
			fmt.Fprintf(&b, "%s: %s\n", name, v)
		}
	}
	return b.String()
}

func (p page) has(texts ...string) bool {
	for _, t := range texts {
		if !strings.Contains(p.body, t) {
			return false
		}
	}
	return true
}

// head is the body's first n bytes, for a failure's details.
func (p page) head(n int) string {
	return p.body[:min(n, len(p.body))]
}
