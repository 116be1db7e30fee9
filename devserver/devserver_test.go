package devserver

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/testenv"
)

// writeFiles writes each named file under dir, making its folders.
func writeFiles(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for name, text := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// TestBanner: the banner says which program runs, so that the starter, the
// finished app and the buttons page, which look alike, can be told apart.
func TestBanner(t *testing.T) {
	outsideCloudEditors(t) // a codespace adds a line: see TestCodespace
	lesson := t.TempDir()
	writeFiles(t, lesson, map[string]string{"go.mod": "module example.com/sessions\n\ngo 1.25\n", "main.go": "", "finished/main.go": "", "buttons/main.go": ""})
	other := t.TempDir()
	writeFiles(t, other, map[string]string{"go.mod": "module lesson\n", "finished/main.go": ""})
	repository, _ := filepath.Abs(filepath.Join("..", "main.go"))
	for mainFile, want := range map[string]string{
		filepath.Join(lesson, "main.go"):             " * Serving the starter (main.go)\n",
		repository:                                   " * Serving the starter (main.go)\n",
		filepath.Join(lesson, "finished", "main.go"): " * Serving the finished app (finished/main.go)\n",
		filepath.Join(lesson, "buttons", "main.go"):  " * Serving the buttons page (buttons/main.go)\n",
		filepath.Join(other, "finished", "main.go"):  " * Serving " + filepath.Join(other, "finished", "main.go") + "\n",
	} {
		got := banner(mainFile, true, "127.0.0.1:5000")
		if !strings.HasPrefix(got, want) {
			t.Errorf("for %s the banner starts\n%s\nwant\n%s", mainFile, got, want)
		}
	}
	for debug, lines := range map[bool][]string{
		true:  {" * Debug mode: on\n", "WARNING: no SECRET_KEY is set", "\n * Running on http://127.0.0.1:5000\nPress CTRL+C to quit\n"},
		false: {" * Debug mode: off\n * Running on http://127.0.0.1:5000\nPress CTRL+C to quit\n"},
	} {
		got := banner(filepath.Join(lesson, "main.go"), debug, "127.0.0.1:5000")
		for _, line := range lines {
			if !strings.Contains(got, line) {
				t.Errorf("with debug %v the banner\n%s\nlacks %q", debug, got, line)
			}
		}
	}
}

// TestRootPath: the program reads its files from the folder of its main.go,
// as Flask reads templates from the app's root_path, whatever folder it was
// started from; a program whose source is elsewhere reads them from the
// folder it runs in.
func TestRootPath(t *testing.T) {
	project := t.TempDir()
	writeFiles(t, project, map[string]string{"finished/main.go": "", "finished/index.html": ""})
	t.Chdir(project)
	if got, want := rootPath(filepath.Join(project, "finished", "main.go")), filepath.Join(project, "finished"); got != want {
		t.Errorf("started from the folder above: the root is %s, want %s", got, want)
	}
	if got := rootPath(filepath.Join(project, "moved", "main.go")); got != project {
		t.Errorf("with no source at the path it was built from: the root is %s, want the working folder %s", got, project)
	}
}

// TestDebugOnlyOnThisComputer: debug mode refuses an address other computers
// can reach, and says to set SECRET_KEY first.
func TestDebugOnlyOnThisComputer(t *testing.T) {
	for _, addr := range []string{"127.0.0.1:5000", "localhost:5000", "[::1]:5000", "127.0.0.1:0"} {
		if err := checkLoopback(addr); err != nil {
			t.Errorf("-addr %s: %v, want it allowed", addr, err)
		}
	}
	for _, addr := range []string{"0.0.0.0:5000", ":5000", "192.168.1.20:5000", "[::]:5000", "my-laptop.local:5000"} {
		err := checkLoopback(addr)
		if err == nil || !strings.Contains(err.Error(), "Set SECRET_KEY to any private phrase first") || !strings.Contains(err.Error(), "published") {
			t.Errorf("-addr %s in debug mode: %v, want a refusal that says to set SECRET_KEY first", addr, err)
		}
	}
}

// TestSecretKey: debug mode without a key signs with the development key;
// without debug mode and without a key, the program stops with Flask's
// message; a key shorter than 16 characters, or only spaces, is refused with
// a sentence on why and a good key to use instead.
func TestSecretKey(t *testing.T) {
	const badPort = "127.0.0.1:99999" // run stops at listen when the key is fine
	err := run(http.NotFoundHandler(), Config{Debug: false}, badPort, "main.go")
	if !errors.Is(err, sessions.ErrNoSecretKey) {
		t.Errorf("no SECRET_KEY and no debug mode: %v, want sessions.ErrNoSecretKey", err)
	}
	err = run(http.NotFoundHandler(), Config{Debug: true}, badPort, "main.go")
	if err == nil || !strings.Contains(err.Error(), "invalid port") {
		t.Errorf("debug mode without a key: %v, want it to get past the key (to the bad port)", err)
	}
	for _, key := range []string{"a", "12345678", "fifteen chars!!", "ünïcödé ünïcödé", "                    ", " \t "} {
		for _, debug := range []bool{false, true} {
			err := run(http.NotFoundHandler(), Config{Debug: debug, SecretKey: key}, badPort, "main.go")
			if err == nil || strings.Contains(err.Error(), "invalid port") {
				t.Errorf("SECRET_KEY=%q, debug %v: %v; want it refused", key, debug, err)
				continue
			}
			said := err.Error()
			why := "SECRET_KEY holds only spaces"
			if strings.TrimSpace(key) != "" {
				why = fmt.Sprintf("SECRET_KEY is too short: it has %d characters, and it needs at least 16.", len([]rune(key)))
			}
			random := regexp.MustCompile(`\n\n    [A-Z2-7]{52}\n\n`)
			for _, want := range []string{why, "Anyone who guesses the key can sign cookies", "openssl rand -hex 32", `the README's "The secret key"`} {
				if !strings.Contains(said, want) {
					t.Errorf("SECRET_KEY=%q: %q lacks %q", key, said, want)
				}
			}
			if !random.MatchString(said) {
				t.Errorf("SECRET_KEY=%q: %q shows no random key of 52 characters on a line of its own", key, said)
			}
		}
	}
	for _, key := range []string{"sixteen chars!!!", "  a private phrase  ", "ünïcödé ünïcödé!"} {
		if err := run(http.NotFoundHandler(), Config{SecretKey: key}, badPort, "main.go"); err == nil || !strings.Contains(err.Error(), "invalid port") {
			t.Errorf("SECRET_KEY=%q: %v, want it accepted (and a stop at the bad port)", key, err)
		}
	}
	first := checkSecretKey("short")
	if second := checkSecretKey("short"); first.Error() == second.Error() {
		t.Error("two refusals show the same key; want a new random one each time")
	}
}

// TestServerLimits: the limits the README states for every server, the
// front's and the program's: 5 seconds to send the headers, 30 to send the
// request and 30 to read the answer, 8 KB of headers, idle connections
// closed after 5 seconds. (TestHeaderLimit and TestHeaderTimeout check two
// of them from both sides, as a client meets them.)
func TestServerLimits(t *testing.T) {
	s := newServer(http.NotFoundHandler())
	for _, tt := range []struct {
		name      string
		got, want time.Duration
	}{
		{"ReadHeaderTimeout", s.ReadHeaderTimeout, 5 * time.Second},
		{"ReadTimeout", s.ReadTimeout, 30 * time.Second},
		{"WriteTimeout", s.WriteTimeout, 30 * time.Second},
		{"IdleTimeout", s.IdleTimeout, 5 * time.Second},
	} {
		if tt.got != tt.want {
			t.Errorf("%s is %v; the README says %v", tt.name, tt.got, tt.want)
		}
	}
	if s.MaxHeaderBytes != 8<<10 {
		t.Errorf("MaxHeaderBytes is %d; want 8 KB, which net/http makes 12 KB (see TestHeaderLimitAsStated)", s.MaxHeaderBytes)
	}
}

// TestHeaderLimitAsStated: a request whose line and headers take 12,288
// bytes, blank line included, is answered; one byte more gets 431. That is
// the limit docs/deploying.md states. (It said 8 KB: a header of 12,200
// bytes was answered.)
func TestHeaderLimitAsStated(t *testing.T) {
	const limit = 12288
	doc := testenv.ReadFile(t, filepath.Join(testenv.Root(t), "docs", "deploying.md"))
	if stated := "request line and\n  headers together 12,288 bytes"; !strings.Contains(doc, stated) {
		t.Errorf("docs/deploying.md does not say %q", stated)
	}
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	server.Config = newServer(server.Config.Handler)
	server.Start()
	defer server.Close()
	addr := server.Listener.Addr().String()
	for _, tt := range []struct{ size, status int }{{limit, http.StatusOK}, {limit + 1, http.StatusRequestHeaderFieldsTooLarge}} {
		head, end := "GET / HTTP/1.1\r\nHost: "+addr+"\r\nX-Padding: ", "\r\n\r\n"
		request := head + strings.Repeat("a", tt.size-len(head)-len(end)) + end
		conn, err := net.Dial("tcp", addr)
		if err != nil {
			t.Fatal(err)
		}
		conn.SetDeadline(time.Now().Add(30 * time.Second)) // a guard only
		conn.Write([]byte(request))
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		conn.Close()
		if err != nil {
			t.Errorf("a request line and headers of %d bytes: %v; want %d", len(request), err, tt.status)
		} else if resp.StatusCode != tt.status {
			t.Errorf("a request line and headers of %d bytes: %d; want %d", len(request), resp.StatusCode, tt.status)
		}
	}
}

// TestHeaderTimeout: a browser that sends its headers within 5 seconds is
// answered; one that takes 7 is not (the connection is closed).
func TestHeaderTimeout(t *testing.T) {
	if testing.Short() {
		t.Skip("waits 7 seconds; skipped with -short")
	}
	t.Parallel()
	server := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, "ok") }))
	server.Config = newServer(server.Config.Handler)
	server.Start()
	t.Cleanup(server.Close) // once the subtests, which run in parallel, are done
	for _, tt := range []struct {
		pause  time.Duration
		answer bool
	}{{3 * time.Second, true}, {7 * time.Second, false}} {
		t.Run(tt.pause.String(), func(t *testing.T) {
			t.Parallel()
			conn, err := net.Dial("tcp", server.Listener.Addr().String())
			if err != nil {
				t.Fatal(err)
			}
			defer conn.Close()
			fmt.Fprint(conn, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n")
			time.Sleep(tt.pause)
			fmt.Fprint(conn, "Accept: */*\r\n\r\n")
			conn.SetReadDeadline(time.Now().Add(30 * time.Second)) // a guard only
			resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
			if answered := err == nil && resp.StatusCode == http.StatusOK; answered != tt.answer {
				t.Errorf("headers sent in two parts %v apart: answered %v (%v); want %v", tt.pause, answered, err, tt.answer)
			}
		})
	}
}

