package devserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/sessions"
	"example.com/sessions/internal/program"
	"example.com/sessions/internal/testenv"
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

// TestForwardedHosts: in a codespace or a Gitpod workspace, debug mode also
// answers the one name under which the platform forwards the browser's port
// to this server, and the names a teacher lists in DEBUG_ALLOWED_HOSTS;
// nothing else, not even the platform's name for another port.
func TestForwardedHosts(t *testing.T) {
	outsideCloudEditors(t)
	if hostAllowed("fuzzy-robot-x4v9-5000.app.github.dev", "5000") || forwardedURL("5000") != "" {
		t.Errorf("outside a codespace, the name of one is allowed, or the banner names one (%q)", forwardedURL("5000"))
	}
	t.Setenv("CODESPACE_NAME", "fuzzy-robot-x4v9")
	t.Setenv("GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN", "app.github.dev")
	t.Setenv("GITPOD_WORKSPACE_URL", "https://amara-sessions-abc123.ws-eu110.gitpod.io")
	t.Setenv(allowedHostsEnv, "lab-07.school.example, Sessions.School.Example")
	for _, host := range []string{
		"fuzzy-robot-x4v9-5000.app.github.dev", "FUZZY-ROBOT-X4V9-5000.app.github.dev:443",
		"lab-07.school.example", "lab-07.school.example:5000", "sessions.school.example",
		"127.0.0.1:5000", "localhost",
	} {
		if !hostAllowed(host, "5000") {
			t.Errorf("Host %s: refused, want it allowed", host)
		}
	}
	for _, host := range []string{
		"fuzzy-robot-x4v9-3000.app.github.dev", "other-codespace-5000.app.github.dev", "fuzzy-robot-x4v9.app.github.dev",
		"fuzzy-robot-x4v9-5000.app.github.dev.evil.example", "evil.fuzzy-robot-x4v9-5000.app.github.dev",
		"3000-amara-sessions-abc123.ws-eu110.gitpod.io", "amara-sessions-abc123.ws-eu110.gitpod.io",
		"school.example", "07.school.example", "evil.example", "",
	} {
		if hostAllowed(host, "5000") {
			t.Errorf("Host %q: allowed, want it refused", host)
		}
	}
	if got, want := forwardedURL("5000"), "https://fuzzy-robot-x4v9-5000.app.github.dev"; got != want {
		t.Errorf("in a codespace, the address to open is %q, want %q", got, want)
	}
	t.Setenv("CODESPACE_NAME", "")
	if !hostAllowed("5000-amara-sessions-abc123.ws-eu110.gitpod.io", "5000") || hostAllowed("fuzzy-robot-x4v9-5000.app.github.dev", "5000") {
		t.Errorf("in a Gitpod workspace, its name for port 5000 is refused, or a codespace's allowed")
	}
	if got, want := forwardedURL("5001"), "https://5001-amara-sessions-abc123.ws-eu110.gitpod.io"; got != want {
		t.Errorf("in a Gitpod workspace, the address to open is %q, want %q", got, want)
	}
}

