package devserver

import (
	"fmt"
	"net"
	"net/http"
	"strings"
)

// onlyThisComputer answers, in debug mode, only requests that name this
// computer as their host: localhost, or a loopback address such as
// 127.0.0.1 or [::1], with any port. Any other name gets 400 and a page that
// says why.
//
// Debug mode listens only on this computer, but that is not enough: a web
// site can point its own name at 127.0.0.1 ("DNS rebinding"), and the
// browser then lets that site's pages read this server's pages as their
// own, the debug pages with the program's code among them, and send it
// forms. Such a request still names the site as its Host, which is what this
// checks. Werkzeug's debugger checks the Host for the same reason, and so do
// Django (ALLOWED_HOSTS) and Vite in development.
func onlyThisComputer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if isThisComputer(r.Host) {
			next.ServeHTTP(w, r)
			return
		}
		here := "127.0.0.1:5000"
		if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
			here = addr.String()
		}
		textPage(http.StatusBadRequest, "Debug mode answers only this computer", fmt.Sprintf("This request asked for the site %q. "+
			"In debug mode, the server answers only this computer's browser, at http://%s. "+
			"Its pages show your code, so other sites must not reach them. Open http://%s instead.", r.Host, here, here)).serve(w, r)
	})
}

// isThisComputer tells whether host (a request's Host, with or without a
// port) names this computer.
func isThisComputer(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	return ip != nil && ip.IsLoopback()
}
