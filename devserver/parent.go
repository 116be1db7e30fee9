package devserver

import (
	"os"
	"path/filepath"
	"strings"
)

// startedByGoRun tells whether this program is the one go run built and
// started, and returns go run's temporary folder, which holds it. go run
// builds the program at $TMPDIR/go-build<number>/b001/exe/main, starts it,
// waits for it, and removes the folder when it ends.
//
// When go run is killed (kill -9, or the task manager), its program goes on
// running: nothing tells it. The front watches for that (see parentEnded)
// and then stops, as it does on Ctrl+C, so that it does not hold the port
// with nobody to stop it. A program started otherwise, such as a build run
// by hand, runs on when what started it ends, as any program does.
func startedByGoRun() (folder string, ok bool) {
	self, err := os.Executable()
	if err != nil {
		return "", false
	}
	exe := filepath.Dir(self)
	folder = filepath.Dir(filepath.Dir(exe))
	if filepath.Base(exe) != "exe" || !strings.HasPrefix(filepath.Base(folder), "go-build") {
		return "", false
	}
	return folder, true
}
