package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Debian's wine64 package puts no "wine" command on PATH.
const (
	wineBin    = "/usr/lib/wine/wine64"
	wineServer = "/usr/lib/wine/wineserver64"
)

// install gets Wine 8.0, MinGW-w64 and patch from Debian, skipping what is
// present, so that the step runs on a fresh CI machine. (The bash step also
// needed curl; this program asks for pages with net/http.)
func install(r *report) error {
	r.section("install Wine 8.0, MinGW-w64 and patch (skipping what is present)")
	var need []string
	if _, err := os.Stat(wineBin); err != nil {
		need = append(need, "wine64")
	}
	for _, c := range [][2]string{ // a command, and the package that has it
		{"x86_64-w64-mingw32-gcc", "gcc-mingw-w64-x86-64-posix"}, {"patch", "patch"},
	} {
		if _, err := exec.LookPath(c[0]); err != nil {
			need = append(need, c[1])
		}
	}
	if len(need) == 0 {
		return nil
	}
	fmt.Printf("installing %s\n", strings.Join(need, " "))
	env := []string{"DEBIAN_FRONTEND=noninteractive"}
	if err := run("", env, "apt-get", "update", "-qq"); err != nil {
		return err
	}
	args := append([]string{"install", "-y", "-qq", "--no-install-recommends"}, need...)
	cmd := exec.Command("apt-get", args...)
	cmd.Env, cmd.Stderr = append(os.Environ(), env...), os.Stderr
	return cmd.Run()
}

// wineEnv is every Wine process's environment: a prefix of the step's own,
// no debug lines, and no offer to install .NET or a browser engine.
func wineEnv(prefix string) []string {
	return []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml="}
}

// bootWine sets up the prefix in the background (about 10 s), so that Go
// builds meanwhile; wait on the answer.
func bootWine(work string) <-chan error {
	done := make(chan error, 1)
	go func() {
		output, err := os.Create(filepath.Join(work, "wineboot.log"))
		if err != nil {
			done <- err
			return
		}
		defer output.Close()
		cmd := exec.Command(wineBin, "wineboot", "--init")
		cmd.Stdout, cmd.Stderr = output, output
		done <- cmd.Run()
	}()
	return done
}

// prefixReady waits for wineboot, then builds the ProcessPrng stand-in into
// system32: Go 1.24 and later need ProcessPrng from bcryptprimitives.dll,
// which Wine 8.0 lacks, and every Go program stops at start-up without it.
func prefixReady(r *report, root, work string, booted <-chan error) error {
	r.section("a Wine prefix of its own, with the ProcessPrng stand-in")
	if err := <-booted; err != nil {
		output, _ := os.ReadFile(filepath.Join(work, "wineboot.log"))
		r.fail("wine wineboot --init", string(output))
		return errStop
	}
	dll := filepath.Join(os.Getenv("WINEPREFIX"), "drive_c/windows/system32/bcryptprimitives.dll")
	if err := run("", nil, "x86_64-w64-mingw32-gcc", "-shared", "-O2", "-Wall", "-s", "-o", dll,
		filepath.Join(root, ".ci/windows/processprng.c"), "-lbcrypt"); err != nil {
		r.fail("build the ProcessPrng stand-in")
		return errStop
	}
	version, _ := exec.Command(wineBin, "--version").Output()
	r.ok(strings.TrimSpace(string(version)) + " prefix ready; ProcessPrng stand-in in system32")
	return nil
}

// winpath is path as Windows programs under Wine see it: drive Z: is /.
func winpath(path string) string {
	return "Z:" + strings.ReplaceAll(path, "/", `\`)
}

// learnerEnv puts the learner's go.exe on PATH. It takes
// gorilla/securecookie from this machine's module cache (no network), and
// keeps its build cache beside the toolchain.
func learnerEnv(toolchain, modcache string) []string {
	return []string{
		"WINEPATH=" + winpath(filepath.Join(toolchain, "bin")),
		"GOMODCACHE=" + winpath(modcache), "GOPROXY=off", "GOTOOLCHAIN=local",
		"GOCACHE=" + winpath(toolchain+"-cache"),
	}
}

// goVersion checks that go.exe starts under Wine and is a Windows Go.
func goVersion(r *report, work string, env []string) error {
	cmd := exec.Command(wineBin, "go", "version")
	cmd.Env = append(os.Environ(), env...)
	out, err := runToFile(cmd, filepath.Join(work, "go-version.log"))
	version := strings.TrimRight(string(out), "\n")
	if err != nil || !strings.Contains(version, "windows/amd64") {
		r.fail("go version under Wine", version)
		return errStop
	}
	r.ok("go version under Wine: " + version)
	return nil
}

// countOf counts the processes of programs whose name holds name (app.exe,
// go.exe, build-) in this step's Wine prefix. Each Windows process is a
// Linux process of Wine's whose command line names its program. (Wine 8.0's
// tasklist lists nothing.)
func countOf(prefix, name string) int {
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	n := 0
	for _, dir := range dirs {
		cmdline, err1 := os.ReadFile(dir + "/cmdline")
		environ, err2 := os.ReadFile(dir + "/environ")
		exe, err3 := os.Readlink(dir + "/exe")
		if err1 == nil && err2 == nil && err3 == nil && isWineProgram(cmdline, environ, exe, name, prefix) {
			n++
		}
	}
	return n
}

// isWineProgram says whether a process, from its /proc files, is a program
// named name in the Wine prefix. The terminal made by script names the
// program too, but is no Wine program: its exe is not under /wine/.
func isWineProgram(cmdline, environ []byte, exe, name, prefix string) bool {
	if !strings.Contains(string(bytes.ReplaceAll(cmdline, []byte{0}, []byte{' '})), name) {
		return false
	}
	if !strings.Contains(exe, "/wine/") {
		return false
	}
	for _, v := range bytes.Split(environ, []byte{0}) {
		if string(v) == "WINEPREFIX="+prefix {
			return true
		}
	}
	return false
}

// noneLeft waits up to 5 s for every process of those programs to end.
func noneLeft(prefix string, names ...string) bool {
	for range 25 {
		n := 0
		for _, name := range names {
			n += countOf(prefix, name)
		}
		if n == 0 {
			return true
		}
		time.Sleep(200 * time.Millisecond)
	}
	return false
}

// stopWine ends every Wine process of the prefix, and waits for them.
func stopWine() {
	exec.Command(wineServer, "-k").Run()
	exec.Command(wineServer, "-w").Run()
}

// learnerGo sets the learner's environment around the Windows Go in
// toolchain, with the modules go.mod needs already downloaded, and checks
// that go.exe runs.
func (s *step) learnerGo(toolchain string) error {
	if err := run(s.root, nil, "go", "mod", "download"); err != nil {
		return err
	}
	modcache, err := exec.Command("go", "env", "GOMODCACHE").Output()
	if err != nil {
		return err
	}
	s.learner = learnerEnv(toolchain, strings.TrimSpace(string(modcache)))
	return goVersion(s.r, s.work, s.learner)
}
