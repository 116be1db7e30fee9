package devserver

import (
	"bufio"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestProxyPassesTheRequestAsItCame: the program sees the Host, the query
// and the headers the browser sent, those a request names in its Connection
// header included, as it would without the front; the front's connection to
// it is kept open from one request to the next.
func TestProxyPassesTheRequestAsItCame(t *testing.T) {
	program := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		fmt.Fprintf(w, "host=%s query=%s origin=%q site=%q forwarded=%q connection=%q from=%s body=%s",
			r.Host, r.URL.RawQuery, r.Header.Get("Origin"), r.Header.Get("Sec-Fetch-Site"), r.Header.Get("X-Forwarded-For"),
			r.Header.Get("Connection"), r.RemoteAddr, body)
	}))
	defer program.Close()
	proxy := newProxy(program.Listener.Addr().String(), func(w http.ResponseWriter, r *http.Request, err error) {
		t.Errorf("the proxy failed: %v", err)
	})
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r, ok := readBody(w, r); ok {
			proxy.ServeHTTP(w, r)
		}
	}))
	defer front.Close()

	conn, err := net.Dial("tcp", front.Listener.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	reader := bufio.NewReader(conn)
	send := func(request string) string {
		t.Helper()
		conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard only
		if _, err := io.WriteString(conn, request); err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(reader, nil)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		page, _ := io.ReadAll(resp.Body)
		return string(page)
	}
	first := send("POST /?a=1;b=2 HTTP/1.1\r\nHost: 127.0.0.1:5000\r\nOrigin: http://attacker.example\r\nSec-Fetch-Site: cross-site\r\n" +
		"X-Forwarded-For: 10.0.0.1\r\nConnection: Origin, Sec-Fetch-Site, X-Forwarded-For\r\nContent-Type: application/x-www-form-urlencoded\r\n" +
		"Transfer-Encoding: chunked\r\n\r\n5\r\nnew_i\r\n8\r\ntem=Milk\r\n0\r\n\r\n")
	for _, want := range []string{"host=127.0.0.1:5000 ", "query=a=1;b=2 ", `origin="http://attacker.example"`, `site="cross-site"`,
		`forwarded="10.0.0.1"`, `connection=""`, "body=new_item=Milk"} {
		if !strings.Contains(first, want) {
			t.Errorf("the program saw %q; want %s", first, want)
		}
	}
	second := send("GET / HTTP/1.1\r\nHost: 127.0.0.1:5000\r\n\r\n")
	if from := pageField(first, "from"); from == "" || from != pageField(second, "from") {
		t.Errorf("two requests came to the program from %s and %s; want one connection, kept open", from, pageField(second, "from"))
	}
}

// TestReadBody: the front reads a request's body before it passes it on,
// and answers as readForm does when it cannot: 413 past 64 KB, 400 for
// malformed chunks.
func TestReadBody(t *testing.T) {
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r, ok := readBody(w, r); ok {
			body, _ := io.ReadAll(r.Body)
			fmt.Fprintf(w, "read %d bytes, length %d", len(body), r.ContentLength)
		}
	}))
	defer front.Close()
	for _, tt := range []struct {
		name, request string
		status        int
		page          string
	}{
		{"a form of exactly 64 KB", form(64 << 10), http.StatusOK, "read 65536 bytes, length 65536"},
		{"a form of 64 KB and 1 byte", form(64<<10 + 1), http.StatusRequestEntityTooLarge, "That form was larger than 64 KB"},
		{"a malformed chunk size", "POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nnew_item=Milk\r\n0\r\n\r\n",
			http.StatusBadRequest, "The form could not be read (invalid byte in chunk length)"},
		{"no body", "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n", http.StatusOK, "read 0 bytes"},
	} {
		status, page := rawRequest(t, front.Listener.Addr().String(), tt.request)
		if status != tt.status || !strings.Contains(page, tt.page) {
			t.Errorf("%s: %d %q; want %d %q", tt.name, status, page, tt.status, tt.page)
		}
	}
}

// form is a request that posts a URL-encoded form of size bytes.
func form(size int) string {
	body := "new_item=" + strings.Repeat("m", size-len("new_item="))
	return fmt.Sprintf("POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(body), body)
}

// rawRequest sends request, as it is written, to the server at addr, and
// returns the status and the page.
func rawRequest(t *testing.T, addr, request string) (int, string) {
	t.Helper()
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard only
	go io.WriteString(conn, request)                   // the server may answer before it has read it all
	resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
	if err != nil {
		t.Fatalf("%.40q...: %v", request, err)
	}
	defer resp.Body.Close()
	page, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(page)
}
