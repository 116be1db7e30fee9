//go:build unix

package program

import (
	"os/exec"
	"syscall"
)

// setProcessGroup gives cmd a process group of its own, as a terminal gives
// each command it runs, so that Ctrl+C reaches the program and the programs
// it starts, and nothing else.
func setProcessGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// interrupt sends SIGINT, what Ctrl+C sends, to cmd's process group.
func interrupt(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGINT) }

// killGroup kills cmd's process group.
func killGroup(cmd *exec.Cmd) { syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
