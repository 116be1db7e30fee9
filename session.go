// Package sessions gives net/http handlers and html/template pages what
// Flask's session object gives Flask views: a dictionary of values that lives
// in a signed cookie in the browser, not on the server.
//
// It is the session layer of the Go edition of the LCHS lesson "Try It! Flask
// Sessions". Each Flask feature has a Go counterpart:
//
//	Flask                                Go
//	app.secret_key = '...'               sessionManager, err := sessions.New(sessions.Config{SecretKey: "..."})
//	(Flask opens and saves by itself)    server.Handler = sessionManager.Middleware(mux)
//	session (inside a view)              session := sessions.From(r)
//	session['groceries'] = []            session["groceries"] = []string{}
//	session['groceries']                 session["groceries"].([]string)
//	{{ session['groceries'] }}           {{.session.groceries}}, with sessions.TemplateData
//
// Underneath, the session map is encoded with encoding/gob, signed with
// HMAC-SHA256 by github.com/gorilla/securecookie, and sent back in a cookie
// named "session" whenever its content changed. Anyone holding the cookie can
// read it (it is signed, not encrypted); only the secret key can make a cookie
// the server accepts.
//
// This file tells the story in the order of Flask's sessions.py: the Session
// map, the Config, the Manager and its Middleware, From; then open (load),
// save, change detection and the cookie. Each detour has a file of its own:
// codec.go (gob and signing, and the error that names a fix), size.go (the
// 4 KB limit: CheckSize, MakeRoom, the error for a session too large),
// refusals.go (why a cookie is refused, and the log that says so),
// response.go (the response held until the session is saved, or streamed
// once it is large or flushed, and the page sent when a change cannot be
// saved) and peek.go (reading a cookie without the key). What Flask and
// Werkzeug do around the session (running the server, the debug page of a
// view that panicked) is the package devserver's.
//
// A save walks forward through the files, and never back. Middleware, save
// and cookieValue are here. encodeToFit, in size.go, calls encode in
// codec.go, then measures the cookie. sign, in codec.go, signs it, and save
// sets the cookie. When the change does not fit, save logs the largest keys
// (size.go) and sends the page of notSaved (response.go). codec.go calls
// neither size.go nor response.go.
package sessions

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"time"

	"github.com/gorilla/securecookie"
)

// Session is one browser's session data, the Go form of Flask's session
// object. Use it as a map: session["key"] = value stores a value,
// session["key"] reads one, delete(session, "key") removes one.
//
// Values may be of any type encoding/gob can encode. Strings, numbers, bools,
// times, and slices and maps of those work as they are; a type of your own
// must be registered once with gob.Register, and the error says which call to
// add.
//
// Unlike Flask, a change made in place (sorting the stored list, say) is
// saved too: the session layer compares the content at the end of the request
// with what the cookie held, so there is no session.modified = True to
// remember.
type Session map[string]any

// permanentKey is where SetPermanent keeps its flag, the key Flask uses.
const permanentKey = "_permanent"

// Get returns the value stored under key, or fallback when there is none, like
// Flask's session.get(key, default).
func (s Session) Get(key string, fallback any) any {
	if v, ok := s[key]; ok {
		return v
	}
	return fallback
}

// Pop removes key and returns its value, or fallback when there was none, like
// Flask's session.pop(key, default).
func (s Session) Pop(key string, fallback any) any {
	v, ok := s[key]
	if !ok {
		return fallback
	}
	delete(s, key)
	return v
}

// SetDefault returns the value stored under key; when there is none it first
// stores value, like Flask's session.setdefault(key, value).
func (s Session) SetDefault(key string, value any) any {
	if v, ok := s[key]; ok {
		return v
	}
	s[key] = value
	return value
}

// Clear removes every key, like Flask's session.clear(). A session that ends
// the request empty deletes the browser's cookie.
func (s Session) Clear() {
	clear(s)
}

// Permanent reports whether the session outlives the browser, like Flask's
// session.permanent.
func (s Session) Permanent() bool {
	p, _ := s[permanentKey].(bool)
	return p
}

