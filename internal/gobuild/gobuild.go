// Package gobuild runs go build as go run main.go does, and finds the
// module a folder belongs to: the one place where the development server's
// reloader, the tests' harness (internal/program) and the grading command
// compile a program and look for go.mod.
//
// Flask has no build: Werkzeug's reloader starts Python again, and Python
// compiles each .py file as it imports it. A Go program is compiled first,
// so each of them runs go build, and each must stop it cleanly.
package gobuild

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"time"
)

// Build compiles mainFile (such as lesson/main.go) as go run main.go does:
// in its own folder, with flags, into out, and returns the program's path.
// On Windows that path ends in .exe, as Windows runs only such files.
//
// When mainFile does not compile, said is what the compiler said, without
// go build's "# command-line-arguments" line, which names no file a learner
// knows. When ctx ends, the build stops as Ctrl+C stops it in a terminal
// (see interrupt): the reloader stops a build that a newer save made
// useless, the grader one that takes too long.
func Build(ctx context.Context, mainFile, out string, flags ...string) (bin, said string, err error) {
	bin = out
	if runtime.GOOS == "windows" {
		bin += ".exe"
	}
	// go build keeps its work in a go-build folder of the temporary folder
	// and removes it when it ends, but not when a signal ends it (Go issue
	// 25808). So each build's go-build folder is put in one of ours, which
	// is removed however the build ends.
	work, err := os.MkdirTemp(os.Getenv("GOTMPDIR"), "go-build-")
	if err != nil {
		return "", "", err
	}
	defer os.RemoveAll(work)
	name := filepath.Base(mainFile)
	cmd := exec.CommandContext(ctx, "go", append(append([]string{"build", "-o", bin}, flags...), name)...)
	cmd.Dir = filepath.Dir(mainFile)
	cmd.Env = append(os.Environ(), "GOTMPDIR="+work, "GOGC="+buildGOGC)
	ownProcessGroup(cmd)
	cmd.Cancel = func() error { return interrupt(cmd) }
	cmd.WaitDelay = 10 * time.Second // then a tool that ignores the interrupt is left behind
	output, err := cmd.CombinedOutput()
	switch {
	case err == nil:
		return bin, "", nil
	case ctx.Err() != nil:
		return "", "", fmt.Errorf("go build %s in %s was stopped: %w", name, cmd.Dir, context.Cause(ctx))
	}
	return "", withoutPackageLines(string(output)), fmt.Errorf("go build %s in %s: %w", name, cmd.Dir, err)
}

// buildGOGC is the garbage collector's setting for go build and the
// compiler and linker it runs. A build of the lesson lasts well under a
// second, and most of it is the linker. The default (100) collects each
// time the heap doubles; 400 lets it grow five times first. The lesson's
// link then stops to collect less often: measured, a build takes about 5%
// less processor time, and its largest process peaks at 158 MB instead of
// 147 MB. Unlike GOGC=off, it still bounds a big build, such as the first
// one after a Go update, which compiles every package.
const buildGOGC = "400"

// packageLine is the line go build prints before a package's messages,
// such as "# command-line-arguments" for a main.go built by its name.
var packageLine = regexp.MustCompile(`(?m)^# .*\n`)

// withoutPackageLines returns what go build printed, without its package
// lines, and without blank lines around it.
func withoutPackageLines(output string) string {
	return strings.TrimSpace(packageLine.ReplaceAllString(output, ""))
}
