package sessions

import (
	"bytes"
	"errors"
	"maps"
	"net/http"
	"strconv"
	"strings"
)

// heldResponse holds a handler's response until the session is saved.
type heldResponse struct {
	w      http.ResponseWriter
	outer  http.Header // the headers set before Middleware, which resetHeaders keeps
	status int
	body   bytes.Buffer
}

func (h *heldResponse) Header() http.Header { return h.w.Header() }

func (h *heldResponse) WriteHeader(code int) {
	if code >= 100 && code < 200 && code != http.StatusSwitchingProtocols {
		h.w.WriteHeader(code) // informational (103 Early Hints): sent at once, as net/http does
		return
	}
	if h.status == 0 {
		h.status = code
	}
}

func (h *heldResponse) Write(p []byte) (int, error) {
	if h.status == 0 {
		h.status = http.StatusOK
	}
	if h.status == http.StatusNoContent || h.status == http.StatusNotModified {
		return 0, http.ErrBodyNotAllowed // as net/http answers
	}
	return h.body.Write(p)
}

// FlushError tells http.ResponseController why Flush does nothing here.
func (h *heldResponse) FlushError() error {
	return errors.New("sessions: the response is held until the handler returns, so that its session cookie can be set; it cannot be flushed early")
}

// Unwrap lets http.ResponseController reach the connection for deadlines.
func (h *heldResponse) Unwrap() http.ResponseWriter { return h.w }

// resetHeaders takes back the headers the handler set, which described its
// own page, and keeps those set before Middleware.
func (h *heldResponse) resetHeaders() {
	header := h.w.Header()
	clear(header)
	maps.Copy(header, h.outer)
}

// fail replaces the handler's response with a 500 that says why.
func (h *heldResponse) fail(msg string) {
	h.resetHeaders()
	header := h.w.Header()
	header.Set("Content-Type", "text/plain; charset=utf-8")
	header.Set("X-Content-Type-Options", "nosniff")
	h.status = http.StatusInternalServerError
	h.body.Reset()
	h.body.WriteString("500 Internal Server Error\n\n" + msg + "\n")
}

// send writes the held response.
func (h *heldResponse) send() {
	if h.status == 0 {
		return // nothing written: net/http sends its empty 200
	}
	if h.body.Len() > 0 && h.Header().Get("Content-Length") == "" {
		h.Header().Set("Content-Length", strconv.Itoa(h.body.Len()))
	}
	h.w.WriteHeader(h.status)
	h.w.Write(h.body.Bytes()) // an error here means the client went away
}

// addVaryCookie adds Cookie to the response's Vary header once, keeping what
// the handler put there.
func addVaryCookie(h http.Header) {
	for _, v := range h.Values("Vary") {
		for token := range strings.SplitSeq(v, ",") {
			if t := strings.TrimSpace(token); t == "*" || strings.EqualFold(t, "Cookie") {
				return
			}
		}
	}
	h.Add("Vary", "Cookie")
}
