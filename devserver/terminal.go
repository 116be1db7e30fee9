package devserver

// The terminal: the children print into a pipe that the front copies to its
// own standard error, keeping the end for the page that says the program
// stopped.

import (
	"io"
	"os"
	"sync"
	"time"
)

// copyTerminal copies what comes through the pipe to the terminal, and keeps
// its end in lastLines. It goes on when the terminal refuses a write, so that
// the pipe never fills and stops the programs that print.
//
// A program that prints short lines, one write each, would have the front
// wake up and copy each on its own, which made printing take half as long
// again as without the front. After a short read the front waits a moment,
// at most a millisecond, which a person cannot see, for more to come. The
// wait grows while reads stay short, and ends when a read finds the pipe
// half full: then the program prints faster than the front would wait.
func copyTerminal(pipe io.Reader, lastLines *tail) {
	buf := make([]byte, 64<<10)
	var wait time.Duration
	for {
		n, err := pipe.Read(buf)
		os.Stderr.Write(buf[:n])
		lastLines.Write(buf[:n])
		if err != nil {
			return
		}
		switch {
		case n >= len(buf)/2:
			wait = 0
		case n < 512:
			wait = min(2*wait+100*time.Microsecond, time.Millisecond)
			time.Sleep(wait)
		}
	}
}

// How much of the terminal's end a tail keeps: the last tailLines lines,
// in at most tailSize bytes.
const (
	tailLines = 20      // lines
	tailSize  = 4 << 10 // bytes: 4 KB
)

// tail keeps the end of what is written to it: the last 20 lines, and at most
// 4 KB. A write costs the time to copy it, whatever its lines: the front
// copies everything the program prints through it.
type tail struct {
	mu   sync.Mutex
	text []byte // the last bytes written: up to 2*tailSize, cut to tailSize when it grows past
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(p) >= tailSize {
		t.text = append(t.text[:0], p[len(p)-tailSize:]...)
		return len(p), nil
	}
	t.text = append(t.text, p...)
	if len(t.text) > 2*tailSize {
		t.text = append(t.text[:0], t.text[len(t.text)-tailSize:]...)
	}
	return len(p), nil
}

// String returns the last 20 lines written, in at most 4 KB.
func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	text := t.text[max(len(t.text)-tailSize, 0):]
	end := len(text)
	if end > 0 && text[end-1] == '\n' {
		end-- // the last line's own line break
	}
	for n := 0; end > 0; end-- {
		if text[end-1] == '\n' {
			if n++; n == tailLines {
				break
			}
		}
	}
	return string(text[end:])
}
