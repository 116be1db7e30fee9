//go:build unix

package gobuild

import (
	"os/exec"
	"syscall"
)

// ownProcessGroup puts go build, and the compiler and linker it runs, in a
// process group of their own, as a terminal does for each command, so that
// interrupt reaches them all.
func ownProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// interrupt stops a build as Ctrl+C in a terminal does: go build, and the
// compiler or linker it waits for, end at once. Sent to go build alone, the
// signal would leave them running, writing in a folder Build then removes.
func interrupt(cmd *exec.Cmd) error {
	return syscall.Kill(-cmd.Process.Pid, syscall.SIGINT)
}