// SetPermanent sets Flask's session.permanent. A permanent session's cookie
// expires Config.PermanentLifetime after the last response that sent it; any
// other session cookie is a browser-session cookie, gone when the browser
// closes. Like Flask, the flag is stored in the session under "_permanent";
// unlike Flask, SetPermanent(false) removes the key instead of storing false,
// so it never makes an otherwise empty session create a cookie.
func (s Session) SetPermanent(permanent bool) {
	if permanent {
		s[permanentKey] = true
	} else {
		delete(s, permanentKey)
	}
}

// Config holds the settings Flask keeps in app.config. A zero field takes
// Flask's default, given with each field; only SecretKey must be set.
type Config struct {
	// SecretKey signs every cookie (Flask's SECRET_KEY). Anyone who knows it
	// can forge a session, so keep it secret; changing it logs everyone out
	// unless the old key moves to SecretKeyFallbacks.
	SecretKey string

	// SecretKeyFallbacks are older keys whose cookies are still accepted
	// (Flask 3.1's SECRET_KEY_FALLBACKS). New cookies are signed with
	// SecretKey only, so old ones are replaced as sessions change.
	SecretKeyFallbacks []string

	// CookieName is the cookie's name (SESSION_COOKIE_NAME): "session".
	CookieName string

	// CookieDomain is the cookie's Domain attribute (SESSION_COOKIE_DOMAIN):
	// none, so the cookie goes back only to the host that set it.
	CookieDomain string

	// CookiePath is the cookie's Path attribute (SESSION_COOKIE_PATH): "/".
	CookiePath string

	// CookieSecure marks the cookie Secure on every response
	// (SESSION_COOKIE_SECURE). Without it the cookie is Secure when the
	// request came over TLS, which Flask leaves to you.
	CookieSecure bool

	// CookieSameSite is the SameSite attribute (SESSION_COOKIE_SAMESITE).
	// The zero value means Lax, which keeps the cookie off forms that other
	// sites post here. Flask's default is no attribute at all: to get that,
	// set http.SameSiteDefaultMode. None needs CookieSecure, since browsers
	// drop a SameSite=None cookie that is not Secure. New refuses any other
	// value.
	CookieSameSite http.SameSite

	// CookiePartitioned adds the Partitioned attribute (Flask 3.1's
	// SESSION_COOKIE_PARTITIONED), for an app shown inside another site's
	// frame. Browsers keep a partitioned cookie only when it is Secure, so
	// New asks for CookieSecure too.
	CookiePartitioned bool

	// PermanentLifetime is how long a permanent session lasts after the last
	// response that sent its cookie, and how old a signature may be before
	// any session cookie is refused (PERMANENT_SESSION_LIFETIME): 31 days.
	PermanentLifetime time.Duration

	// DisableRefreshEachRequest stops permanent sessions from being sent on
	// every request to push their expiry forward; they are then sent only
	// when they change (SESSION_REFRESH_EACH_REQUEST = False).
	DisableRefreshEachRequest bool

	// Logger receives a line for each cookie that is refused (at most one a
	// minute, then their count) and each session that cannot be saved, as
	// Flask's app.logger does: slog.Default() when nil.
	Logger *slog.Logger
}

