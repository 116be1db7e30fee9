package program

import (
	"fmt"
	"net"
	"strings"
	"sync"
)

// The grading command runs programs that students wrote, and guards each
// student's grading from the others' (docs/classroom.md says how far).
// Guard turns the guard on for this process; its parts are here and in
// guard_linux.go, guard_windows.go and guard_other.go. Tests and the
// learner's check run without it.
//
// Flask has no such thing: a teacher of the Flask lesson runs each
// student's app by hand.
var guard struct {
	sync.Mutex
	on     bool
	events []string // what a guarded program saw that only another program could have done
}

// Guard makes this process answer for every process its programs start,
// daemons included: on Linux it becomes their "child subreaper", so that a
// process they leave behind becomes this one's child, not the system's; on
// Windows it puts itself in a job object that ends them all when this
// process ends. Elsewhere only each program's process group can be stopped.
// With the guard on, Start also gives each program a port checked free,
// and accepts only a banner that names it.
func Guard() error {
	guard.Lock()
	guard.on = true
	guard.Unlock()
	return guardProcess()
}

// guarded tells whether Guard was called.
func guarded() bool {
	guard.Lock()
	defer guard.Unlock()
	return guard.on
}

// noteInterference records one thing a guarded program met that only
// another program could have done.
func noteInterference(format string, args ...any) {
	guard.Lock()
	defer guard.Unlock()
	guard.events = append(guard.events, fmt.Sprintf(format, args...))
}

// Interference returns what guarded programs met that only another
// program could have done, such as a kill that this package did not send:
// the grading command then grades that student again, alone.
func Interference() []string {
	guard.Lock()
	defer guard.Unlock()
	return append([]string(nil), guard.events...)
}

// Sweep kills every process that this one started or took in and that
// still runs, and returns how many it could not end. sure is false where
// the system gives no way to know (macOS and the other Unix systems).
// Call it only when none of this process's own programs should run.
func Sweep() (left int, sure bool) { return sweep() }

// guardedPort gives a guarded program a port checked free before it
// starts, in place of the "127.0.0.1:0" after its -addr, and returns that
// address: its banner must name it. Unguarded, it changes nothing.
func guardedPort(command []string) ([]string, string, error) {
	if !guarded() {
		return command, "", nil
	}
	for i, arg := range command {
		if i > 0 && command[i-1] == "-addr" && arg == "127.0.0.1:0" {
			l, err := net.Listen("tcp", "127.0.0.1:0")
			if err != nil {
				return nil, "", err
			}
			addr := l.Addr().String()
			l.Close()
			changed := append([]string(nil), command...)
			changed[i] = addr
			return changed, addr, nil
		}
	}
	return command, "", nil
}

// bannerURL finds the address in a " * Running on" line.
func bannerURL(line string) (string, bool) {
	_, after, ok := strings.Cut(line, " * Running on ")
	return strings.TrimSpace(after), ok
}
