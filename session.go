// Package session gives net/http handlers and html/template pages what Flask's
// session object gives Flask views: a dictionary of values that lives in a
// signed cookie in the browser, not on the server.
//
// It is the session layer of the Go edition of the LCHS lesson "Try It! Flask
// Sessions". Each Flask feature has a Go counterpart:
//
//	Flask                                Go
//	app.secret_key = '...'               sessions, err := session.New(session.Config{SecretKey: "..."})
//	(Flask opens and saves by itself)    server.Handler = sessions.Middleware(mux)
//	session (inside a view)              session := session.From(r)
//	session['groceries'] = []            session["groceries"] = []string{}
//	session['groceries']                 session["groceries"].([]string)
//	{{ session['groceries'] }}           {{.session.groceries}} with session.TemplateData
//
// Underneath, the session is encoded with encoding/gob, signed with HMAC-SHA256
// by github.com/gorilla/securecookie and sent back in a cookie named "session"
// whenever its content changed. Anyone holding the cookie can read it (it is
// signed, not encrypted); only the secret key can produce a cookie the server
// accepts.
package session

import (
	"bytes"
	"context"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/gob"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

// Session is one browser's session data, the Go form of Flask's session
// object. Use it as a map: session["key"] = value stores a value,
// session["key"] reads one, delete(session, "key") removes one.
//
// Values may be of any type encoding/gob can encode. Strings, numbers, bools,
// slices and maps of those work as they are; a type of your own must be
// registered once with gob.Register, and the error from CheckSize (or the
// server log) says which call to add.
//
// Unlike Flask, changing a value in place (session["groceries"] = append(...),
// or sorting the stored slice) is saved too: the session layer compares the
// content at the end of the request with what the cookie held, so there is no
// session.modified = True to remember.
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

// CheckSize reports whether the session, as it is now, can still be saved:
// nil when it fits in a cookie, a *TooLargeError naming its size and the limit
// when it does not, or an *EncodeError when a value cannot be encoded.
//
// Flask has no such check: its oversized cookie is sent anyway, the browser
// drops it without a word, and the change is lost. Call CheckSize after a
// change that can grow the session, and undo the change if it fails.
func (s Session) CheckSize() error {
	payload, err := encodePayload(s)
	if err != nil {
		return err
	}
	if size := cookieValueSize(len(payload)); size > MaxValueSize {
		return &TooLargeError{Size: size, Limit: MaxValueSize}
	}
	return nil
}

// MaxValueSize is the largest cookie value, in bytes, the session layer sends.
// Browsers keep a cookie only when its name and value together take at most
// 4096 bytes; 4000 for the value leaves room for any cookie name New accepts.
// Flask has no limit of its own: Werkzeug warns past 4093 bytes and sends the
// cookie anyway, which the browser then drops.
const MaxValueSize = 4000

// maxCookieNameLen keeps the name within the 96 bytes MaxValueSize leaves.
const maxCookieNameLen = 4096 - MaxValueSize

// TooLargeError says that a session no longer fits in a cookie. It is what
// CheckSize returns; the middleware answers 500 instead of saving such a
// session, so the browser keeps the cookie it had. Flask only raises a
// warning (Werkzeug's max_cookie_size) and sends the cookie, which the
// browser drops.
type TooLargeError struct {
	Size  int // bytes the cookie value would take
	Limit int // MaxValueSize
}

// Error says how large the session is and what a browser keeps.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("session: the session needs a %d-byte cookie, more than the %d bytes a browser keeps; "+
		"remove something from it before storing more", e.Size, e.Limit)
}

// EncodeError says that the value stored under Key cannot be encoded with
// encoding/gob, so the session cannot be saved: where Flask's tagged JSON
// raises a TypeError for a value it cannot serialize. Its message names the
// Go type and, when gob only needs to be told about the type, the
// gob.Register call that fixes it.
type EncodeError struct {
	Key  string // the session key holding the value
	Type string // the value's Go type, as %T prints it
	Err  error  // what encoding/gob said

	register string // the gob.Register call that would help, if any
}

func newEncodeError(key string, v any, err error) *EncodeError {
	e := &EncodeError{Key: key, Type: fmt.Sprintf("%T", v), Err: err}
	t := reflect.TypeOf(v)
	if t != nil && strings.Contains(err.Error(), "not registered") && encodable(t) {
		e.register = registerCall(t)
	}
	return e
}