// withDefaults fills the zero fields of c with the defaults: the one place
// the defaults live.
func (c Config) withDefaults() Config {
	if c.CookieName == "" {
		c.CookieName = "session"
	}
	if c.CookiePath == "" {
		c.CookiePath = "/"
	}
	if c.CookieSameSite == 0 {
		c.CookieSameSite = http.SameSiteLaxMode
	}
	if c.PermanentLifetime == 0 {
		c.PermanentLifetime = 31 * 24 * time.Hour
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	return c
}

// Manager loads and saves the sessions of one application, the Go form of
// Flask's SecureCookieSessionInterface. It holds no per-request state, so one
// Manager serves any number of requests at once.
type Manager struct {
	config   Config
	codecs   []securecookie.Codec // codecs[0] signs; all of them verify
	refusals refusalLog           // how many refused cookies went unlogged
}

// New checks cfg and returns the Manager for it. It fails with ErrNoSecretKey
// when cfg.SecretKey is empty, where Flask fails later, on the first request
// that stores something.
func New(cfg Config) (*Manager, error) {
	cfg = cfg.withDefaults()
	if cfg.SecretKey == "" {
		return nil, ErrNoSecretKey
	}
	if len(cfg.CookieName) > 4096-MaxValueSize {
		return nil, fmt.Errorf("sessions: the cookie name %q is longer than %d bytes", cfg.CookieName, 4096-MaxValueSize)
	}
	probe := http.Cookie{Name: cfg.CookieName, Value: "x", Path: cfg.CookiePath, Domain: cfg.CookieDomain}
	if err := probe.Valid(); err != nil {
		return nil, fmt.Errorf("sessions: check Config.CookieName, CookiePath and CookieDomain: %w", err)
	}
	switch cfg.CookieSameSite {
	case http.SameSiteDefaultMode, http.SameSiteLaxMode, http.SameSiteStrictMode, http.SameSiteNoneMode:
	default:
		return nil, fmt.Errorf("sessions: Config.CookieSameSite must be http.SameSiteLaxMode, http.SameSiteStrictMode, "+
			"http.SameSiteNoneMode, or http.SameSiteDefaultMode for no attribute (Flask's default); it is %d", cfg.CookieSameSite)
	}
	if cfg.CookiePartitioned && !cfg.CookieSecure {
		return nil, errors.New("sessions: Config.CookiePartitioned needs CookieSecure too: browsers drop a partitioned cookie that is not Secure")
	}
	if cfg.CookieSameSite == http.SameSiteNoneMode && !cfg.CookieSecure {
		return nil, errors.New("sessions: Config.CookieSameSite = http.SameSiteNoneMode needs CookieSecure too: browsers drop a SameSite=None cookie that is not Secure")
	}
	if cfg.PermanentLifetime < time.Second {
		return nil, fmt.Errorf("sessions: Config.PermanentLifetime is %v; it must be at least one second", cfg.PermanentLifetime)
	}
	m := &Manager{config: cfg}
	for _, secret := range append([]string{cfg.SecretKey}, cfg.SecretKeyFallbacks...) {
		m.codecs = append(m.codecs, newCodec(secret, cfg.PermanentLifetime))
	}
	return m, nil
}

// ErrNoSecretKey is what New returns when Config.SecretKey is empty: the
// error Flask raises, in its words, when a view stores something in a session
// without app.secret_key.
var ErrNoSecretKey = errors.New("sessions: the session is unavailable because no secret key was set. " +
	"Set Config.SecretKey to a long, random string and keep it out of your code " +
	"(this app reads it from the SECRET_KEY environment variable)")

// Middleware loads the session before next runs and saves it after, so no
// handler ever calls a save method. It is the Go form of what Flask does
// around every view: open_session, the view, save_session.
//
// The response is held in memory until the handler returns (response.go), so
// that a change made at any point, even after the handler wrote part of the
// page, is saved; its status and headers pass through unchanged. A handler
// that calls Flush, or writes more than 1 MB, has its session saved at that
// moment and the rest streamed; a later change is logged, not saved.
//
// A handler that panics before its response began saves nothing, so the
// browser keeps the cookie it had (Flask, outside debug mode, would save a
// half-made change). Middleware does not recover the panic: it goes on, with
// the stack that names the line it came from, to whoever does (devserver's
// panic page; net/http on its own drops the connection). On the way, the
// headers the handler set are taken back, so that the page made for the
// panic does not carry them.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &requestState{manager: m, request: r}
		held := &heldResponse{w: w, state: st}
		if len(w.Header()) > 0 {
			held.outer = w.Header().Clone()
		}
		returned := false
		defer func() {
			if !returned && !held.streaming { // the handler panicked: nothing was sent, and nothing is saved
				held.resetHeaders()
			}
		}()
		next.ServeHTTP(held, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
		returned = true
		m.save(st, held)
		held.send(true)
	})
}

// stateKey is the context key under which Middleware leaves a request's state.
type stateKey struct{}

// requestState is one request's session: loaded on first use, saved after the
// handler returns (or when a streaming response begins).
type requestState struct {
	manager *Manager
	request *http.Request
	loaded  bool
	session Session

	// What the cookie held, to tell at the end whether the handler changed
	// anything: hadCookie says whether a valid cookie came at all, data is its
	// gob stream, and before a copy of its values out of the handler's reach
	// (nil when a value has a type copyOf does not know).
	hadCookie bool
	data      []byte
	before    Session
}

