package sessions_test

import (
	"bytes"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/sha256"
	"crypto/tls"
	"encoding/base64"
	"encoding/gob"
	"errors"
	"fmt"
	"html/template"
	"io"
	"log/slog"
	"maps"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"regexp"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"example.com/sessions"
)

const testKey = "test secret key"

// newManager returns a Manager for cfg (SecretKey defaults to testKey) and
// the buffer its log lines go to.
func newManager(t testing.TB, cfg sessions.Config) (*sessions.Manager, *bytes.Buffer) {
	t.Helper()
	var logs bytes.Buffer
	if cfg.SecretKey == "" {
		cfg.SecretKey = testKey
	}
	cfg.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	m, err := sessions.New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return m, &logs
}

// browser sends requests through a Manager's middleware and keeps the
// session cookie between them, as a browser would.
type browser struct {
	t       testing.TB
	handler http.Handler
	cookie  *http.Cookie
}

func newBrowser(t testing.TB, m *sessions.Manager, view func(w http.ResponseWriter, r *http.Request)) *browser {
	return &browser{t: t, handler: m.Middleware(http.HandlerFunc(view))}
}

// get sends GET target and returns the response, its body, and the session
// cookie it set (nil when it set none).
func (b *browser) get(target string) (*http.Response, string, *http.Cookie) {
	return b.send(httptest.NewRequest(http.MethodGet, target, nil))
}

func (b *browser) send(r *http.Request) (*http.Response, string, *http.Cookie) {
	b.t.Helper()
	if b.cookie != nil {
		r.AddCookie(b.cookie)
	}
	w := httptest.NewRecorder()
	b.handler.ServeHTTP(w, r)
	resp := w.Result()
	body, _ := io.ReadAll(resp.Body)
	set := sessionCookie(resp)
	if set != nil {
		if set.MaxAge < 0 {
			b.cookie = nil
		} else {
			b.cookie = &http.Cookie{Name: set.Name, Value: set.Value}
		}
	}
	return resp, string(body), set
}

func sessionCookie(resp *http.Response) *http.Cookie {
	for _, c := range resp.Cookies() {
		if c.Name == "session" {
			return c
		}
	}
	return nil
}

// items returns a list of n items, "Item 01", "Item 02" and so on; the
// benchmarks use 20.
func items(n int) []string {
	list := make([]string, n)
	for i := range list {
		list[i] = fmt.Sprintf("Item %02d", i+1)
	}
	return list
}

func TestSessionMethods(t *testing.T) {
	s := sessions.Session{"a": 1}
	if got := s.Get("a", 0); got != 1 {
		t.Errorf(`Get("a", 0) = %v, want 1`, got)
	}
	if got := s.Get("missing", "fallback"); got != "fallback" {
		t.Errorf(`Get("missing", "fallback") = %v`, got)
	}
	if got := s.SetDefault("b", 2); got != 2 || s["b"] != 2 {
		t.Errorf(`SetDefault("b", 2) = %v, session %v`, got, s)
	}
	if got := s.SetDefault("b", 3); got != 2 {
		t.Errorf(`SetDefault on a present key = %v, want the stored 2`, got)
	}
	if got := s.Pop("b", nil); got != 2 {
		t.Errorf(`Pop("b", nil) = %v, want 2`, got)
	}
	if _, ok := s["b"]; ok {
		t.Error(`Pop left "b" in the session`)
	}
	if got := s.Pop("b", "gone"); got != "gone" {
		t.Errorf(`Pop of a missing key = %v, want the fallback`, got)
	}
	if s.Permanent() {
		t.Error("a new session is permanent")
	}
	s.SetPermanent(true)
	if !s.Permanent() || s["_permanent"] != true {
		t.Errorf(`SetPermanent(true): Permanent() = %v, session %v`, s.Permanent(), s)
	}
	s.SetPermanent(false)
	if _, ok := s["_permanent"]; ok || s.Permanent() {
		t.Errorf("SetPermanent(false) left %v", s)
	}
	s.Clear()
	if len(s) != 0 {
		t.Errorf("Clear left %v", s)
	}
}

// TestMissingSecretKey mirrors Flask's test_missing_session.
func TestMissingSecretKey(t *testing.T) {
	_, err := sessions.New(sessions.Config{})
	if !errors.Is(err, sessions.ErrNoSecretKey) {
		t.Fatalf("New without a key: %v, want ErrNoSecretKey", err)
	}
	for _, want := range []string{"session is unavailable because no secret key was set", "SecretKey", "SECRET_KEY"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("the error %q does not mention %q", err, want)
		}
	}
}