// Error names the key, the type and, where it helps, the gob.Register call.
func (e *EncodeError) Error() string {
	if e.register != "" {
		return fmt.Sprintf("session: cannot save session[%q]: encoding/gob does not know the type %s yet. "+
			"Register it once before the server starts, for example in an init function: %s",
			e.Key, e.Type, e.register)
	}
	return fmt.Sprintf("session: cannot save session[%q] of type %s: %v. "+
		"Store plain data instead: strings, numbers, bools, and slices, maps or structs (exported fields) of those",
		e.Key, e.Type, e.Err)
}

// encodable reports whether gob can encode some value of type t once it is
// registered: never channels and functions, nor what holds them.
func encodable(t reflect.Type) bool {
	switch t.Kind() {
	case reflect.Chan, reflect.Func, reflect.UnsafePointer:
		return false
	case reflect.Pointer, reflect.Slice, reflect.Array:
		return encodable(t.Elem())
	case reflect.Map:
		return encodable(t.Key()) && encodable(t.Elem())
	}
	return true
}

// registerCall spells the gob.Register call that teaches gob the type t.
func registerCall(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Pointer:
		return "gob.Register(&" + t.Elem().String() + "{})"
	case reflect.Struct, reflect.Map, reflect.Slice, reflect.Array:
		return "gob.Register(" + t.String() + "{})"
	}
	return fmt.Sprintf("gob.Register(%s(%#v))", t, reflect.Zero(t).Interface())
}

// Unwrap returns encoding/gob's own error.
func (e *EncodeError) Unwrap() error { return e.Err }

// ErrNoSecretKey is what New returns when Config.SecretKey is empty: the
// error Flask raises, in its words, when a view stores something in a session
// without app.secret_key.
var ErrNoSecretKey = errors.New("session: the session is unavailable because no secret key was set. " +
	"Set Config.SecretKey to a long, random string and keep it out of your code " +
	"(this app reads it from the SECRET_KEY environment variable)")

// Config holds the settings Flask keeps in app.config. A zero field takes
// Flask's default, listed with each field; only SecretKey must be set.
type Config struct {
	// SecretKey signs every cookie (Flask's SECRET_KEY). Anyone who knows it
	// can forge a session, so keep it secret; changing it logs everyone out
	// unless the old key moves to SecretKeyFallbacks.
	SecretKey string

	// SecretKeyFallbacks are older keys whose cookies are still accepted
	// (Flask 3.1's SECRET_KEY_FALLBACKS). New cookies are signed with
	// SecretKey only, so old ones are replaced as the session changes.
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

	// CookieSameSite is the SameSite attribute (SESSION_COOKIE_SAMESITE):
	// Lax, where Flask sets none. Lax keeps the cookie off cross-site form
	// posts, one of the defences against cross-site request forgery.
	CookieSameSite http.SameSite

	// PermanentLifetime is how long a permanent session lasts after the last
	// response that sent its cookie, and how old a signature may be before
	// any session cookie is refused (PERMANENT_SESSION_LIFETIME): 31 days.
	PermanentLifetime time.Duration

	// DisableRefreshEachRequest stops permanent sessions from being sent on
	// every request to push their expiry forward; they are then sent only
	// when they change (SESSION_REFRESH_EACH_REQUEST = False).
	DisableRefreshEachRequest bool

	// Logger receives one line for each cookie that is refused and for each
	// session that cannot be saved: slog.Default() when nil.
	Logger *slog.Logger
}

// withDefaults fills the zero fields of c with Flask's defaults: the one place
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
// Manager serves any number of concurrent requests.
type Manager struct {
	config Config
	codecs []securecookie.Codec // codecs[0] signs; all of them verify
}

