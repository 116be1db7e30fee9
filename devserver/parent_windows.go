package devserver

import "os"

// parentEnded returns a channel that is closed when the process that started
// this one ends. Windows gives an ended process's children no new parent, but
// a process can wait for any other it may look at; when it cannot, the
// channel is never closed.
func parentEnded() <-chan struct{} {
	ended := make(chan struct{})
	parent, err := os.FindProcess(os.Getppid())
	if err != nil {
		return ended
	}
	go func() {
		if _, err := parent.Wait(); err == nil {
			close(ended)
		}
	}()
	return ended
}
