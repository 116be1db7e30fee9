package sessions

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

// maxClockSkew is how far ahead of this server's clock a signature may be
// dated. Flask refuses any date ahead (itsdangerous: "Signature age -N < 0"),
// since such a signature would outlive PermanentLifetime. Servers that share
// SECRET_KEY sign with their own clocks, and timestamps count whole seconds,
// so clocks even a few milliseconds apart can date a fresh cookie a second
// ahead of another server, and a clock corrected by NTP may step back a
// second or two. Five seconds covers that, and a cookie dated five seconds
// ahead outlives PermanentLifetime by five seconds at most.
const maxClockSkew = 5 * time.Second

// refusal says in a few words why securecookie refused a cookie; the message
// never contains the cookie's value.
func refusal(err error) string {
	var multi securecookie.MultiError
	if errors.As(err, &multi) && len(multi) > 0 {
		err = multi[0] // the current key's verdict, unless a fallback key knew the signature
		for _, e := range multi {
			if !errors.Is(e, securecookie.ErrMacInvalid) {
				err = e
				break
			}
		}
	}
	// securecookie exports only ErrMacInvalid; its other reasons are
	// unexported values, so their words are all there is to compare.
	msg := strings.TrimPrefix(err.Error(), "securecookie: ")
	switch {
	case errors.Is(err, securecookie.ErrMacInvalid):
		return "the signature does not match the secret key (tampered with, or signed with another key)"
	case strings.Contains(msg, "expired"):
		return "the signature is older than PermanentLifetime"
	case strings.Contains(msg, "too long"):
		return "the cookie is longer than any the server sends"
	case strings.Contains(msg, "too new"):
		return fmt.Sprintf("signed in the future: its timestamp is more than %v ahead of this server's clock "+
			"(the clocks of servers that share SECRET_KEY disagree, or this one went back)", maxClockSkew)
	}
	return "the cookie is malformed: " + msg
}

// refusalLog keeps a flood of bad cookies from filling the disk with log
// lines. The first refusal is logged as it comes; those of the minute after
// it are only counted; the first refusal after that minute logs their count,
// then its own line, and a new minute begins. A Manager serves many requests
// at once, so a mutex guards the count.
type refusalLog struct {
	mu       sync.Mutex
	logged   time.Time // when the last refusal was logged
	unlogged int       // refusals since then, not logged
}

// refuse logs, within refusalLog's limit, that the cookie of r was ignored
// and why; the request goes on with an empty session.
func (m *Manager) refuse(r *http.Request, reason string) {
	l := &m.refusals
	l.mu.Lock()
	defer l.mu.Unlock()
	now := time.Now()
	if now.Sub(l.logged) < time.Minute {
		l.unlogged++
		return
	}
	if l.unlogged > 0 {
		m.config.Logger.Warn("sessions: more session cookies were ignored; only the first of each minute is logged",
			"count", l.unlogged, "since", l.logged)
	}
	m.config.Logger.Warn("sessions: ignoring the session cookie, starting an empty session",
		"reason", reason, "remote", r.RemoteAddr)
	l.logged, l.unlogged = now, 0
}
