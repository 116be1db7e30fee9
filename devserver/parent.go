package devserver

import (
	"os"
	"path/filepath"
	"strings"
)

// startedByGoRun tells whether this program is the one go run built afresh
// and started, and returns go run's temporary folder, which holds it. go run
// builds the program at $TMPDIR/go-build<number>/b001/exe/main, starts it,
// waits for it, and removes the folder when it ends. (Go 1.24 and later run
// an unchanged program from the build cache instead, with no folder to
// remove.)
//
// When go run is killed (kill -9, or the task manager), its program goes on
// running: nothing tells it. The front watches for the end of the process
// that started it, however it was started (see parentEnded), and then stops
// as it does on Ctrl+C, so that it does not hold the port with nobody to
// stop it; when go run made a folder, it removes it too.
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
