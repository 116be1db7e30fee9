package devserver

import (
	"bufio"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestHandshake: a child takes its address from the front's first line on
// its standard input, which must hold the token the front put in the
// environment, and a port of this computer.
func TestHandshake(t *testing.T) {
	const token = "the front's token"
	for _, tt := range []struct {
		input, err string
		want       handshake
	}{
		{input: token + "\t127.0.0.1:5001\t/tmp/devserver-2-123\n", want: handshake{addr: "127.0.0.1:5001", buildDir: "/tmp/devserver-2-123"}},
		{input: token + "\t[::1]:5001\t\n", want: handshake{addr: "[::1]:5001"}},
		{input: "", err: "its input does not hold the token"},
		{input: "another token\t127.0.0.1:5001\t\n", err: "its input does not hold the token"},
		{input: token + "\n", err: "its input does not hold the token"},
		{input: token + "\t0.0.0.0:5001\t\n", err: `the address "0.0.0.0:5001" is not one of this computer's`},
		{input: token + "\t192.168.1.20:5001\t\n", err: `the address "192.168.1.20:5001" is not one of this computer's`},
		{input: token + "\tlocalhost:5001\t\n", err: "is not one of this computer's"},
	} {
		h, err := readHandshake(bufio.NewReader(strings.NewReader(tt.input)), token)
		if tt.err == "" && (err != nil || h != tt.want) || tt.err != "" && (err == nil || !strings.Contains(err.Error(), tt.err)) {
			t.Errorf("the line %q: %+v, %v; want %+v, %q", tt.input, h, err, tt.want, tt.err)
		}
	}
}

// TestStopKillsADeafProgram: a program that does not stop when the front asks
// it to (it never reads its input) is killed after the front's limit, and
// the terminal says so; stopping it, as Ctrl+C does, does not hang. The
// program is this test binary, run again as a program that only sleeps.
func TestStopKillsADeafProgram(t *testing.T) {
	if os.Getenv("DEVSERVER_TEST_DEAF") == "1" {
		time.Sleep(10 * time.Minute)
		return
	}
	f, out := newTestFront(t, unchangedMainFile)
	f.programs.stopLimit = 200 * time.Millisecond
	c := &child{exited: make(chan struct{}), gone: make(chan struct{})}
	c.cmd = exec.Command(os.Args[0], "-test.run=^TestStopKillsADeafProgram$")
	c.cmd.Env = append(os.Environ(), "DEVSERVER_TEST_DEAF=1")
	stdin, err := c.cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	c.stdin = stdin
	if err := c.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.cmd.Process.Kill() })
	f.programs.running[c] = true
	go f.programs.wait(c)
	stopped := make(chan struct{})
	go func() {
		f.programs.stop(c)
		close(stopped)
	}()
	select {
	case <-stopped:
	case <-time.After(60 * time.Second): // a guard only: it takes 0.2 seconds
		t.Fatal("a program that does not stop when asked was still running a minute later: Ctrl+C would hang")
	}
	if !out.waitFor(" * The program did not stop within 0.2 seconds of being asked, so it was killed\n") {
		t.Errorf("the terminal shows %q; want a line that says the program was killed", out.String())
	}
}
