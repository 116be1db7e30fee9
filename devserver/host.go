package devserver

import (
	"fmt"
	"net"
	"net/http"
	"net/url"
	"os"
	"slices"
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
//
// In a codespace or a Gitpod workspace, the browser reaches the server
// through the platform's forwarded address, and the request names it as its
// Host. That one name is allowed too, and so are the names a teacher lists
// in DEBUG_ALLOWED_HOSTS (see hostAllowed).
func onlyThisComputer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if hostAllowed(r.Host, browserPort(r)) {
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

// allowedHostsEnv is the environment variable where a teacher lists more
// names that debug mode answers, separated by commas, such as
// DEBUG_ALLOWED_HOSTS=lab-07.school.example. Each is a whole name, without a
// port; there are no patterns. Django's ALLOWED_HOSTS and Vite's
// allowedHosts do the same.
const allowedHostsEnv = "DEBUG_ALLOWED_HOSTS"

// browserPortEnv is set by the front to the port it listens on: the port
// the browser reaches. Its children inherit it. A child listens on a port of
// its own, but the forwarded name it must allow names the front's port.
const browserPortEnv = "DEVSERVER_BROWSER_PORT"

// hostAllowed tells whether debug mode answers a request whose Host is
// host, when the browser reaches the server at port: this computer's names,
// the name under which a codespace or Gitpod forwards port, and the names
// listed in DEBUG_ALLOWED_HOSTS. X-Forwarded-Host counts for nothing: a web
// site's own page can send it.
func hostAllowed(host, port string) bool {
	if isThisComputer(host) {
		return true
	}
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	if host == "" {
		return false
	}
	names := strings.FieldsFunc(os.Getenv(allowedHostsEnv), func(c rune) bool { return c == ',' || c == ' ' })
	if forwarded := forwardedHost(port); forwarded != "" {
		names = append(names, forwarded)
	}
	return slices.ContainsFunc(names, func(name string) bool { return strings.EqualFold(name, host) })
}

// forwardedHost is the name under which a cloud editor forwards port to this
// computer, from what the platform says about itself, or "" elsewhere. A
// codespace names port 5000 NAME-5000.DOMAIN, from CODESPACE_NAME and
// GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN (app.github.dev); Gitpod puts
// 5000- before the name of GITPOD_WORKSPACE_URL.
func forwardedHost(port string) string {
	if port == "" {
		return ""
	}
	name, domain := os.Getenv("CODESPACE_NAME"), os.Getenv("GITHUB_CODESPACES_PORT_FORWARDING_DOMAIN")
	if name != "" && domain != "" {
		return name + "-" + port + "." + domain
	}
	if workspace, err := url.Parse(os.Getenv("GITPOD_WORKSPACE_URL")); err == nil && workspace.Host != "" {
		return port + "-" + workspace.Host
	}
	return ""
}

// forwardedURL is the address of port that the learner opens in a cloud
// editor's browser, for the banner, or "" elsewhere. Both platforms serve it
// over https.
func forwardedURL(port string) string {
	if host := forwardedHost(port); host != "" {
		return "https://" + host
	}
	return ""
}

// browserPort is the port the browser reached for r: the front's, which it
// tells its children in browserPortEnv, or else the port r came in on.
func browserPort(r *http.Request) string {
	if port := os.Getenv(browserPortEnv); port != "" {
		return port
	}
	if addr, ok := r.Context().Value(http.LocalAddrContextKey).(net.Addr); ok {
		_, port, _ := net.SplitHostPort(addr.String())
		return port
	}
	return ""
}
