//go:build unix

package gobuild

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestBuildStopped: when ctx ends, the build stops as at Ctrl+C in a
// terminal. The tool go build waits for ends too, and go build's folder
// of work is gone. The build here waits in the tool that -toolexec runs,
// a shell that sleeps, as a slow compiler or linker would.
func TestBuildStopped(t *testing.T) {
	mainFile := program(t, "func main() {}\n")
	work, started := t.TempDir(), filepath.Join(t.TempDir(), "started")
	t.Setenv("GOTMPDIR", work)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go func() {
		for _, err := os.Stat(started); err != nil && ctx.Err() == nil; _, err = os.Stat(started) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	// The tool answers go build's question of its version (-V=full) at
	// once; then it writes its process id, and sleeps.
	toolexec := `-toolexec=sh -c 'case "$*" in *-V=full*) exec "$0" "$@";; esac; echo $$ >>` + started + `; exec sleep 300'`
	bin, _, err := Build(ctx, mainFile, filepath.Join(t.TempDir(), "tiny"), toolexec)
	if err == nil || bin != "" || !strings.Contains(err.Error(), "was stopped: context canceled") {
		t.Fatalf("Build = %q, %v; want an error that says the build was stopped", bin, err)
	}
	if left, _ := os.ReadDir(work); len(left) > 0 {
		t.Errorf("the build left %s behind in the temporary folder", left[0].Name())
	}
	pids, _ := os.ReadFile(started)
	for _, field := range strings.Fields(string(pids)) {
		pid, _ := strconv.Atoi(field)
		if !ended(pid) {
			t.Errorf("the tool go build ran (process %d) still runs after the build was stopped", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
}

// ended waits a few seconds for the process pid to be gone: once go build
// has ended, the system takes its children's ends in its own time.
func ended(pid int) bool {
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
			return true
		}
	}
	return false
}