// TestBadConfig: New refuses a setting a browser would not honour, and the
// error names the field to fix, as Flask's ValueError for SameSite does.
func TestBadConfig(t *testing.T) {
	for _, tt := range []struct {
		name string
		cfg  sessions.Config
		want string
	}{
		{"name with a space", sessions.Config{CookieName: "my session"}, "CookieName"},
		{"name too long", sessions.Config{CookieName: strings.Repeat("n", 97)}, "longer than 96 bytes"},
		{"negative lifetime", sessions.Config{PermanentLifetime: -time.Hour}, "PermanentLifetime"},
		{"lifetime under a second", sessions.Config{PermanentLifetime: 999 * time.Millisecond}, "at least one second"},
		{"path with semicolon", sessions.Config{CookiePath: "/a;b"}, "CookiePath"},
		{"unknown SameSite", sessions.Config{CookieSameSite: http.SameSite(7)}, "http.SameSiteDefaultMode for no attribute"},
		{"partitioned, not Secure", sessions.Config{CookiePartitioned: true}, "CookiePartitioned needs CookieSecure"},
		{"SameSite=None, not Secure", sessions.Config{CookieSameSite: http.SameSiteNoneMode}, "SameSiteNoneMode needs CookieSecure"},
	} {
		tt.cfg.SecretKey = "k"
		if _, err := sessions.New(tt.cfg); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: New gave %v, want an error that says %q", tt.name, err, tt.want)
		}
	}
	for _, mode := range []http.SameSite{0, http.SameSiteDefaultMode, http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteNoneMode} {
		if _, err := sessions.New(sessions.Config{SecretKey: "k", CookieSameSite: mode, CookieSecure: true}); err != nil {
			t.Errorf("SameSite %d: %v", mode, err)
		}
	}
	// The longest name that still fits beside MaxValueSize: 4096 - 4000 bytes.
	if _, err := sessions.New(sessions.Config{SecretKey: "k", CookieName: strings.Repeat("n", 96), PermanentLifetime: time.Second}); err != nil {
		t.Errorf("a 96-byte cookie name and a one-second lifetime: %v", err)
	}
}

// TestPanics: a handler that panics before its page began saves nothing,
// so the browser keeps its cookie, and Middleware passes the panic on to whoever recovers it
// (devserver's panic page) with the stack that names the handler's line, and
// with nothing written: the headers the handler set are taken back, those set
// outside the middleware stay. http.ErrAbortHandler, net/http's own way to
// drop a connection, passes through too.
func TestPanics(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	var line int
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		session := sessions.From(r)
		if r.URL.Path == "/store" {
			session["groceries"] = []string{"Milk"}
			return
		}
		session["groceries"] = []string{"Milk", "Eggs"}
		w.Header().Set("X-Half", "done")
		fmt.Fprint(w, "<p>half a page")
		_, _, line, _ = runtime.Caller(0)
		_ = session["movies"].([]string) // the lesson's likeliest slip: no ", _"
	})
	b.get("/store")
	r := httptest.NewRequest(http.MethodGet, "/panic", nil)
	r.AddCookie(b.cookie)
	w := httptest.NewRecorder()
	w.Header().Set("X-Request-Id", "42") // set by a middleware outside this one
	var stack string
	recovered := func() (p any) {
		defer func() { p, stack = recover(), string(debug.Stack()) }()
		b.handler.ServeHTTP(w, r)
		return nil
	}()
	if err, ok := recovered.(runtime.Error); !ok || err.Error() != "interface conversion: interface {} is nil, not []string" {
		t.Fatalf("recovered %v, want the handler's own panic", recovered)
	}
	// The first of this package's lines below the panic is the slip's.
	_, below, _ := strings.Cut(stack, "\npanic(")
	if where := regexp.MustCompile(`session(_test)?\.go:\d+`).FindString(below); where != fmt.Sprintf("session_test.go:%d", line+1) {
		t.Errorf("the panic's stack names %s first, want session_test.go:%d:\n%s", where, line+1, stack)
	}
	if w.Body.Len() > 0 || w.Header().Get("Set-Cookie") != "" || w.Header().Get("X-Half") != "" || w.Header().Get("X-Request-Id") != "42" {
		t.Errorf("after the panic: body %q, headers %v; want nothing written, no cookie, no X-Half, X-Request-Id kept", w.Body, w.Header())
	}
	// A page that streams saved its session as it began: the cookie left
	// with the headers, and the panic cannot take it back. A change made
	// after that is not in it.
	t.Run("after the page began", func(t *testing.T) {
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			session := sessions.From(r)
			session["groceries"] = []string{"Milk", "Tea"}
			http.NewResponseController(w).Flush()
			session["groceries"] = []string{"Milk", "Tea", "Jam"}
			panic("after the flush")
		}))
		w := httptest.NewRecorder()
		func() {
			defer func() { recover() }()
			h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/", nil))
		}()
		c := sessionCookie(w.Result())
		if c == nil {
			t.Fatal("no cookie: the save made as the page began was lost")
		}
		if s, _, _ := sessions.Peek(c.Value); !slices.Equal(s["groceries"].([]string), []string{"Milk", "Tea"}) {
			t.Errorf("the cookie holds %q; want the list as it was when the page began", s["groceries"])
		}
	})
	t.Run("ErrAbortHandler", func(t *testing.T) {
		h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { panic(http.ErrAbortHandler) }))
		defer func() {
			if p := recover(); p != http.ErrAbortHandler {
				t.Errorf("recovered %v, want http.ErrAbortHandler passed on to net/http", p)
			}
		}()
		h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest(http.MethodGet, "/", nil))
	})
}