// TestCodespace drives the server as a codespace's forwarded port does: the
// browser asks for https://NAME-PORT.app.github.dev, and the codespace's
// proxy passes that name on as the Host and X-Forwarded-Host, says https in
// X-Forwarded-Proto, and rewrites a form's Origin to http://localhost:PORT.
// It leaves the browser's Sec-Fetch-Site alone, and that is what
// cross-origin protection reads first. The page, a form, a save and its
// rebuild and the compile error page all work there, at the front and at the
// program behind it; a form from another site, and any other Host, are
// still refused.
func TestCodespace(t *testing.T) {
	testenv.NeedsPrograms(t)
	dir := newLesson(t, "version 1")
	env := []string{"SECRET_KEY=", "CODESPACE_NAME=fuzzy-robot-x4v9", "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN=app.github.dev", allowedHostsEnv + "="}
	p := start(t, dir, env, testenv.Build(t, dir), "-addr", "127.0.0.1:0")
	port := p.URL[strings.LastIndex(p.URL, ":")+1:]
	name := "fuzzy-robot-x4v9-" + port + ".app.github.dev"
	if line := " * Open https://" + name + " in your browser\n"; !strings.Contains(p.Terminal(), " * Running on "+p.URL+"\n"+line) {
		t.Errorf("the banner lacks the line %q after its \" * Running on\" line:\n%s", line, p.Terminal())
	}
	proxied := func(host string, more ...string) []string {
		return append([]string{"Host", host, "X-Forwarded-Host", host, "X-Forwarded-Proto", "https", "X-Forwarded-For", "203.0.113.7"}, more...)
	}
	page := proxied(name, "Sec-Fetch-Site", "none")
	form := proxied(name, "Origin", "http://localhost:"+port, "Sec-Fetch-Site", "same-origin")

	if status, body := get(t, p, "GET", "/", page...); status != http.StatusOK || !strings.HasPrefix(body, "version 1 ") {
		t.Fatalf("the page through the codespace's port: %d %q, want version 1", status, body)
	}
	if status, body := get(t, p, "POST", "/", form...); status != http.StatusOK {
		t.Errorf("a form from the page, through the codespace's port: %d %q, want 200", status, body)
	}
	if status, body := get(t, p, "POST", "/", proxied(name, "Origin", "https://evil.example", "Sec-Fetch-Site", "cross-site")...); status != http.StatusForbidden {
		t.Errorf("a form from another site, through the codespace's port: %d %q, want 403", status, body)
	}
	_, body := get(t, p, "GET", "/")
	behind := &program.Program{URL: "http://" + pageField(body, "at")} // the program itself, on a port of its own
	if status, body := get(t, behind, "GET", "/", page...); status != http.StatusOK {
		t.Errorf("the page through the codespace's port, at the program behind the front: %d %q, want 200", status, body)
	}

	save(t, p, dir, 1, "version 1", "version 2")
	if status, body := get(t, p, "GET", "/", page...); status != http.StatusOK || !strings.HasPrefix(body, "version 2 ") {
		t.Errorf("a reload after a save, through the codespace's port: %d %q, want version 2", status, body)
	}
	save(t, p, dir, 2, `	fmt.Println("index says`, "\titem := 'milk'\n\tfmt.Println(\"index says")
	where := fmt.Sprintf("main.go:%d:", lessonLine(t, `	fmt.Println("index says`))
	if status, body := get(t, p, "GET", "/", page...); status != http.StatusInternalServerError || !strings.Contains(body, where) {
		t.Errorf("the compile error page, through the codespace's port: %d %q, want 500 and %s", status, body, where)
	}

	for _, header := range [][]string{
		proxied("evil.example"),
		proxied("other-codespace-" + port + ".app.github.dev"),
		proxied("fuzzy-robot-x4v9-1" + port + ".app.github.dev"),
		{"Host", "evil.example", "X-Forwarded-Host", name}, // X-Forwarded-Host is the sender's word, and proves nothing
	} {
		if status, body := get(t, p, "GET", "/", header...); status != http.StatusBadRequest || strings.Contains(body, "item := 'milk'") {
			t.Errorf("a request for %s, X-Forwarded-Host %s: %d %q; want 400, without the code", header[1], header[3], status, body)
		}
	}
}

// outsideCloudEditors clears, for the test, what a codespace or Gitpod says
// about itself, and DEBUG_ALLOWED_HOSTS, so that the test sees what it sees
// on a learner's own computer, even when it runs in a codespace.
func outsideCloudEditors(t *testing.T) {
	for _, name := range []string{"CODESPACE_NAME", "GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN", "GITPOD_WORKSPACE_URL", allowedHostsEnv, browserPortEnv} {
		t.Setenv(name, "")
	}
}
