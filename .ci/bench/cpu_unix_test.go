//go:build unix

package bench

import "syscall"

// cpuTime is the processor time this process has used so far, in
// nanoseconds: user and system time, every thread. On a busy machine it
// moves far less than the wall clock, which counts the time others ran.
func cpuTime() int64 {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return u.Utime.Nano() + u.Stime.Nano()
}