// TestOutsideMiddleware mirrors Flask's "Working outside of request context".
func TestOutsideMiddleware(t *testing.T) {
	defer func() {
		msg := fmt.Sprint(recover())
		for _, want := range []string{"Working outside of request context", "Middleware"} {
			if !strings.Contains(msg, want) {
				t.Errorf("panic %q does not mention %q", msg, want)
			}
		}
	}()
	sessions.From(httptest.NewRequest(http.MethodGet, "/", nil))
	t.Error("From did not panic outside the middleware")
}

func TestTemplateData(t *testing.T) {
	page := template.Must(template.New("page").Parse(
		`{{.message}}:{{range .session.groceries}} {{.}}{{end}}`))
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = []string{"Bread", "Milk"}
		if err := page.Execute(w, sessions.TemplateData(r, map[string]any{"message": "hi"})); err != nil {
			t.Error(err)
		}
	})
	if _, body, _ := b.get("/"); body != "hi: Bread Milk" {
		t.Errorf("the page says %q", body)
	}
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if data := sessions.TemplateData(r, nil); data["session"] == nil {
			t.Error("TemplateData(r, nil) has no session")
		}
		mine := map[string]any{"session": "the handler's own"}
		if sessions.TemplateData(r, mine)["session"] != "the handler's own" {
			t.Error("TemplateData replaced the handler's own session entry")
		}
	})).ServeHTTP(httptest.NewRecorder(), r)
}

// TestConcurrentBrowsers runs many browsers at once through one Manager
// (run with -race): each sees only its own list.
func TestConcurrentBrowsers(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	view := func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		list, _ := s["groceries"].([]string)
		s["groceries"] = append(list, r.URL.Query().Get("item"))
		fmt.Fprint(w, strings.Join(s["groceries"].([]string), ","))
	}
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			b := newBrowser(t, m, view)
			var want []string
			for j := range 20 {
				item := fmt.Sprintf("b%d-%d", i, j)
				want = append(want, item)
				if _, body, _ := b.get("/?item=" + item); body != strings.Join(want, ",") {
					t.Errorf("browser %d saw %q", i, body)
					return
				}
			}
		})
	}
	wg.Wait()
}

// signingKey is the HMAC key the session layer derives from a secret.
func signingKey(secret string) []byte {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "session cookie signing key", 32)
	if err != nil {
		panic(err)
	}
	return key
}

// resign rebuilds a cookie value with another timestamp and payload, signed
// with secret, in securecookie's format base64(timestamp|base64(payload)|mac)
// where mac = HMAC-SHA256(key, "session|timestamp|base64(payload)").
func resign(t testing.TB, value, secret string, stamp int64, payload []byte) string {
	t.Helper()
	raw, err := base64.URLEncoding.DecodeString(value)
	if err != nil {
		t.Fatal(err)
	}
	parts := bytes.SplitN(raw, []byte("|"), 3)
	data := parts[1]
	if payload != nil {
		data = []byte(base64.URLEncoding.EncodeToString(payload))
	}
	signed := fmt.Sprintf("%d|%s", stamp, data)
	mac := hmac.New(sha256.New, signingKey(secret))
	mac.Write([]byte("session|" + signed))
	return base64.URLEncoding.EncodeToString(append([]byte(signed+"|"), mac.Sum(nil)...))
}

// goodCookie returns a cookie value holding {"groceries": ["Milk"]}.
func goodCookie(t testing.TB, secret string) string {
	m, _ := newManager(t, sessions.Config{SecretKey: secret})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		sessions.From(r)["groceries"] = []string{"Milk"}
	})
	_, _, c := b.get("/")
	return c.Value
}

