package devserver

import (
	"bufio"
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// TestTail: the end of the terminal is its last 20 lines, in at most 4 KB,
// however it was written.
func TestTail(t *testing.T) {
	var lines strings.Builder
	for n := 1; n <= 30; n++ {
		fmt.Fprintf(&lines, "line %d\n", n)
	}
	var want strings.Builder
	for n := 11; n <= 30; n++ {
		fmt.Fprintf(&want, "line %d\n", n)
	}
	for _, size := range []int{1, 7, 1000} {
		var tl tail
		for text := lines.String(); text != ""; {
			n := min(size, len(text))
			tl.Write([]byte(text[:n]))
			text = text[n:]
		}
		if got := tl.String(); got != want.String() {
			t.Errorf("written %d bytes at a time, the tail is %q; want lines 11 to 30", size, got)
		}
	}
	var tl tail
	tl.Write([]byte("short\n"))
	long := make([]byte, 10000) // 400 a's, 400 b's... 400 y's: its start and its end differ
	for i := range long {
		long[i] = 'a' + byte(i/400)
	}
	tl.Write(long)
	if got := tl.String(); got != string(long[len(long)-4096:]) {
		t.Errorf("after a 10,000-byte line the tail holds %d bytes, from %q to %q; want its last 4096, %q to %q",
			len(got), got[:min(len(got), 10)], got[max(len(got)-10, 0):], long[10000-4096:10000-4086], long[10000-10:])
	}
}

// TestTailKeepsUp: 10 MB of two-byte lines go through the tail as fast as
// they are copied, not in a time that grows with the lines (which took
// minutes). The 60 seconds are a guard: it takes milliseconds.
func TestTailKeepsUp(t *testing.T) {
	chunk := bytes.Repeat([]byte("x\n"), 32<<10) // 64 KB, as the front copies
	done := make(chan struct{})
	var tl tail
	go func() {
		for range 160 { // 10 MB
			tl.Write(chunk)
		}
		close(done)
	}()
	select {
	case <-done:
	case <-time.After(60 * time.Second):
		t.Fatal("10 MB of two-byte lines took more than a minute through the tail")
	}
	if got := tl.String(); got != strings.Repeat("x\n", 20) {
		t.Errorf("the tail is %q; want the last 20 lines", got)
	}
}

// BenchmarkTail measures the tail with the program's output in lines of 2
// and of 80 bytes, as the front copies it: 64 KB at a time.
func BenchmarkTail(b *testing.B) {
	for _, line := range []int{2, 80} {
		b.Run(fmt.Sprintf("line=%d", line), func(b *testing.B) {
			chunk := bytes.Repeat(append(bytes.Repeat([]byte("x"), line-1), '\n'), (64<<10)/line)
			var tl tail
			b.SetBytes(int64(len(chunk)))
			for b.Loop() {
				tl.Write(chunk)
			}
		})
	}
}

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
	f.stopLimit = 200 * time.Millisecond
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
	f.children[c] = true
	go f.wait(c)
	stopped := make(chan struct{})
	go func() {
		f.stop(c)
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