// New checks cfg and returns the Manager for it. It fails with ErrNoSecretKey
// when cfg.SecretKey is empty, where Flask fails later, on the first request
// that stores something.
func New(cfg Config) (*Manager, error) {
	cfg = cfg.withDefaults()
	if cfg.SecretKey == "" {
		return nil, ErrNoSecretKey
	}
	if len(cfg.CookieName) > maxCookieNameLen {
		return nil, fmt.Errorf("session: the cookie name %q is longer than %d bytes", cfg.CookieName, maxCookieNameLen)
	}
	probe := http.Cookie{Name: cfg.CookieName, Value: "x", Path: cfg.CookiePath, Domain: cfg.CookieDomain}
	if err := probe.Valid(); err != nil {
		return nil, fmt.Errorf("session: check Config.CookieName, CookiePath and CookieDomain: %w", err)
	}
	if cfg.PermanentLifetime < time.Second {
		return nil, fmt.Errorf("session: Config.PermanentLifetime is %v; it must be at least one second", cfg.PermanentLifetime)
	}
	m := &Manager{config: cfg}
	for _, secret := range append([]string{cfg.SecretKey}, cfg.SecretKeyFallbacks...) {
		m.codecs = append(m.codecs, newCodec(secret, cfg.PermanentLifetime))
	}
	return m, nil
}

// newCodec returns the securecookie codec for one secret. The secret is a
// string a person chose, so an HMAC key is derived from it (as Flask's
// itsdangerous does) rather than used as it is; the label keeps this key apart
// from any other use the application makes of the same secret.
func newCodec(secret string, maxAge time.Duration) *securecookie.SecureCookie {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "session cookie signing key", 32)
	if err != nil {
		panic(err) // only for a key length SHA-256 cannot give
	}
	c := securecookie.New(key, nil) // no block key: signed, not encrypted, like Flask
	c.SetSerializer(securecookie.NopEncoder{})
	c.MaxAge(int(maxAge / time.Second))
	c.MaxLength(4096)
	return c
}

// stateKey is the context key under which Middleware leaves a request's state.
type stateKey struct{}

// requestState is one request's session: loaded on first use, saved after the
// handler returns.
type requestState struct {
	manager *Manager
	request *http.Request
	loaded  bool
	session Session

	// What the cookie held, kept to tell at the end whether the handler
	// changed anything: hadCookie says whether a valid cookie came at all,
	// before lists its keys with values the handler cannot reach.
	hadCookie bool
	before    []storedValue
}

// storedValue is one key of a session as its cookie held it.
type storedValue struct {
	key    string
	kind   byte   // as in the payload
	copy   any    // kind > 0 (a common type): a copy of the value, typeCoder.clone
	stream []byte // kind 0 (any other type): the value's gob stream, to encode and compare
}

// errNoMiddleware is the panic of From outside Middleware.
const errNoMiddleware = "session: working outside of a session: this request did not pass through " +
	"(*session.Manager).Middleware (Flask would say \"Working outside of request context\"). " +
	"Wrap the handler that serves it, for example: server.Handler = sessions.Middleware(mux)"

// From returns the session of r, the Go form of Flask's session object inside a
// view. The first call of a request reads the cookie; later calls return the
// same map. Calling it marks the response as depending on the cookie
// (Vary: Cookie).
//
// From panics when r did not pass through Middleware, since nothing would
// save what the handler stores.
func From(r *http.Request) Session {
	st, ok := r.Context().Value(stateKey{}).(*requestState)
	if !ok {
		panic(errNoMiddleware)
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
	var payload []byte
	if err := securecookie.DecodeMulti(m.config.CookieName, c.Value, &payload, m.codecs...); err != nil {
		m.config.Logger.Warn("session: ignoring the session cookie, starting an empty session",
			"reason", refusal(err), "remote", st.request.RemoteAddr)
		return
	}
	s, before, err := decodePayload(payload)
	if err != nil {
		m.config.Logger.Warn("session: ignoring the session cookie, starting an empty session",
			"reason", "its signature is valid but its data cannot be decoded: "+err.Error(),
			"remote", st.request.RemoteAddr)
		return
	}
	st.session, st.before, st.hadCookie = s, before, true
}

// Peek decodes a session cookie's value without checking its signature, as
// anyone holding the cookie can: a session is signed, not encrypted. It
// returns the session and the time the cookie was signed. It is for looking
// inside a cookie, say your own from the browser's developer tools; never
// trust what it returns, since only the signature, which Middleware checks,
// proves that the server wrote it. Flask's cookies can be read the same way:
// their first part is base64-encoded JSON.
func Peek(cookieValue string) (Session, time.Time, error) {
	raw, err := base64.URLEncoding.DecodeString(cookieValue)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("session: not a session cookie value (%v); copy the whole value, without the name", err)
	}
	// securecookie signs "timestamp|base64(payload)|mac".
	parts := bytes.SplitN(raw, []byte("|"), 3)
	if len(parts) != 3 {
		return nil, time.Time{}, errors.New("session: not a session cookie value: it lacks the timestamp|data|signature parts")
	}
	stamp, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil {
		return nil, time.Time{}, errors.New("session: not a session cookie value: bad timestamp")
	}
	payload, err := base64.URLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("session: not a session cookie value: bad data (%v)", err)
	}
	s, _, err := decodePayload(payload)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("session: the cookie's data cannot be decoded: %w", err)
	}
	return s, time.Unix(stamp, 0), nil
}