// TestBadCookies: every kind of bad cookie gives an empty session, a normal
// page, and at most one log line that does not repeat the cookie.
func TestBadCookies(t *testing.T) {
	good := goodCookie(t, testKey)
	now := time.Now().Unix()
	tampered := []byte(good)
	tampered[20] ^= 1
	tests := map[string]struct {
		value   string
		wantLog string
	}{
		"missing":                {"", ""},
		"empty":                  {"", ""},
		"malformed":              {"%%%not-base64%%%", "malformed"},
		"tampered":               {string(tampered), "does not match"},
		"another key":            {goodCookie(t, "someone else's key"), "does not match"},
		"expired":                {resign(t, good, testKey, now-32*24*3600, nil), "older than"},
		"too long":               {strings.Repeat("A", 5000), "longer than"},
		"no data":                {resign(t, good, testKey, now, []byte{}), ""}, // the empty session, as encode writes it
		"garbage gob":            {resign(t, good, testKey, now, []byte{1, 1, 'a', 2, 3, 1, 2, 3}), "cannot be decoded"},
		"gob of the wrong shape": {resign(t, good, testKey, now, wrongShape()), "cannot be decoded"},
		"data after the session": {resign(t, good, testKey, now, append(gobOf(sessions.Session{"a": 1}), 0)), "cannot be decoded"},
		"unregistered type":      {resign(t, good, testKey, now, unregisteredType()), "cannot be decoded"},
	}
	for name, tt := range tests {
		t.Run(name, func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, len(sessions.From(r)))
			})
			r := httptest.NewRequest(http.MethodGet, "/", nil)
			if name != "missing" {
				r.Header.Set("Cookie", "session="+tt.value)
			}
			resp, body, _ := b.send(r)
			if resp.StatusCode != http.StatusOK || body != "0" {
				t.Errorf("status %d, %s keys; want 200 and an empty session", resp.StatusCode, body)
			}
			lines := strings.Count(logs.String(), "\n")
			if tt.wantLog == "" && lines != 0 || tt.wantLog != "" && (lines != 1 || !strings.Contains(logs.String(), tt.wantLog)) {
				t.Errorf("log %q, want one line saying %q", logs, tt.wantLog)
			}
			if len(tt.value) > 8 && strings.Contains(logs.String(), tt.value[:8]) {
				t.Errorf("the log repeats the cookie: %q", logs)
			}
		})
	}
}

// gobOf is the data a cookie carries for s, as the session layer encodes it.
func gobOf(s sessions.Session) []byte {
	data, err := sessions.Encode(s)
	if err != nil {
		panic(err)
	}
	return data
}

// wrongShape is gob data that holds a string, not a session map.
func wrongShape() []byte {
	var b bytes.Buffer
	gob.NewEncoder(&b).Encode("not a session")
	return b.Bytes()
}

// unregisteredType is a session map holding a value whose type name gob has
// never heard of.
func unregisteredType() []byte {
	type local struct{ A int }
	gob.RegisterName("sessions_test.gone", local{})
	return bytes.Replace(gobOf(sessions.Session{"x": local{1}}), []byte("sessions_test.gone"), []byte("sessions_test.none"), 1)
}

// FuzzLoad: no cookie value a browser can send makes the middleware fail: the
// handler always gets a session. And whatever a handler stores (here, the
// fuzzed text as a list item and in a key) comes back as it was.
//
// Signed data that the server did not write is left out here: making it
// takes the secret key. FuzzSignedData, in codec_test.go, signs its own.
func FuzzLoad(f *testing.F) {
	f.Add(goodCookie(f, testKey))
	f.Add("")
	f.Add("%%%")
	f.Add("Milk")
	m, _ := newManager(f, sessions.Config{})
	f.Fuzz(func(t *testing.T, value string) {
		b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
			s := sessions.From(r)
			if r.URL.Path == "/store" {
				s["item"] = []string{value}
				s["key:"+value] = true
				if s.CheckSize() != nil {
					clear(s) // too large for a cookie: store nothing
				}
			}
			fmt.Fprintf(w, "%q %v", s["item"], s["key:"+value])
		})
		r := httptest.NewRequest(http.MethodGet, "/", nil)
		r.AddCookie(&http.Cookie{Name: "session", Value: url.QueryEscape(value)})
		if resp, body, _ := b.send(r); resp.StatusCode != http.StatusOK {
			t.Fatalf("a cookie from elsewhere gave %d %q", resp.StatusCode, body)
		}
		b.cookie = nil
		if _, _, c := b.get("/store"); c == nil {
			return // the value was too large to store
		}
		if _, body, _ := b.get("/"); body != fmt.Sprintf("%q %v", []string{value}, true) {
			t.Errorf("stored %q, got back %s", value, body)
		}
	})
}

// TestLifetimeLimitsSignatureAge: Config.PermanentLifetime is also how old a
// signature may be. A cookie signed longer ago than that is refused, with a
// log line that says why, and the browser starts an empty session.
func TestLifetimeLimitsSignatureAge(t *testing.T) {
	good := goodCookie(t, testKey) // {"groceries": ["Milk"]}, not permanent
	now := time.Now().Unix()
	for _, tt := range []struct {
		name     string
		lifetime time.Duration // 0: the default, 31 days
		age      time.Duration
		want     string
	}{
		{"1 hour, signed 2 hours ago", time.Hour, 2 * time.Hour, "none"},
		{"1 hour, signed 30 minutes ago", time.Hour, 30 * time.Minute, "[Milk]"},
		{"the default, signed 30.5 days ago", 0, 30*24*time.Hour + 12*time.Hour, "[Milk]"},
		{"the default, signed 31.5 days ago", 0, 31*24*time.Hour + 12*time.Hour, "none"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{PermanentLifetime: tt.lifetime})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				fmt.Fprint(w, sessions.From(r).Get("groceries", "none"))
			})
			b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now-int64(tt.age/time.Second), nil)}
			_, body, _ := b.get("/")
			refused := strings.Contains(logs.String(), "the signature is older than PermanentLifetime")
			if body != tt.want || refused != (tt.want == "none") {
				t.Errorf("the view saw %s, log %q; want %s, and a log line only for a refused cookie", body, logs, tt.want)
			}
		})
	}
}