// From returns the session of r, the Go form of Flask's session object inside
// a view. The first call of a request reads the cookie; later calls return the
// same map.
//
// From panics when r did not pass through Middleware, since nothing would
// save what the handler stores.
func From(r *http.Request) Session {
	st, ok := r.Context().Value(stateKey{}).(*requestState)
	if !ok {
		panic(`sessions: working outside of a session: this request did not pass through ` +
			`(*sessions.Manager).Middleware (Flask would say "Working outside of request context"). ` +
			`Wrap the handler that serves it, for example: server.Handler = sessionManager.Middleware(mux)`)
	}
	if !st.loaded {
		st.load()
	}
	return st.session
}

// TemplateData adds the request's session to data under the name "session" and
// returns data, so a template reads {{.session.groceries}} while the handler
// passes only its own values. It is what Flask's render_template does when it
// makes session available to every template. A "session" entry already in
// data is kept.
func TemplateData(r *http.Request, data map[string]any) map[string]any {
	if data == nil {
		data = make(map[string]any, 1)
	}
	if _, ok := data["session"]; !ok {
		data["session"] = From(r)
	}
	return data
}

// load reads the session cookie into st. A cookie that is missing, forged,
// expired or unreadable gives an empty session: a browser with a bad cookie
// starts afresh instead of seeing an error page.
func (st *requestState) load() {
	st.loaded = true
	st.session = Session{}
	m := st.manager
	c, err := st.request.Cookie(m.config.CookieName)
	if err != nil || c.Value == "" {
		return // no cookie: a new visitor
	}
	var data []byte
	if err := securecookie.DecodeMulti(m.config.CookieName, c.Value, &data, m.codecs...); err != nil {
		m.refuse(st.request, refusal(err))
		return
	}
	s, err := decode(data)
	if err != nil {
		m.refuse(st.request, "its signature is valid but its data cannot be decoded: "+err.Error())
		return
	}
	st.session, st.data, st.before, st.hadCookie = s, data, copyOf(s), true
}

// save decides what the response says about the cookie, Flask's save_session:
// nothing when the session was not used; otherwise Vary: Cookie (a cache must
// not give one browser's page to another), and a Set-Cookie when the content
// changed, when a permanent session is refreshed, or to delete the cookie of a
// session the handler emptied. A response that streams said it when it began
// (saveEarly); a change made since is logged, not saved.
func (m *Manager) save(st *requestState, held *heldResponse) {
	cfg := &m.config
	if held.streaming {
		if st.loaded && st.modified() && !held.replaced {
			cfg.Logger.Error("sessions: the session changed after the response began, so the change was not saved: "+
				"a cookie cannot follow the body. Change the session before calling Flush or writing more than 1 MB",
				"path", st.request.URL.Path)
		}
		return
	}
	if !st.loaded {
		// The handler never looked at the session. Only a permanent session
		// still needs its expiry pushed forward, which needs its content.
		if c, err := st.request.Cookie(cfg.CookieName); cfg.DisableRefreshEachRequest || err != nil || c.Value == "" {
			return
		}
		if st.load(); !st.session.Permanent() {
			return
		}
	}
	addVaryCookie(held.Header())
	s := st.session
	if len(s) == 0 {
		if st.hadCookie {
			http.SetCookie(held, m.cookie(st.request, "", -1))
		}
		return // an empty session never creates a cookie
	}
	if !m.shouldSetCookie(st) {
		return
	}
	value, err := m.cookieValue(s)
	if err != nil { // the change is refused whole: no value is removed to make room
		level := slog.LevelError // the program's mistake
		if _, full := err.(*TooLargeError); full {
			level = slog.LevelWarn // the user's, and the page tells them
		}
		cfg.Logger.Log(st.request.Context(), level, "sessions: not saved", "error", err.Error(), "largest_keys", largestKeys(s))
		held.fail(notSaved(err, st.request.Method, s))
		return
	}
	maxAge := 0
	if s.Permanent() {
		maxAge = int(cfg.PermanentLifetime / time.Second)
	}
	http.SetCookie(held, m.cookie(st.request, value, maxAge))
}

