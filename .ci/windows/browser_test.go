package main

import (
	"net/http"
	"testing"
)

func TestCookieIsTheSessionOne(t *testing.T) {
	p := page{header: http.Header{"Set-Cookie": {"theme=dark; Path=/", "session=MTc0; Path=/; HttpOnly"}}}
	if got, want := p.cookie(), "Set-Cookie: session=MTc0; Path=/; HttpOnly"; got != want {
		t.Errorf("cookie = %q; want %q", got, want)
	}
	if got := (page{header: http.Header{"Set-Cookie": {"sessionid=1"}}}).cookie(); got != "" {
		t.Errorf("cookie = %q for sessionid; want none: the lesson's cookie is named session", got)
	}
}

func TestStatusIsCurls(t *testing.T) {
	if got := (page{}).status(); got != "000" {
		t.Errorf("status with no answer = %q; want 000, as curl prints it", got)
	}
	if got := (page{code: 500}).status(); got != "500" {
		t.Errorf("status = %q; want 500", got)
	}
}
