package main

import (
	"crypto/sha256"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// hostGo is what this machine's Go says about itself: the Windows Go is
// cross-built from its GOROOT, and cached under its version.
type hostGo struct {
	goroot, version, host string
	tools                 []string // compile, link, vet...: what go.exe runs
}

func findHostGo() (hostGo, error) {
	var h hostGo
	out, err := exec.Command("go", "env", "GOROOT", "GOVERSION", "GOHOSTOS", "GOHOSTARCH").Output()
	if err != nil {
		return h, fmt.Errorf("go env: %v", err)
	}
	f := strings.Fields(string(out))
	if len(f) != 4 {
		return h, fmt.Errorf("go env printed %q", out)
	}
	h.goroot, h.version, h.host = f[0], f[1], f[2]+"_"+f[3]
	entries, err := os.ReadDir(filepath.Join(h.goroot, "pkg", "tool", h.host))
	if err != nil {
		return h, err
	}
	for _, e := range entries { // sorted by name, as ls lists them
		h.tools = append(h.tools, e.Name())
	}
	return h, nil
}

// recipe names how a toolchain was made: a new patch or a new set of tools
// makes a new cache entry, so a stale go.exe is never used.
func recipe(patch []byte, tools []string) string {
	sum := sha256.Sum256(append(append([]byte{}, patch...), strings.Join(tools, "\n")+"\n"...))
	return fmt.Sprintf("%x", sum)[:12]
}

// cacheDir is where toolchains are kept between runs: $XDG_CACHE_HOME or
// ~/.cache, as other tools keep theirs.
func cacheDir(xdgCache, home string) string {
	if xdgCache == "" {
		xdgCache = filepath.Join(home, ".cache")
	}
	return filepath.Join(xdgCache, "lesson-windows-go")
}

// toolchainDir is the cache entry for this Go version and recipe.
func toolchainDir(cache, version, recipe string) string {
	return filepath.Join(cache, version+"-windows-amd64-"+recipe)
}

// windowsGo gives the folder of a Windows Go (bin/go.exe): from the cache,
// or cross-built now from a patched copy of GOROOT and then cached.
func windowsGo(r *report, root string, h hostGo) (string, error) {
	patch, err := os.ReadFile(filepath.Join(root, ".ci/windows/deleteat.patch"))
	if err != nil {
		return "", err
	}
	cache := cacheDir(os.Getenv("XDG_CACHE_HOME"), os.Getenv("HOME"))
	toolchain := toolchainDir(cache, h.version, recipe(patch, h.tools))
	r.section(fmt.Sprintf("the Windows Go toolchain (%s), cross-built from %s", h.version, h.goroot))
	if _, err := os.Stat(filepath.Join(toolchain, "complete")); err == nil {
		r.ok("from the cache: " + toolchain)
		return toolchain, nil
	}
	if err := os.MkdirAll(cache, 0o755); err != nil {
		return "", err
	}
	staging, err := os.MkdirTemp(cache, "building.")
	if err != nil {
		return "", err
	}
	if err := crossBuild(r, root, staging, h); err != nil {
		os.RemoveAll(staging)
		return "", err
	}
	os.RemoveAll(toolchain)
	if err := os.Rename(staging, toolchain); err != nil {
		return "", err
	}
	r.ok(fmt.Sprintf("cross-built go.exe, gofmt.exe and %d tools (%s) into %s",
		len(h.tools), strings.Join(h.tools, " "), toolchain))
	return toolchain, nil
}

// crossBuild copies GOROOT into staging, patches it and builds the Windows
// tools there. The patch is needed because Wine 8.0 has no
// FileDispositionInformationEx, which os.RemoveAll uses: go build would fail
// now and then with "unlinkat ...: Invalid function."
func crossBuild(r *report, root, staging string, h hostGo) error {
	if err := run("", nil, "cp", "-a", h.goroot+"/.", staging+"/"); err != nil {
		return err
	}
	if err := run("", nil, "chmod", "-R", "u+w", staging); err != nil {
		return err
	}
	if err := run("", nil, "patch", "-d", staging, "-p1", "--forward", "--silent",
		"-i", filepath.Join(root, ".ci/windows/deleteat.patch")); err != nil {
		r.fail("deleteat.patch does not apply to " + h.version + "; remake it for this Go")
		return errStop
	}
	// -trimpath: go.exe then finds its GOROOT from where it is, not from
	// the Linux path it was built in.
	env := []string{"GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0", "GOTOOLCHAIN=local"}
	src, goBin := filepath.Join(staging, "src"), filepath.Join(staging, "bin", "go")
	cmds := []string{}
	for _, t := range h.tools {
		cmds = append(cmds, "cmd/"+t)
	}
	err := run(src, env, goBin, "build", "-trimpath", "-o", "../bin/", "cmd/go", "cmd/gofmt")
	if err == nil {
		err = run(src, env, goBin, append([]string{"build", "-trimpath", "-o", "../pkg/tool/windows_amd64/"}, cmds...)...)
	}
	if err != nil {
		r.fail("cross-build go.exe and its tools")
		return errStop
	}
	for _, p := range []string{"bin/go", "bin/gofmt", "pkg/tool/" + h.host} {
		if err := os.RemoveAll(filepath.Join(staging, p)); err != nil {
			return err
		}
	}
	return os.WriteFile(filepath.Join(staging, "complete"), nil, 0o644)
}

// errStop ends the step after a failure already reported: the parts after
// it cannot run without what failed.
var errStop = errors.New("stopped")

// run runs a command in dir with env added, its output shown as it comes.
func run(dir string, env []string, name string, args ...string) error {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr
	return cmd.Run()
}

// toolchain finds this machine's Go and gives the Windows Go made from it.
func (s *step) toolchain() (string, error) {
	h, err := findHostGo()
	if err != nil {
		return "", err
	}
	return windowsGo(s.r, s.root, h)
}