// TestSecretKeyFallbacks mirrors Flask's test_session_secret_key_fallbacks.
func TestSecretKeyFallbacks(t *testing.T) {
	old := goodCookie(t, "old key")
	view := func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		fmt.Fprint(w, s.Get("groceries", []string{}))
		if r.URL.Path == "/add" {
			s["groceries"] = append(s["groceries"].([]string), "Eggs")
		}
	}
	rotated, logs := newManager(t, sessions.Config{SecretKey: "new key", SecretKeyFallbacks: []string{"older key", "old key"}})
	b := newBrowser(t, rotated, view)
	b.cookie = &http.Cookie{Name: "session", Value: resign(t, old, "old key", time.Now().Unix()-40*24*3600, nil)}
	if _, body, _ := b.get("/"); body != "[]" || !strings.Contains(logs.String(), "older than") {
		t.Errorf("an expired cookie signed with a fallback key gave %q, log %q; want [] and a line saying it is too old", body, logs)
	}
	b.cookie = &http.Cookie{Name: "session", Value: old}
	if _, body, _ := b.get("/"); body != "[Milk]" {
		t.Fatalf("a cookie signed with a fallback key gave %q, want [Milk]", body)
	}
	b.get("/add")
	renewed := b.cookie.Value
	newOnly, _ := newManager(t, sessions.Config{SecretKey: "new key"})
	oldOnly, _ := newManager(t, sessions.Config{SecretKey: "old key"})
	for _, tt := range []struct {
		m    *sessions.Manager
		want string
	}{{newOnly, "[Milk Eggs]"}, {oldOnly, "[]"}} {
		b := newBrowser(t, tt.m, view)
		b.cookie = &http.Cookie{Name: "session", Value: renewed}
		if _, body, _ := b.get("/"); body != tt.want {
			t.Errorf("the renewed cookie gave %q, want %q: new cookies must be signed with the current key only", body, tt.want)
		}
	}
}

// saveCase is a session stored by a first request (none when before is nil)
// and a view that runs on it in a second request.
type saveCase struct {
	name   string
	before sessions.Session
	view   func(s sessions.Session)
}

// expectSaved runs each case and checks that the second response sets the
// cookie when saved is true, and sends no Set-Cookie at all when it is false.
func expectSaved(t *testing.T, saved bool, cases []saveCase) {
	t.Helper()
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			resp, c := saveAfter(t, tt.before, tt.view)
			if set := c != nil && c.MaxAge >= 0; set != saved || c != nil && c.MaxAge < 0 {
				t.Errorf("Set-Cookie %q; want the cookie set: %v", resp.Header.Values("Set-Cookie"), saved)
			}
		})
	}
}

// saveAfter stores before in a first request (nothing when it is nil), runs
// view in a second, and returns the second response and the session cookie
// it set (nil when it set none).
func saveAfter(t *testing.T, before sessions.Session, view func(s sessions.Session)) (*http.Response, *http.Cookie) {
	t.Helper()
	m, _ := newManager(t, sessions.Config{})
	step := 0
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if step == 0 {
			maps.Copy(s, before)
			return
		}
		view(s)
	})
	if before != nil {
		if _, _, c := b.get("/"); c == nil {
			t.Fatal("storing the first values set no cookie")
		}
	}
	step = 1
	resp, _, c := b.get("/")
	return resp, c
}

// TestReadingSavesNothing mirrors the first half of Flask's
// test_session_accessed: a view that only reads the session, or stores what
// it held already, sends no cookie.
func TestReadingSavesNothing(t *testing.T) {
	expectSaved(t, false, []saveCase{
		{"read only", sessions.Session{"groceries": items(3)}, func(s sessions.Session) { _ = s["groceries"] }},
		{"several keys read", sessions.Session{"a": "x", "b": 2, "c": true, "d": items(2), "e": 1.5},
			func(s sessions.Session) { _, _, _ = s["a"], s["b"], s["e"] }},
		{"map with several keys read", sessions.Session{"m": map[string]string{"a": "1", "b": "2", "c": "3", "d": "4"}},
			func(s sessions.Session) { _ = s["m"] }},
		{"nested values read", sessions.Session{"n": map[string]any{"a": 1, "b": "2", "c": []any{3}, "d": 4.5}, "p": Point{1, 2}},
			func(s sessions.Session) { _, _ = s["n"], s["p"] }},
		{"time read", sessions.Session{"t": time.Date(2026, 11, 25, 9, 30, 0, 0, time.FixedZone("CET", 3600))},
			func(s sessions.Session) { _ = s["t"] }},
		{"same value stored again", sessions.Session{"groceries": items(3)},
			func(s sessions.Session) { s["groceries"] = items(3) }},
		{"no cookie, only looked at", nil, func(s sessions.Session) { _ = s["a"] }},
	})
}