// refusal says in a few words why securecookie refused a cookie; the message
// never contains the cookie's value.
func refusal(err error) string {
	var multi securecookie.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		err = multi[0] // the current key's verdict
	}
	msg := strings.TrimPrefix(err.Error(), "securecookie: ")
	switch {
	case strings.Contains(msg, "not valid"):
		return "the signature does not match the secret key (tampered with, or signed with another key)"
	case strings.Contains(msg, "expired"):
		return "the signature is older than PermanentLifetime"
	case strings.Contains(msg, "too long"):
		return "the cookie is longer than any the server sends"
	}
	return "the cookie is malformed: " + msg
}

// Middleware loads the session before next runs and saves it after, so no
// handler ever calls a save method. It is the Go form of what Flask does
// around every view: open_session, the view, save_session.
//
// To save changes made at any point in the handler, even after it wrote part
// of the body, the response is held in memory until the handler returns; then
// the Set-Cookie header goes out, before the body as HTTP requires. Status
// codes and headers the handler set pass through unchanged. Flushing early is
// therefore not available to handlers behind Middleware.
func (m *Manager) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		st := &requestState{manager: m, request: r}
		buf := getBuffer(w)
		defer putBuffer(buf)
		next.ServeHTTP(buf, r.WithContext(context.WithValue(r.Context(), stateKey{}, st)))
		m.save(st, buf)
		buf.send()
	})
}

// save decides what the response says about the cookie, Flask's save_session:
// nothing when the session was not used; otherwise Vary: Cookie, and a
// Set-Cookie when the content changed, when a permanent session is refreshed,
// or to delete the cookie of a session the handler emptied.
func (m *Manager) save(st *requestState, buf *responseBuffer) {
	cfg := &m.config
	refresh := !cfg.DisableRefreshEachRequest
	if !st.loaded {
		// The handler never looked at the session. Only a permanent session
		// still needs its expiry pushed forward, which needs its content.
		if !refresh || !hasCookie(st.request, cfg.CookieName) {
			return
		}
		if st.load(); !st.session.Permanent() {
			return
		}
	}
	addVaryCookie(buf.Header())
	s := st.session
	if len(s) == 0 {
		if st.hadCookie {
			http.SetCookie(buf, m.cookie(st.request, "", -1))
		}
		return // an empty session never creates a cookie
	}
	if !(refresh && s.Permanent()) && st.unchanged() {
		return
	}
	payload, err := encodePayload(s)
	if err != nil {
		cfg.Logger.Error("session: not saved", "error", err.Error())
		buf.fail(err.Error() + ".")
		return
	}
	if size := cookieValueSize(len(payload)); size > MaxValueSize {
		cfg.Logger.Error("session: not saved, it is too large for a cookie",
			"bytes", size, "limit", MaxValueSize, "largest_keys", largestKeys(s))
		buf.fail(fmt.Sprintf("The session has grown to %d bytes, more than the %d bytes a browser keeps in a cookie, "+
			"so this change was not saved; your browser still has its previous session. "+
			"(For the developer: check session.CheckSize() before storing more.)", size, MaxValueSize))
		return
	}
	value, err := m.codecs[0].Encode(cfg.CookieName, payload)
	if err != nil { // cannot happen for a payload of this size; say so if it does
		cfg.Logger.Error("session: not saved", "error", err.Error())
		buf.fail("The session could not be signed: " + err.Error())
		return
	}
	maxAge := 0
	if s.Permanent() {
		maxAge = int(cfg.PermanentLifetime / time.Second)
	}
	http.SetCookie(buf, m.cookie(st.request, value, maxAge))
}

