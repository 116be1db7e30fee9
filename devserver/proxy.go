package devserver

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httputil"
	"net/url"
	"slices"
	"time"
)

// The front passes each request on to the program as the program would have
// received it without a front: the same Host, query and headers, so that
// what it decides, cross-origin protection above all, is what it decides in
// production. Werkzeug's reloader has no such layer, since its new process
// takes the socket itself.

// newProxy returns the reverse proxy that passes requests on to the program
// listening at addr, and calls failed for a request it did not answer.
func newProxy(addr string, failed func(http.ResponseWriter, *http.Request, error)) *httputil.ReverseProxy {
	target := &url.URL{Scheme: "http", Host: addr}
	return &httputil.ReverseProxy{
		Rewrite: func(pr *httputil.ProxyRequest) {
			pr.SetURL(target)
			pr.Out.Host = pr.In.Host                 // the browser's, which cross-origin protection compares with Origin
			pr.Out.URL.RawQuery = pr.In.URL.RawQuery // ReverseProxy drops what it cannot parse; the program decides
			// ReverseProxy drops the headers a request names in its
			// Connection header, and X-Forwarded-For and the like: the
			// program sees them in production, so it sees them here too.
			// A cross-site form naming Origin there would pass otherwise.
			for name, values := range pr.In.Header {
				if !connectionHeaders[name] {
					pr.Out.Header[name] = slices.Clone(values)
				}
			}
		},
		// Connections to the program are kept open between requests. They
		// close before the program's server would close them (IdleTimeout),
		// so a request never goes out on one that is being closed.
		Transport: &http.Transport{
			MaxIdleConnsPerHost: 64,
			IdleConnTimeout:     4 * time.Second,
		},
		ErrorHandler: failed,
	}
}

// connectionHeaders are the headers about the connection between browser and
// server, which the front does not pass on: its own connection to the
// program has its own.
var connectionHeaders = map[string]bool{
	"Connection":        true,
	"Proxy-Connection":  true,
	"Keep-Alive":        true,
	"Te":                true,
	"Trailer":           true,
	"Transfer-Encoding": true,
	"Upgrade":           true,
}

// readBody reads the request's body before the front passes it on, within
// the 64 KB that a form may take (maxContentLength), and answers the request
// as the program would when it cannot: 413 for a larger body, 400 for one
// cut short or in malformed chunks, with readForm's pages. A body read here
// cannot fail half-way to the program, where the program's answer would be
// lost. It returns the request with its body in memory, or ok false when it
// answered.
func readBody(w http.ResponseWriter, r *http.Request) (_ *http.Request, ok bool) {
	if r.Body == nil || r.Body == http.NoBody {
		return r, true
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxContentLength))
	if err != nil {
		refuseBody(w, r, err)
		return nil, false
	}
	read := r.Clone(r.Context())
	read.Body = io.NopCloser(bytes.NewReader(body))
	read.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(body)), nil }
	read.ContentLength = int64(len(body))
	read.TransferEncoding = nil
	return read, true
}
