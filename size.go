package sessions

import (
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"
)

// MaxValueSize is the largest cookie value, in bytes, the session layer sends.
// Browsers keep a cookie only when its name and value together take at most
// 4096 bytes; 4000 for the value leaves room for any cookie name New accepts.
// Flask has no limit of its own: Werkzeug warns past 4093 bytes and sends the
// cookie anyway, which the browser then drops.
const MaxValueSize = 4000

// encodeToFit encodes s, if its cookie will fit in a browser.
func encodeToFit(s Session) ([]byte, error) {
	data, err := encode(s)
	if err != nil {
		return nil, err
	}
	if size := cookieValueSize(len(data)); size > MaxValueSize {
		return nil, &TooLargeError{Size: size, Limit: MaxValueSize}
	}
	return data, nil
}

// cookieValueSize is the length of the cookie value securecookie makes of n
// bytes of data: base64("timestamp|base64(data)|signature"), where the
// signature is an HMAC-SHA256 of 32 bytes.
func cookieValueSize(n int) int {
	stamp := len(strconv.FormatInt(time.Now().Unix(), 10))
	return base64.URLEncoding.EncodedLen(stamp + 1 + base64.URLEncoding.EncodedLen(n) + 1 + sha256.Size)
}

// CheckSize reports whether the session, as it is now, can still be saved:
// nil when it fits in a cookie, a *TooLargeError when it does not, or an
// *EncodeError when a value cannot be encoded.
//
// Flask has no such check: its oversized cookie is sent anyway, the browser
// drops it without a word, and the change is lost. Call CheckSize after a
// change that can grow the session, and undo the change if it fails.
func (s Session) CheckSize() error {
	_, err := encodeToFit(s)
	return err
}

// TooLargeError says that a session no longer fits in a cookie. CheckSize
// returns it; the middleware answers 409 Conflict instead of saving such a
// session, so the browser keeps the cookie it had. Flask only warns
// (Werkzeug's max_cookie_size) and sends the cookie, which the browser drops.
type TooLargeError struct {
	Size  int // bytes the cookie value would take
	Limit int // MaxValueSize
}

// Error says how large the session is and what a browser keeps.
func (e *TooLargeError) Error() string {
	return fmt.Sprintf("sessions: the session needs a %d-byte cookie, more than the %d bytes a browser keeps; "+
		"remove something from it, and call CheckSize before storing more", e.Size, e.Limit)
}

// largestKeys names the three keys whose values take the most room, for the
// log line of a session too large to save.
func largestKeys(s Session) string {
	var parts []string
	for _, key := range largestFirst(s)[:min(3, len(s))] {
		parts = append(parts, fmt.Sprintf("%q (%d bytes)", key, cookieValueSize(encodedSize(s, key))))
	}
	return strings.Join(parts, ", ")
}

// MakeRoom removes values from the session, the largest first, until it fits
// in a cookie, and returns the keys it removed; the keys in keep stay. It is
// for an app that chooses what may go: the session layer never calls it, and
// never removes a value the handler did not remove (see notSaved, in
// response.go). Flask has nothing like it: there, the browser drops the
// oversized cookie and every value with it.
func (s Session) MakeRoom(keep ...string) (removed []string) {
	if s.CheckSize() == nil {
		return nil // the usual case, found without sorting
	}
	for _, key := range largestFirst(s) {
		if s.CheckSize() == nil {
			break
		}
		if !slices.Contains(keep, key) {
			delete(s, key)
			removed = append(removed, key)
		}
	}
	return removed
}

// largestFirst returns the session's keys, those whose values take the most
// room first.
func largestFirst(s Session) []string {
	keys := slices.Sorted(maps.Keys(s))
	slices.SortStableFunc(keys, func(a, b string) int { return encodedSize(s, b) - encodedSize(s, a) })
	return keys
}

// encodedSize is how many bytes of the cookie's data the value under key takes.
func encodedSize(s Session, key string) int {
	data, _ := encode(Session{key: s[key]})
	return len(data)
}