// cookie builds the session cookie. maxAge > 0 makes it last that many
// seconds, 0 makes it a browser-session cookie, < 0 deletes it.
func (m *Manager) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	cfg := &m.config
	c := &http.Cookie{
		Name:     cfg.CookieName,
		Value:    value,
		Path:     cfg.CookiePath,
		Domain:   cfg.CookieDomain,
		MaxAge:   maxAge,
		Secure:   cfg.CookieSecure || r.TLS != nil,
		HttpOnly: true, // page scripts cannot read the session
		SameSite: cfg.CookieSameSite,
	}
	switch {
	case maxAge > 0:
		c.Expires = time.Now().Add(time.Duration(maxAge) * time.Second).UTC()
	case maxAge < 0:
		c.Expires = time.Unix(0, 0).UTC()
	}
	return c
}

// unchanged reports whether the session still holds what its cookie held.
// This is how a change made in place (sorting the stored list, say) is seen,
// where Flask notices only assignments. A value of a common type is compared
// with the copy taken when the cookie was read, which costs far less than
// encoding it again. Any other value is encoded again and its gob stream
// compared; where the streams differ, the old value is decoded and compared
// with reflect.DeepEqual, because gob writes a map's entries in a random order
// and an earlier run of the server may have numbered gob's types differently.
func (st *requestState) unchanged() bool {
	if !st.hadCookie || len(st.session) != len(st.before) {
		return false
	}
	for _, was := range st.before {
		now, ok := st.session[was.key]
		if !ok || !was.matches(now) {
			return false
		}
	}
	return true
}

func (was storedValue) matches(now any) bool {
	if was.kind != 0 {
		return commonTypes[was.kind-1].equal(was.copy, now)
	}
	if stream, err := gobInterface(now); err == nil && bytes.Equal(stream, was.stream) {
		return true
	}
	old, err := decodeInterface(was.stream)
	return err == nil && reflect.DeepEqual(old, now)
}

func hasCookie(r *http.Request, name string) bool {
	c, err := r.Cookie(name)
	return err == nil && c.Value != ""
}

// addVaryCookie adds Cookie to the response's Vary header once, keeping what
// the handler put there: a cache must not give one browser's page to another.
func addVaryCookie(h http.Header) {
	for _, v := range h.Values("Vary") {
		for tok := range strings.SplitSeq(v, ",") {
			if t := strings.TrimSpace(tok); t == "*" || strings.EqualFold(t, "Cookie") {
				return
			}
		}
	}
	if vs := h["Vary"]; len(vs) > 0 {
		vs[len(vs)-1] += ", Cookie"
		return
	}
	h["Vary"] = []string{"Cookie"}
}

// largestKeys names the three keys whose values take the most room, for the
// log line of a session too large to save.
func largestKeys(s Session) string {
	type keySize struct {
		key  string
		size int
	}
	var entries []keySize
	for k, v := range s {
		p, _ := encodePayload(Session{k: v})
		entries = append(entries, keySize{k, cookieValueSize(len(p))})
	}
	slices.SortFunc(entries, func(a, b keySize) int { return b.size - a.size })
	var parts []string
	for _, e := range entries[:min(3, len(entries))] {
		parts = append(parts, fmt.Sprintf("%q (%d bytes)", e.key, e.size))
	}
	return strings.Join(parts, ", ")
}

// cookieValueSize is the length of the cookie value securecookie makes of a
// payload of n bytes: base64("timestamp|base64(payload)|mac"), with a 32-byte
// HMAC-SHA256 mac.
func cookieValueSize(n int) int {
	stamp := len(strconv.FormatInt(time.Now().Unix(), 10))
	return base64.URLEncoding.EncodedLen(stamp + 1 + base64.URLEncoding.EncodedLen(n) + 1 + sha256.Size)
}

