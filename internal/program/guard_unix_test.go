//go:build unix

package program

import (
	"os/exec"
	"syscall"
	"testing"
)

// setsid makes cmd leave its parent's session and process group.
func setsid(cmd *exec.Cmd) { cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true} }

// alive tells whether the process pid runs.
func alive(pid int) bool { return syscall.Kill(pid, 0) == nil }

// killFromOutside kills pid as another program would.
func killFromOutside(t *testing.T, pid int) {
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
}