// TestBusyPort: a second server on a port this lesson's server holds says
// that it is already running and where to stop it; on a port another program
// holds, it gives the hint of another port.
func TestBusyPort(t *testing.T) {
	var terminal bytes.Buffer // only the test's goroutine writes
	lesson := httptest.NewServer(answerProbe(logRequests(serverHeader(http.NotFoundHandler()), &terminal), &terminal))
	defer lesson.Close()
	other := httptest.NewServer(http.NotFoundHandler())
	defer other.Close()
	notHTTP, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer notHTTP.Close()
	go func() { // accepts and hangs up, as a program that speaks no HTTP would
		for {
			conn, err := notHTTP.Accept()
			if err != nil {
				return
			}
			conn.Close()
		}
	}()

	_, err = listen(lesson.Listener.Addr().String(), "the finished app (finished/main.go)")
	if err == nil || !strings.Contains(err.Error(), "This lesson's server is already running at http://"+lesson.Listener.Addr().String()) ||
		!strings.Contains(err.Error(), "another terminal or VS Code tab") || !strings.Contains(err.Error(), "Ctrl+C") {
		t.Errorf("the port of this lesson's server: %v", err)
	}
	if got := terminal.String(); got != " * Another server, the finished app (finished/main.go), tried to start on this port, and stopped: this one is running here\n" {
		t.Errorf("the first server's terminal shows %q; want one line that says what happened", got)
	}
	terminal.Reset()
	for _, host := range []string{"evil.example", "evil.example:" + strings.Split(lesson.Listener.Addr().String(), ":")[1]} {
		r, _ := http.NewRequest(http.MethodHead, lesson.URL, nil)
		r.Host = host
		r.Header.Set(probeHeader, "Made up by a web site: evil.example")
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode == http.StatusNoContent || strings.Contains(terminal.String(), "Made up") || !strings.Contains(terminal.String(), `"HEAD / HTTP/1.1" 404`) {
			t.Errorf("the question of a second server, asked for the site %s: %d, and the terminal shows %q; "+
				"want it passed on as any request (404 here), with its request line and not its text", host, resp.StatusCode, terminal.String())
		}
	}
	for _, addr := range []string{other.Listener.Addr().String(), notHTTP.Addr().String()} {
		_, err := listen(addr, "the starter (main.go)")
		if err == nil || strings.Contains(err.Error(), "already running") ||
			!strings.Contains(err.Error(), "Another program may be using that port") || !strings.Contains(err.Error(), "go run main.go -addr 127.0.0.1:5001") {
			t.Errorf("the port of another program: %v", err)
		}
	}
}

// TestAddressFromCommandLine: -addr names where the program listens, as
// flask run's --host and --port do; without it, 127.0.0.1:5000, as Flask.
// The tests and the grader start programs with -addr 127.0.0.1:0.
func TestAddressFromCommandLine(t *testing.T) {
	commandLine, args := flag.CommandLine, os.Args
	defer func() { flag.CommandLine, os.Args = commandLine, args }()
	for _, tt := range []struct {
		args []string
		want string
	}{
		{nil, "127.0.0.1:5000"},
		{[]string{"-addr", "127.0.0.1:0"}, "127.0.0.1:0"},
		{[]string{"-addr=0.0.0.0:8080"}, "0.0.0.0:8080"},
	} {
		flag.CommandLine = flag.NewFlagSet("main", flag.ContinueOnError)
		os.Args = append([]string{"main"}, tt.args...)
		if got := addressFromCommandLine(); got != tt.want {
			t.Errorf("go run main.go %s: the address is %q, want %q", strings.Join(tt.args, " "), got, tt.want)
		}
	}
}