// The payload: what the cookie carries, before securecookie signs it.
//
//	version byte (1)
//	then, for each key in sorted order:
//	    key      uvarint length, bytes
//	    kind     1 byte: 0 for any type, i for common type i (commonTypes[i-1])
//	    value    uvarint length, a complete encoding/gob stream
//
// Sorted keys make the same session give the same bytes. Each value is a gob
// stream of its own.
// Values of the common types (the lesson's []string among them) are written
// as that type, which lets the decoding reuse a gob.Decoder that already read
// the type's description: a fresh gob.Decoder spends about 20µs studying a
// type, several times everything else a request costs. Other values are
// written as interface values, which carry their type's registered name.
const payloadVersion = 1

// commonTypes are the value types with a fast path. Their order is part of
// the payload format: append only.
var commonTypes = []*typeCoder{
	immutable[string](),
	sliceOf[string](),
	immutable[int](),
	immutable[bool](),
	immutable[float64](),
	sliceOf[int](),
	immutable[int64](),
	sliceOf[byte](),
	mapOf[string](),
	mapOf[int](),
	immutable[time.Time](),
}

// kindOf is the payload's kind byte for each common type.
var kindOf = func() map[reflect.Type]byte {
	k := make(map[reflect.Type]byte, len(commonTypes))
	for i, c := range commonTypes {
		k[c.typ] = byte(i + 1)
	}
	return k
}()

// immutable describes a common type whose values cannot be changed in
// place, so the value itself serves as the copy kept to compare with.
func immutable[T comparable]() *typeCoder {
	return &typeCoder{
		typ:   reflect.TypeFor[T](),
		clone: func(v any) any { return v },
		equal: func(a, b any) bool { x, ok := b.(T); return ok && a.(T) == x },
	}
}

// sliceOf describes a slice type: a handler can change its elements in place,
// so the copy kept to compare with is a clone.
func sliceOf[E comparable]() *typeCoder {
	return &typeCoder{
		typ:   reflect.TypeFor[[]E](),
		clone: func(v any) any { return slices.Clone(v.([]E)) },
		equal: func(a, b any) bool { x, ok := b.([]E); return ok && slices.Equal(a.([]E), x) },
	}
}

// mapOf describes a map type with string keys, cloned for the same reason.
func mapOf[V comparable]() *typeCoder {
	return &typeCoder{
		typ:   reflect.TypeFor[map[string]V](),
		clone: func(v any) any { return maps.Clone(v.(map[string]V)) },
		equal: func(a, b any) bool { x, ok := b.(map[string]V); return ok && maps.Equal(a.(map[string]V), x) },
	}
}

func init() {
	// Nested dictionaries and lists, as Flask's session stores them.
	gob.Register(map[string]any{})
	gob.Register([]any{})
}

func encodePayload(s Session) ([]byte, error) {
	p := make([]byte, 1, 256)
	p[0] = payloadVersion
	for _, key := range slices.Sorted(maps.Keys(s)) {
		v := s[key]
		p = binary.AppendUvarint(p, uint64(len(key)))
		p = append(p, key...)
		var err error
		if kind, ok := kindOf[reflect.TypeOf(v)]; ok {
			p = append(p, kind)
			p, err = commonTypes[kind-1].encode(p, v)
		} else {
			p = append(p, 0)
			p, err = encodeInterface(p, v)
		}
		if err != nil {
			return nil, newEncodeError(key, v, err)
		}
	}
	return p, nil
}

// decodePayload rebuilds a session. It also returns each key as stored, with
// a copy of each value of a common type, for requestState.unchanged.
func decodePayload(p []byte) (s Session, before []storedValue, err error) {
	defer func() {
		// gob is built to refuse bad input with an error; this is the belt to
		// its braces, since a panic here would cost the learner the page.
		if r := recover(); r != nil {
			s, before, err = nil, nil, fmt.Errorf("gob panicked: %v", r)
		}
	}()
	if len(p) == 0 || p[0] != payloadVersion {
		return nil, nil, errors.New("unknown payload version")
	}
	s = Session{}
	for rest := p[1:]; len(rest) > 0; {
		var e entry
		if e, rest, err = nextEntry(rest); err != nil {
			return nil, nil, err
		}
		v, err := decodeValue(e.kind, e.stream)
		if err != nil {
			return nil, nil, fmt.Errorf("session[%q]: %w", e.key, err)
		}
		stored := storedValue{key: string(e.key), kind: e.kind}
		if e.kind != 0 {
			stored.copy = commonTypes[e.kind-1].clone(v)
		} else {
			stored.stream = e.stream
		}
		s[stored.key] = v
		before = append(before, stored)
	}
	return s, before, nil
}

