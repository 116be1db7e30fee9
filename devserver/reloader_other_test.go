//go:build !unix

package devserver

import "os/exec"

// setProcessGroup does nothing where there are no process groups.
func setProcessGroup(cmd *exec.Cmd) {}

// interrupt stops cmd. A test cannot press Ctrl+C in a Windows console, so
// the front is killed, which stops its child too.
func interrupt(cmd *exec.Cmd) { cmd.Process.Kill() }

// kill kills cmd.
func kill(cmd *exec.Cmd) { cmd.Process.Kill() }
