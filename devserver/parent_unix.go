//go:build !windows

package devserver

import (
	"os"
	"time"
)

// parentEnded returns a channel that is closed when the process that started
// this one ends. The system then gives this process another parent, so the
// parent's process id changes; nothing else says so on every Unix, so it is
// looked at ten times a second.
func parentEnded() <-chan struct{} {
	ended := make(chan struct{})
	parent := os.Getppid()
	go func() {
		for os.Getppid() == parent {
			time.Sleep(100 * time.Millisecond)
		}
		close(ended)
	}()
	return ended
}