// entry is one key of a payload, its value still encoded.
type entry struct {
	key    []byte
	kind   byte
	stream []byte
}

// nextEntry splits the first entry off the entries of a payload.
func nextEntry(p []byte) (e entry, rest []byte, err error) {
	if e.key, rest, err = readChunk(p); err != nil {
		return e, nil, err
	}
	if len(rest) == 0 {
		return e, nil, errors.New("truncated payload")
	}
	e.kind = rest[0]
	e.stream, rest, err = readChunk(rest[1:])
	return e, rest, err
}

func decodeValue(kind byte, stream []byte) (any, error) {
	switch {
	case kind == 0:
		return decodeInterface(stream)
	case int(kind) <= len(commonTypes):
		return commonTypes[kind-1].decode(stream)
	}
	return nil, fmt.Errorf("unknown value kind %d", kind)
}

// readChunk splits a uvarint-length-prefixed chunk off p.
func readChunk(p []byte) (chunk, rest []byte, err error) {
	n, w := binary.Uvarint(p)
	if w <= 0 || n > uint64(len(p)-w) {
		return nil, nil, errors.New("truncated payload")
	}
	end := w + int(n)
	return p[w:end], p[end:], nil
}

// encodeInterface appends v as a length-prefixed gob stream of an interface
// value, which names v's type so that decodeInterface can rebuild it.
func encodeInterface(p []byte, v any) ([]byte, error) {
	stream, err := gobInterface(v)
	if err != nil {
		return nil, err
	}
	p = binary.AppendUvarint(p, uint64(len(stream)))
	return append(p, stream...), nil
}

func gobInterface(v any) ([]byte, error) {
	var b bytes.Buffer
	err := gob.NewEncoder(&b).Encode(&v)
	return b.Bytes(), err
}

func decodeInterface(stream []byte) (any, error) {
	var v any
	r := bytes.NewReader(stream)
	if err := gob.NewDecoder(r).Decode(&v); err != nil {
		return nil, err
	}
	if r.Len() != 0 {
		return nil, errors.New("data after the gob value")
	}
	return v, nil
}

// typeCoder encodes and decodes the values of one common type, keeping
// gob encoders and decoders that have already exchanged the type's
// description so that each value costs only its own bytes. It also copies and
// compares the type's values, which lets the session layer see that a value
// is unchanged without encoding it again.
type typeCoder struct {
	typ      reflect.Type
	clone    func(v any) any     // a copy that changes to v cannot reach
	equal    func(a, b any) bool // a is of typ; b may be of any type
	encoders sync.Pool           // of *primedEncoder
	decoders sync.Pool           // of *primedDecoder
}

type primedEncoder struct {
	out  bytes.Buffer
	enc  *gob.Encoder
	defs []byte // the type descriptions enc sent with its first value
}

type primedDecoder struct {
	in   bytes.Reader
	dec  *gob.Decoder
	defs string // the type descriptions dec has read
}

// encode appends a complete gob stream of v: the type descriptions, then the
// value. A primed encoder writes only the value, so the descriptions it wrote
// the first time are kept and put in front.
func (c *typeCoder) encode(p []byte, v any) ([]byte, error) {
	e, _ := c.encoders.Get().(*primedEncoder)
	if e == nil {
		e = new(primedEncoder)
		e.enc = gob.NewEncoder(&e.out)
	}
	e.out.Reset()
	if err := e.enc.Encode(v); err != nil {
		return nil, err // e is dropped: its stream state is unknown
	}
	msg := e.out.Bytes()
	if e.defs == nil {
		defs, _, err := splitTypeDefs(msg)
		if err != nil {
			return nil, err
		}
		e.defs = bytes.Clone(defs)
		msg = msg[len(defs):]
	}
	p = binary.AppendUvarint(p, uint64(len(e.defs)+len(msg)))
	p = append(append(p, e.defs...), msg...)
	c.encoders.Put(e)
	return p, nil
}

