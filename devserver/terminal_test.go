package devserver

import (
	"bytes"
	"fmt"
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