// TestChangesAreSaved mirrors the second half of Flask's
// test_session_accessed: a view that stores or deletes something sends the
// cookie.
func TestChangesAreSaved(t *testing.T) {
	expectSaved(t, true, []saveCase{
		{"first value", nil, func(s sessions.Session) { s["groceries"] = []string{} }},
		{"new key", sessions.Session{"a": 1}, func(s sessions.Session) { s["b"] = 2 }},
		{"own type replaced", sessions.Session{"p": Point{1, 2}}, func(s sessions.Session) { s["p"] = Point{1, 3} }},
		{"key deleted", sessions.Session{"a": 1, "b": 2}, func(s sessions.Session) { delete(s, "a") }},
	})
}

// TestChangesInPlaceAreSaved: a change made inside a stored list or map is
// saved, where Flask misses it unless the view sets session.modified = True.
func TestChangesInPlaceAreSaved(t *testing.T) {
	expectSaved(t, true, []saveCase{
		{"slice sorted in place", sessions.Session{"groceries": []string{"b", "a"}},
			func(s sessions.Session) { slices.Sort(s["groceries"].([]string)) }},
		{"map changed in place", sessions.Session{"m": map[string]int{"a": 1}},
			func(s sessions.Session) { s["m"].(map[string]int)["a"] = 2 }},
		{"[]int changed in place", sessions.Session{"ints": []int{1, 2}},
			func(s sessions.Session) { s["ints"].([]int)[0] = 9 }},
		{"map[string]string changed in place", sessions.Session{"labels": map[string]string{"a": "b"}},
			func(s sessions.Session) { s["labels"].(map[string]string)["a"] = "c" }},
		{"nested map changed in place", sessions.Session{"n": map[string]any{"a": 1, "b": 2}},
			func(s sessions.Session) { s["n"].(map[string]any)["b"] = 3 }},
		{"bytes changed in place", sessions.Session{"b": []byte("abc")},
			func(s sessions.Session) { s["b"].([]byte)[0] = 'x' }},
	})
}

// TestValueOfAnotherTypeIsSaved: a value replaced by an equal-looking one of
// another type is a change, since it comes back with the new type.
func TestValueOfAnotherTypeIsSaved(t *testing.T) {
	expectSaved(t, true, []saveCase{
		{"same number, another type", sessions.Session{"n": 1}, func(s sessions.Session) { s["n"] = int64(1) }},
		{"same float, another type", sessions.Session{"x": 2.5}, func(s sessions.Session) { s["x"] = float32(2.5) }},
		{"same list, another type", sessions.Session{"groceries": []string{"Milk"}},
			func(s sessions.Session) { s["groceries"] = []any{"Milk"} }},
	})
}

// TestNaNSavesNothing: NaN is never equal to itself, yet a session holding
// one is not sent again on every request; replacing it is still a change.
func TestNaNSavesNothing(t *testing.T) {
	expectSaved(t, false, []saveCase{
		{"NaN read", sessions.Session{"x": math.NaN()}, func(s sessions.Session) { _ = s["x"] }},
		{"NaN among other values read", sessions.Session{"x": math.NaN(), "p": Point{1, 2}},
			func(s sessions.Session) { _ = s["x"] }},
	})
	expectSaved(t, true, []saveCase{
		{"NaN replaced by a number", sessions.Session{"x": math.NaN()}, func(s sessions.Session) { s["x"] = 1.0 }},
	})
}

// TestEmptiedSessionDeletesCookie: a view that empties the session deletes
// the browser's cookie (Max-Age=0), as Flask's save_session does.
func TestEmptiedSessionDeletesCookie(t *testing.T) {
	resp, c := saveAfter(t, sessions.Session{"a": 1}, func(s sessions.Session) { s.Clear() })
	if c == nil || c.MaxAge >= 0 || !strings.Contains(resp.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("Set-Cookie %q; want one that deletes the cookie with Max-Age=0", resp.Header.Values("Set-Cookie"))
	}
}

