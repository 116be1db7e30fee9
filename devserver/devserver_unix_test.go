//go:build unix

package devserver

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"example.com/sessions/internal/testenv"
)

// TestCtrlCWithSecretKey: with SECRET_KEY set, Ctrl+C stops the program once
// the request under way is answered, and the program ends without an error.
func TestCtrlCWithSecretKey(t *testing.T) {
	testenv.NeedsPrograms(t)
	t.Parallel()
	dir := newLesson(t, "version 1")
	p := startLesson(t, dir, t.TempDir(), "SECRET_KEY=a private phrase, long enough")
	slow := make(chan string, 1)
	go func() {
		b := p.Browser()
		b.Client.Timeout = 90 * time.Second
		page, err := b.Get("/slow?ms=1000")
		slow <- fmt.Sprint(page.Status, " ", page.Body, err)
	}()
	if p.WaitFor(0, "slow request begins") < 0 {
		t.Fatal("the slow request did not begin")
	}
	p.Interrupt()
	if got := <-slow; got != "200 slow request done<nil>" {
		t.Errorf("the request under way when Ctrl+C was pressed got %q; want 200 slow request done", got)
	}
	if !p.Exited(30*time.Second) || p.ExitError() != nil {
		t.Errorf("after Ctrl+C the program ended with %v; want no error", p.ExitError())
	}
	if left := gone(strings.TrimPrefix(p.URL, "http://")); left != "" {
		t.Errorf("after Ctrl+C: %s", left)
	}
}
