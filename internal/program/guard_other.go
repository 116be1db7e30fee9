//go:build !linux && !windows

package program

// guardProcess does nothing: macOS and the other Unix systems have no
// child subreaper. A program's process group is still stopped with it,
// but a process that leaves its group (setsid) cannot be followed.
func guardProcess() error { return nil }

// sweep cannot tell what is left.
func sweep() (int, bool) { return 0, false }