// decode reads one value from a complete gob stream. A pooled decoder that
// has read the same type descriptions reads only the value; otherwise a new
// decoder reads the whole stream and is pooled for the next one.
func (c *typeCoder) decode(stream []byte) (any, error) {
	defs, msg, err := splitTypeDefs(stream)
	if err != nil {
		return nil, err
	}
	d, _ := c.decoders.Get().(*primedDecoder)
	if d == nil || d.defs != string(defs) {
		d = new(primedDecoder)
		d.dec = gob.NewDecoder(&d.in)
		d.defs = string(defs)
		msg = stream
	}
	d.in.Reset(msg)
	v := reflect.New(c.typ)
	if err := d.dec.DecodeValue(v); err != nil {
		return nil, err // d is dropped: its stream state is unknown
	}
	if d.in.Len() != 0 {
		return nil, errors.New("data after the gob value")
	}
	c.decoders.Put(d)
	return v.Elem().Interface(), nil
}

// splitTypeDefs splits a gob stream into its leading type descriptions and the
// rest. Each gob message is a length, then a type id: negative for a type
// description, positive for a value.
func splitTypeDefs(stream []byte) (defs, rest []byte, err error) {
	i := 0
	for i < len(stream) {
		n, w := gobUint(stream[i:])
		if w == 0 || n > uint64(len(stream)-i-w) {
			return nil, nil, errors.New("malformed gob stream")
		}
		id, _ := gobUint(stream[i+w : i+w+int(n)])
		if id&1 == 0 { // gob keeps an integer's sign in its lowest bit
			break
		}
		i += w + int(n)
	}
	return stream[:i], stream[i:], nil
}

// gobUint reads one unsigned integer in gob's encoding: a byte below 0x80 is
// the number; otherwise it is minus the count of big-endian bytes that follow.
// It returns the number and the bytes read, 0 when p is too short.
func gobUint(p []byte) (uint64, int) {
	if len(p) == 0 {
		return 0, 0
	}
	if p[0] < 0x80 {
		return uint64(p[0]), 1
	}
	n := -int(int8(p[0]))
	if n > 8 || n >= len(p) {
		return 0, 0
	}
	var x uint64
	for _, b := range p[1 : n+1] {
		x = x<<8 | uint64(b)
	}
	return x, n + 1
}

// responseBuffer holds a response until the session is saved.
type responseBuffer struct {
	w      http.ResponseWriter
	status int
	body   bytes.Buffer
}

var buffers = sync.Pool{New: func() any { return new(responseBuffer) }}

func getBuffer(w http.ResponseWriter) *responseBuffer {
	b := buffers.Get().(*responseBuffer)
	b.w = w
	return b
}

func putBuffer(b *responseBuffer) {
	if b.body.Cap() > 64<<10 {
		return // let an unusually large buffer go
	}
	b.w, b.status = nil, 0
	b.body.Reset()
	buffers.Put(b)
}

func (b *responseBuffer) Header() http.Header { return b.w.Header() }

func (b *responseBuffer) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		b.w.WriteHeader(code) // informational (103 Early Hints): sent at once, as net/http does
		return
	}
	if b.status == 0 {
		b.status = code
	}
}

func (b *responseBuffer) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// FlushError tells http.ResponseController why Flush does nothing here.
func (b *responseBuffer) FlushError() error {
	return errors.New("session: the response is held until the handler returns, so that its session cookie can be set; it cannot be flushed early")
}

// Unwrap lets http.ResponseController reach the connection for deadlines.
func (b *responseBuffer) Unwrap() http.ResponseWriter { return b.w }

// fail replaces the handler's response with a 500 that says why.
func (b *responseBuffer) fail(msg string) {
	h := b.w.Header()
	clear(h)
	h.Set("Content-Type", "text/plain; charset=utf-8")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-store")
	b.status = http.StatusInternalServerError
	b.body.Reset()
	b.body.WriteString("500 Internal Server Error\n\n" + msg + "\n")
}

// send writes the held response.
func (b *responseBuffer) send() {
	if b.status == 0 {
		return // nothing written: net/http sends its empty 200
	}
	h := b.w.Header()
	if b.body.Len() > 0 && h.Get("Content-Length") == "" && h.Get("Transfer-Encoding") == "" {
		h.Set("Content-Length", strconv.Itoa(b.body.Len()))
	}
	b.w.WriteHeader(b.status)
	b.w.Write(b.body.Bytes()) // an error here means the client went away
}