// cookieValue makes the session's cookie value, as Flask's save_session
// does before set_cookie: the session is encoded and checked against what a
// browser keeps (encodeToFit, in size.go), then signed (sign, in codec.go).
func (m *Manager) cookieValue(s Session) (string, error) {
	data, err := encodeToFit(s)
	if err != nil {
		return "", err
	}
	return m.sign(data)
}

// saveEarly is save for a response that streams, as it begins. The browser
// then keeps the session as it is now: later changes are compared with that.
func (st *requestState) saveEarly(held *heldResponse) {
	st.manager.save(st, held)
	if st.loaded && !held.replaced {
		st.data, _ = encode(st.session)
		st.before, st.hadCookie = copyOf(st.session), len(st.session) > 0
	}
}

// shouldSetCookie reports whether the response sends the session's cookie,
// Flask's should_set_cookie: when it was modified, and for a permanent
// session on every request, to push its expiry forward, unless
// Config.DisableRefreshEachRequest.
func (m *Manager) shouldSetCookie(st *requestState) bool {
	return !m.config.DisableRefreshEachRequest && st.session.Permanent() || st.modified()
}

// modified reports whether the session differs from what its cookie held:
// Flask's session.modified, found by comparing content rather than by noticing
// assignments, so a change made in place (sorting the stored list, say) is
// seen too. Each value is compared with same.
func (st *requestState) modified() bool {
	before := st.original()
	if len(st.session) != len(before) {
		return true
	}
	for key, now := range st.session {
		if old, ok := before[key]; !ok || !same(old, now) {
			return true
		}
	}
	return false
}

// original returns what the cookie held, in a copy the handler could not
// reach: load took one with slices.Clone and maps.Clone when every value is
// of a common type; otherwise the cookie is decoded a second time.
func (st *requestState) original() Session {
	if st.before == nil && st.hadCookie {
		before, _ := decode(st.data) // it decoded once already, in load
		return before
	}
	return st.before
}

// same reports whether a value is unchanged: reflect.DeepEqual (for a list
// of strings slices.Equal, which is quicker), except that a float NaN counts
// as the same. DeepEqual never finds NaN equal to itself, and the session
// would be sent again on every request. (A NaN inside a list, a map or a
// struct is still seen as a change.)
func same(old, now any) bool {
	switch old := old.(type) {
	case []string:
		now, ok := now.([]string)
		return ok && slices.Equal(old, now)
	case float64:
		now, ok := now.(float64)
		return ok && (old == now || old != old && now != now) // old != old: old is NaN
	}
	return reflect.DeepEqual(old, now)
}

// copyOf returns a copy of s that changes made to s in place cannot reach, or
// nil when a value is of a type it does not know how to copy.
func copyOf(s Session) Session {
	c := make(Session, len(s))
	for key, v := range s {
		switch v := v.(type) {
		case string, bool, int, int64, float64, time.Time, nil:
			c[key] = v // values that cannot be changed in place
		case []string:
			c[key] = slices.Clone(v)
		case []int:
			c[key] = slices.Clone(v)
		case []byte:
			c[key] = slices.Clone(v)
		case map[string]string:
			c[key] = maps.Clone(v)
		case map[string]int:
			c[key] = maps.Clone(v)
		default:
			return nil
		}
	}
	return c
}

// cookie builds the session cookie. maxAge > 0 makes it last that many
// seconds, 0 makes it a browser-session cookie, < 0 deletes it.
func (m *Manager) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	cfg := &m.config
	c := &http.Cookie{
		Name:        cfg.CookieName,
		Value:       value,
		Path:        cfg.CookiePath,
		Domain:      cfg.CookieDomain,
		MaxAge:      maxAge,
		Secure:      cfg.CookieSecure || r.TLS != nil,
		HttpOnly:    true, // page scripts cannot read the session
		SameSite:    cfg.CookieSameSite,
		Partitioned: cfg.CookiePartitioned,
	}
	switch {
	case maxAge > 0:
		c.Expires = time.Now().Add(time.Duration(maxAge) * time.Second).UTC()
	case maxAge < 0:
		c.Expires = time.Unix(0, 0).UTC()
	}
	return c
}
