//go:build !unix

package program

import "os/exec"

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(cmd *exec.Cmd) {}

// interrupt kills cmd: a test cannot press Ctrl+C in a Windows console. The
// reloader's child ends when the front does, so nothing is left running.
func interrupt(cmd *exec.Cmd) { cmd.Process.Kill() }

// killGroup kills cmd.
func killGroup(cmd *exec.Cmd) { cmd.Process.Kill() }
