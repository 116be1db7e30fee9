package program

import (
	"os/exec"
	"testing"
)

// setsid does nothing: TestSweep runs on Linux only.
func setsid(cmd *exec.Cmd) {}

// alive is not needed on Windows: TestSweep runs on Linux only.
func alive(pid int) bool { return false }

// killFromOutside is not needed on Windows: TestSweep runs on Linux only.
func killFromOutside(t *testing.T, pid int) { t.Skip("Linux only") }