// TestEmptySessionCreatesNoCookie: a session that starts and ends empty
// sends nothing, even if a key came and went during the request.
func TestEmptySessionCreatesNoCookie(t *testing.T) {
	resp, c := saveAfter(t, nil, func(s sessions.Session) { s["a"] = 1; delete(s, "a") })
	if c != nil {
		t.Errorf("Set-Cookie %q; want none", resp.Header.Values("Set-Cookie"))
	}
}

// TestPermanentFlagSurvives mirrors the second half of Flask's
// test_session_expiration: the next request sees session.permanent.
func TestPermanentFlagSurvives(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if r.URL.Path == "/set" {
			s.SetPermanent(true)
			s["test"] = 42
		}
		fmt.Fprint(w, s.Permanent())
	})
	b.get("/set")
	if _, body, _ := b.get("/test"); body != "true" {
		t.Errorf("the next request saw permanent = %s", body)
	}
}

// TestRefreshEachRequest mirrors Flask's test_session_cookie_setting.
func TestRefreshEachRequest(t *testing.T) {
	for _, tt := range []struct {
		permanent, refresh, wantHeader bool
	}{
		{true, true, true},
		{true, false, false},
		{false, true, false},
		{false, false, false},
	} {
		t.Run(fmt.Sprintf("permanent=%v,refresh=%v", tt.permanent, tt.refresh), func(t *testing.T) {
			m, _ := newManager(t, sessions.Config{DisableRefreshEachRequest: !tt.refresh})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				s := sessions.From(r)
				n, _ := s["foo"].(int)
				if r.URL.Path == "/bump" {
					n++
					s["foo"] = n
					s.SetPermanent(tt.permanent)
				}
				fmt.Fprint(w, n)
			})
			for want := 1; want <= 3; want++ {
				if _, body, _ := b.get("/bump"); body != strconv.Itoa(want) {
					t.Fatalf("/bump = %s, want %d", body, want)
				}
			}
			_, body, c := b.get("/read")
			if body != "3" || (c != nil) != tt.wantHeader {
				t.Errorf("/read = %s with Set-Cookie %v; want 3, Set-Cookie %v", body, c != nil, tt.wantHeader)
			}
		})
	}
}

// TestVaryCookie mirrors Flask's test_session_vary_cookie and
// test_session_refresh_vary.
func TestVaryCookie(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	views := map[string]func(w http.ResponseWriter, r *http.Request){
		"/set":        func(w http.ResponseWriter, r *http.Request) { sessions.From(r)["a"] = "b" },
		"/get":        func(w http.ResponseWriter, r *http.Request) { sessions.From(r).Get("a", nil) },
		"/getitem":    func(w http.ResponseWriter, r *http.Request) { _ = sessions.From(r)["a"] },
		"/setdefault": func(w http.ResponseWriter, r *http.Request) { sessions.From(r).SetDefault("a", "b") },
		"/clear":      func(w http.ResponseWriter, r *http.Request) { sessions.From(r).Clear() },
		"/vary-cookie": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Cookie")
			_ = sessions.From(r)["a"]
		},
		"/vary-other": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "Accept-Encoding")
			_ = sessions.From(r)["a"]
		},
		"/vary-lower-case": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Vary", "cookie") // header names are case-insensitive
			_ = sessions.From(r)["a"]
		},
		"/vary-second-line": func(w http.ResponseWriter, r *http.Request) {
			w.Header().Add("Vary", "Accept-Encoding")
			w.Header().Add("Vary", "Accept-Language, Cookie")
			_ = sessions.From(r)["a"]
		},
		"/untouched": func(w http.ResponseWriter, r *http.Request) {},
		"/login": func(w http.ResponseWriter, r *http.Request) {
			s := sessions.From(r)
			s["user"] = "ada"
			s.SetPermanent(true)
		},
	}
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { views[r.URL.Path](w, r) })
	for path, want := range map[string]string{
		"/set": "Cookie", "/get": "Cookie", "/getitem": "Cookie", "/setdefault": "Cookie", "/clear": "Cookie",
		"/vary-cookie": "Cookie", "/vary-other": "Accept-Encoding, Cookie", "/untouched": "",
		"/vary-lower-case": "cookie", "/vary-second-line": "Accept-Encoding, Accept-Language, Cookie",
	} {
		resp, _, _ := b.get(path)
		if got := resp.Header.Values("Vary"); strings.Join(got, ", ") != want {
			t.Errorf("%s: Vary %q, want %q", path, got, want)
		}
	}
	// A permanent session is refreshed on every request, so even a view
	// that never touches it answers with Vary: Cookie.
	b.get("/login")
	resp, _, c := b.get("/untouched")
	if got := resp.Header.Get("Vary"); got != "Cookie" || c == nil {
		t.Errorf("/untouched with a permanent session: Vary %q, refreshed %v; want Cookie, true", got, c != nil)
	}
}

