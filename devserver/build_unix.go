//go:build unix

package devserver

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts go build, and the compiler and linker it runs, in a
// process group of their own, so that interruptBuild reaches them all.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// interruptBuild stops a build as Ctrl+C in a terminal does: go build, and
// the linker it is waiting for, end at once. Sent to go build alone, the
// signal would make it wait for the linker first, a few hundred
// milliseconds that a newer save should not wait.
func interruptBuild(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}
