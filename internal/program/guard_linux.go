package program

import (
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// prSetChildSubreaper is prctl's PR_SET_CHILD_SUBREAPER (linux/prctl.h).
// The syscall package has no name for it, and golang.org/x/sys is not one
// of the lesson's modules.
const prSetChildSubreaper = 36

// guardProcess makes this process the child subreaper of all it starts.
func guardProcess() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return errno
	}
	return nil
}

// sweep kills this process's descendants, and reaps them: with the guard
// on, they are its children once their parents are gone.
func sweep() (int, bool) {
	for try := 0; ; try++ {
		left := descendants(os.Getpid())
		if len(left) == 0 {
			return 0, true
		}
		if try == 100 { // 2 seconds: a process that outlives SIGKILL is stuck in the kernel
			return len(left), true
		}
		for _, pid := range left {
			syscall.Kill(pid, syscall.SIGKILL)
		}
		time.Sleep(20 * time.Millisecond)
		reap()
	}
}

// reap collects the exit of every child of this process that has ended.
// Only sweep calls it, when no child of os/exec's is left to wait for.
func reap() {
	for {
		pid, err := syscall.Wait4(-1, nil, syscall.WNOHANG, nil)
		if pid <= 0 || err != nil {
			return
		}
	}
}

// descendants lists the processes below pid that have not ended, read
// from /proc: a process's parent is the fourth field of /proc/PID/stat.
// A child of pid itself that has ended but is not yet collected counts
// too: its threads may still be ending, and until they have, reap cannot
// collect it.
func descendants(pid int) []int {
	stats, _ := filepath.Glob("/proc/[0-9]*/stat")
	children := map[int][]int{}
	for _, name := range stats {
		data, err := os.ReadFile(name)
		if err != nil {
			continue // it ended meanwhile
		}
		i := strings.LastIndexByte(string(data), ')') // the command's name may hold spaces
		fields := strings.Fields(string(data)[i+1:])
		if len(fields) < 2 {
			continue
		}
		child, _ := strconv.Atoi(filepath.Base(filepath.Dir(name)))
		parent, _ := strconv.Atoi(fields[1])
		if fields[0] == "Z" && parent != pid {
			continue // ended, for its own parent to collect
		}
		children[parent] = append(children[parent], child)
	}
	var found []int
	for next := []int{pid}; len(next) > 0; {
		p := next[0]
		next = append(next[1:], children[p]...)
		found = append(found, children[p]...)
	}
	return found
}