// TestNoRefreshNoVary: with DisableRefreshEachRequest, a permanent session is
// not sent on every request, so a view that never touches it answers with
// neither a cookie nor Vary: Cookie.
func TestNoRefreshNoVary(t *testing.T) {
	m, _ := newManager(t, sessions.Config{DisableRefreshEachRequest: true})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/login" {
			s := sessions.From(r)
			s["user"] = "ada"
			s.SetPermanent(true)
		}
	})
	if _, _, c := b.get("/login"); c == nil {
		t.Fatal("/login set no cookie")
	}
	resp, _, c := b.get("/untouched")
	if got := resp.Header.Values("Vary"); len(got) != 0 || c != nil {
		t.Errorf("/untouched: Vary %q, Set-Cookie %v; want neither", got, c != nil)
	}
}

func TestSignedCookieFormat(t *testing.T) {
	value := goodCookie(t, testKey)
	now := time.Now().Unix()
	if again := resign(t, value, testKey, now, nil); again != value && resign(t, value, testKey, now-1, nil) != value {
		t.Errorf("the cookie is not base64(timestamp|data|HMAC-SHA256) with the derived key")
	}
	s, signed, err := sessions.Peek(value)
	if err != nil || !reflect.DeepEqual(s, sessions.Session{"groceries": []string{"Milk"}}) {
		t.Fatalf("Peek: %v, %v", s, err)
	}
	if d := time.Since(signed); d < 0 || d > time.Minute {
		t.Errorf("Peek says the cookie was signed at %v", signed)
	}
}

// TestCookieAttributes mirrors Flask's test_session_expiration and
// test_session_using_session_settings.
func TestCookieAttributes(t *testing.T) {
	const day = 24 * time.Hour
	tests := []struct {
		name      string
		cfg       sessions.Config
		permanent bool
		tls       bool
		check     func(t *testing.T, c *http.Cookie, header string)
	}{
		{name: "defaults", check: func(t *testing.T, c *http.Cookie, header string) {
			if c.Path != "/" || !c.HttpOnly || c.SameSite != http.SameSiteLaxMode || c.Secure || c.Domain != "" {
				t.Errorf("cookie %q: want Path=/, HttpOnly, SameSite=Lax, no Secure, no Domain", header)
			}
			if strings.Contains(header, "Expires") || strings.Contains(header, "Max-Age") {
				t.Errorf("a non-permanent session set %q, want a browser-session cookie", header)
			}
		}},
		{name: "over TLS", tls: true, check: func(t *testing.T, c *http.Cookie, header string) {
			if !c.Secure {
				t.Errorf("cookie %q over TLS is not Secure", header)
			}
		}},
		{name: "permanent", permanent: true, check: func(t *testing.T, c *http.Cookie, header string) {
			if c.MaxAge != int(31*day/time.Second) {
				t.Errorf("Max-Age = %d, want 31 days", c.MaxAge)
			}
			if d := time.Until(c.Expires); d < 31*day-time.Minute || d > 31*day+time.Minute {
				t.Errorf("Expires %v is not 31 days away", c.Expires)
			}
		}},
		{name: "Flask's SameSite default", cfg: sessions.Config{CookieSameSite: http.SameSiteDefaultMode},
			check: func(t *testing.T, c *http.Cookie, header string) {
				if strings.Contains(header, "SameSite") {
					t.Errorf("cookie %q has a SameSite attribute; http.SameSiteDefaultMode should send none", header)
				}
			}},
		{name: "partitioned", cfg: sessions.Config{CookieSecure: true, CookiePartitioned: true},
			check: func(t *testing.T, c *http.Cookie, header string) {
				if !c.Partitioned || !c.Secure {
					t.Errorf("cookie %q: want Partitioned and Secure", header)
				}
			}},
		{name: "settings", permanent: true, cfg: sessions.Config{
			CookieName: "basket", CookieDomain: "example.com", CookiePath: "/shop",
			CookieSecure: true, CookieSameSite: http.SameSiteStrictMode, PermanentLifetime: time.Hour,
		}, check: func(t *testing.T, c *http.Cookie, header string) {
			if c.Name != "basket" || c.Domain != "example.com" || c.Path != "/shop" || !c.Secure ||
				c.SameSite != http.SameSiteStrictMode || c.MaxAge != 3600 {
				t.Errorf("cookie %q does not follow the Config", header)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, _ := newManager(t, tt.cfg)
			h := m.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				s := sessions.From(r)
				s["test"] = 42
				s.SetPermanent(tt.permanent)
			}))
			r := httptest.NewRequest(http.MethodGet, "http://example.com/shop", nil)
			if tt.tls {
				r.TLS = &tls.ConnectionState{}
			}
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			cookies := w.Result().Cookies()
			if len(cookies) != 1 {
				t.Fatalf("got %d cookies, want 1: %q", len(cookies), w.Header().Values("Set-Cookie"))
			}
			tt.check(t, cookies[0], w.Header().Get("Set-Cookie"))
		})
	}
}
