//go:build !unix

package gobuild

import (
	"os"
	"os/exec"
)

// ownProcessGroup does nothing where there are no process groups to send a
// signal to.
func ownProcessGroup(cmd *exec.Cmd) {}

// interrupt stops a build as Ctrl+C does, where the system can send that
// signal to a process; Windows cannot, so there go build is killed.
func interrupt(cmd *exec.Cmd) error {
	if err := cmd.Process.Signal(os.Interrupt); err != nil {
		return cmd.Process.Kill()
	}
	return nil
}
