package sessions

import (
	"bytes"
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"time"
)

// Peek decodes a session cookie's value without checking its signature, as
// anyone holding the cookie can: a session is signed, not encrypted. It
// returns the session and the time the cookie was signed. It is for looking
// inside a cookie, say your own from the browser's developer tools; never
// trust what it returns, since only the signature, which Middleware checks,
// proves that the server wrote it. Flask's cookies can be read the same way:
// their first part is base64-encoded JSON.
//
// Peek has the limits of the signed path, since the cookies it reads may
// come from anyone (the lesson's check and grader read students' cookies
// with it): a value longer than maxCookieValue is refused before it is
// decoded, and decode trusts no count in the data.
//
// It is the Go form of itsdangerous's loads_unsafe, which Flask's
// serializer offers for the same job. A learner reaches it through go test
// (TestPeekYourCookie), and the lesson's check reads each cookie with it.
func Peek(cookieValue string) (Session, time.Time, error) {
	if len(cookieValue) > maxCookieValue {
		return nil, time.Time{}, fmt.Errorf("sessions: not a session cookie value: it is %d bytes long, "+
			"longer than any session cookie (at most %d bytes)", len(cookieValue), maxCookieValue)
	}
	raw, err := base64.URLEncoding.DecodeString(cookieValue)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sessions: not a session cookie value (%v); copy the whole value, without the name", err)
	}
	parts := bytes.SplitN(raw, []byte("|"), 3) // timestamp|base64(data)|signature
	if len(parts) != 3 {
		return nil, time.Time{}, errors.New("sessions: not a session cookie value: it lacks the timestamp|data|signature parts")
	}
	stamp, err := strconv.ParseInt(string(parts[0]), 10, 64)
	if err != nil {
		return nil, time.Time{}, errors.New("sessions: not a session cookie value: bad timestamp")
	}
	data, err := base64.URLEncoding.DecodeString(string(parts[1]))
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sessions: not a session cookie value: bad data (%v)", err)
	}
	s, err := decode(data)
	if err != nil {
		return nil, time.Time{}, fmt.Errorf("sessions: the cookie's data cannot be decoded: %w", err)
	}
	return s, time.Unix(stamp, 0), nil
}

// maxCookieValue is the longest cookie value Peek reads: securecookie's
// limit for the signed path (its MaxLength, 4096 bytes by default), past
// which Middleware refuses a cookie before checking its signature. Every
// cookie the layer sends is shorter (MaxValueSize).
const maxCookieValue = 4096
