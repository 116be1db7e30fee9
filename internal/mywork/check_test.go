package mywork

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// appEnv names, in the environment of this test program run again as a
// learner's program, what it plays: see runApp.
const appEnv = "MYWORK_TEST_APP"

// TestMain runs this test program as a learner's program when appEnv is
// set: Check then starts it as it starts a built main.go, without waiting
// for the compiler.
func TestMain(m *testing.M) {
	if mode := os.Getenv(appEnv); mode != "" {
		runApp(mode)
		return
	}
	os.Exit(m.Run())
}

// runApp is a learner's program, as mode says: "starter" and "lesson" serve
// the starter and the whole lesson; "ends" ends before it serves; "silent"
// never prints its banner; "hangs" never answers; "stops" ends after its
// first page; "floods" prints more than 4 MB after its banner.
func runApp(mode string) {
	flags := flag.NewFlagSet("app", flag.ExitOnError)
	addr := flags.String("addr", "127.0.0.1:5000", "")
	flags.Parse(os.Args[1:])
	switch mode {
	case "ends":
		fmt.Println("panic: before the server")
		os.Exit(3)
	case "silent":
		time.Sleep(time.Minute)
		os.Exit(0)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		panic(err)
	}
	fmt.Printf(" * Running on http://%s\n", l.Addr())
	if mode == "floods" {
		fmt.Print(strings.Repeat("x", 5<<20))
	}
	h := app{}.handler()
	switch mode {
	case "lesson":
		h = stepDone.handler()
	case "hangs":
		h = http.HandlerFunc(func(http.ResponseWriter, *http.Request) { select {} })
	case "stops":
		next := h
		h = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			next.ServeHTTP(w, r)
			go func() { time.Sleep(50 * time.Millisecond); os.Exit(4) }()
		})
	}
	http.Serve(l, h)
}

// checkAs runs Check on a folder whose main.go is this test program,
// playing mode, within limits.
func checkAs(t *testing.T, mode string, limits Limits, files ...string) Result {
	t.Setenv(appEnv, mode)
	dir := t.TempDir()
	for _, name := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("package main\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	build = func(context.Context, string, string) (string, string, error) { return os.Args[0], "", nil }
	t.Cleanup(func() { build = buildProgram })
	r, err := CheckWithin(context.Background(), dir, t.TempDir(), limits)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

var buildProgram = build

// TestCheck starts programs as Check does, and says how each went.
func TestCheck(t *testing.T) {
	// Each page may take 5 seconds: a busy machine takes more than half a
	// second now and then. Only the program that never answers waits less.
	quick := Limits{Start: 10 * time.Second, Request: 5 * time.Second, Total: time.Minute}
	r := checkAs(t, "lesson", quick, "main.go", "index.html")
	if !strings.Contains(r.Report, "Every stage is done") || r.Trouble != "" || len(r.Problems) != 0 {
		t.Errorf("the whole lesson: trouble %q, problems %q:\n%s", r.Trouble, r.Problems, r.Report)
	}
	r = checkAs(t, "starter", quick, "main.go")
	if !strings.Contains(r.Report, "Nothing has been done yet") {
		t.Errorf("the starter:\n%s", r.Report)
	}
	r = checkAs(t, "ends", quick, "main.go")
	if r.Stages != nil || r.Trouble != "ended before it listened: exit status 3" || !strings.Contains(r.Report, "panic: before the server") {
		t.Errorf("a program that ends: trouble %q:\n%s", r.Trouble, r.Report)
	}
	r = checkAs(t, "silent", Limits{Start: 300 * time.Millisecond}, "main.go")
	if r.Stages != nil || r.Trouble != `never listened: no " * Running on" line within 300ms` {
		t.Errorf("a program that never listens: trouble %q:\n%s", r.Trouble, r.Report)
	}
	r = checkAs(t, "hangs", Limits{Request: 300 * time.Millisecond}, "main.go")
	if r.Stages != nil || !strings.HasPrefix(r.Trouble, "does not answer: nothing came back within 300ms") {
		t.Errorf("a program that never answers: trouble %q:\n%s", r.Trouble, r.Report)
	}
	r = checkAs(t, "stops", quick, "main.go")
	if r.Stages == nil || r.Trouble != "ended during the check (exit status 4)" {
		t.Errorf("a program that ends after its first page: trouble %q:\n%s", r.Trouble, r.Report)
	}
	r = checkAs(t, "floods", quick, "main.go")
	if r.Trouble != "printed more than 4 MB" {
		t.Errorf("a program that prints 5 MB: trouble %q", r.Trouble)
	}
}

// TestCheckStops: a check whose caller gives up returns the caller's
// error, and one that runs out of time says so.
func TestCheckStops(t *testing.T) {
	t.Setenv(appEnv, "hangs")
	build = func(ctx context.Context, _, _ string) (string, string, error) {
		<-ctx.Done()
		return "", "", ctx.Err()
	}
	t.Cleanup(func() { build = buildProgram })
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := CheckWithin(ctx, t.TempDir(), t.TempDir(), Limits{}); !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("a check stopped by its caller returns %v", err)
	}
	if _, err := CheckWithin(context.Background(), t.TempDir(), t.TempDir(), Limits{Total: 100 * time.Millisecond}); err == nil || !strings.Contains(err.Error(), "go build main.go took more than 100ms") {
		t.Errorf("a check whose build outlasts its time returns %v", err)
	}
	build = func(context.Context, string, string) (string, string, error) {
		return "", "./main.go:3:1: syntax error", errors.New("exit status 1")
	}
	if r, err := Check(t.TempDir(), t.TempDir()); err != nil || !strings.Contains(r.Trouble, "does not compile") {
		t.Errorf("a main.go that does not compile gives %q, %v", r.Trouble, err)
	}
	build = func(context.Context, string, string) (string, string, error) {
		return "", "", errors.New("go: not found")
	}
	if _, err := Check(t.TempDir(), t.TempDir()); err == nil {
		t.Error("a build that cannot run gives no error")
	}
}
