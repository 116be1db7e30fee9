package devserver

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/sessions"
)

// TestOnlyThisComputer: in debug mode, a request that names another site as
// its Host gets 400 and a page that says why and where to go instead; one
// that names this computer gets the page. Without debug mode, any Host does.
func TestOnlyThisComputer(t *testing.T) {
	for _, host := range []string{"127.0.0.1:5000", "127.0.0.1", "localhost:5000", "LOCALHOST", "[::1]:5000", "[::1]", "127.0.0.2:5000"} {
		if !isThisComputer(host) {
			t.Errorf("Host %s: refused, want it allowed", host)
		}
	}
	for _, host := range []string{"evil.example:5000", "localhost.evil.example", "127.0.0.1.evil.example", "192.168.1.20:5000", "[::]:5000", "0.0.0.0:5000", "", "my-laptop.local"} {
		if isThisComputer(host) {
			t.Errorf("Host %q: allowed, want it refused", host)
		}
	}
	manager, err := sessions.New(sessions.Config{SecretKey: "test key, long enough"})
	if err != nil {
		t.Fatal(err)
	}
	page := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte("the page")) })
	for _, debug := range []bool{true, false} {
		app := newHandler(page, manager, appContext{debug: debug})
		status, body := send(app, httptest.NewRequest(http.MethodGet, "http://evil.example:5000/", nil))
		if debug && (status != http.StatusBadRequest || !strings.Contains(body, `This request asked for the site "evil.example:5000". In debug mode, the server answers only this computer's browser`)) {
			t.Errorf("debug mode, Host evil.example:5000: %d %q; want 400 and a page that says why", status, body)
		}
		if !debug && status != http.StatusOK {
			t.Errorf("without debug mode, Host evil.example:5000: %d %q; want the page", status, body)
		}
		if status, body := send(app, httptest.NewRequest(http.MethodGet, "http://127.0.0.1:5000/", nil)); status != http.StatusOK {
			t.Errorf("debug %v, Host 127.0.0.1:5000: %d %q; want the page", debug, status, body)
		}
	}
}
