package devserver

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"

	"example.com/sessions/internal/gobuild"
)

// buildState is what the builder keeps from one build to the next.
type buildState struct {
	// mu is held while a build is made and until it is started or
	// removed, so that the front does not end with a build left behind.
	mu    sync.Mutex
	count int // how many builds were made, to name the next one (used by the builder only)
}

// build compiles the program in mainFile, as `go run` would, into a folder
// of its own in the temporary folder, and returns the new program's path, or
// what the compiler said when it does not compile. Each build has a name of
// its own: on Windows the old program's file cannot be replaced while it
// runs. The build stops when ctx ends: when the front stops, or a newer save
// makes it useless. internal/gobuild runs go build, and stops it cleanly.
func (b *buildState) build(ctx context.Context, mainFile string) (binary, messages string) {
	b.count++
	dir, err := os.MkdirTemp("", fmt.Sprintf("%s%d-", buildPrefix, b.count))
	if err != nil {
		return "", err.Error()
	}
	binary, messages, err = gobuild.Build(ctx, mainFile, filepath.Join(dir, fmt.Sprintf("build-%d", b.count)), buildFlags()...)
	if err == nil {
		return binary, ""
	}
	os.RemoveAll(dir)
	if messages == "" {
		messages = err.Error()
	}
	return "", messages
}

// buildPrefix starts the name of each build's folder.
const buildPrefix = "devserver-"

// isBuild tells whether binary is one of the front's builds, in a folder of
// its own that build made, not the program go run built.
func isBuild(binary string) bool {
	dir := filepath.Dir(binary)
	return binary != "" && filepath.Dir(dir) == filepath.Clean(os.TempDir()) && strings.HasPrefix(filepath.Base(dir), buildPrefix)
}

// removeBuild removes a build made by build, and its folder, once its
// program has ended.
func removeBuild(binary string) {
	if isBuild(binary) {
		os.RemoveAll(filepath.Dir(binary))
	}
}

// buildFlags are the flags `go run` built this program with (-race, -tags,
// -gcflags...), read back from the program itself. With the same flags, go
// build finds every package in its cache and only compiles what changed;
// with other flags it compiles every package again, which takes many
// seconds. -ldflags=-s -w leaves out the debugger's tables: linking is most
// of a build, and this shortens it, while a panic still names file and line.
func buildFlags() []string {
	var flags []string
	ldflags := "-s -w"
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return []string{"-ldflags=" + ldflags}
	}
	for _, setting := range info.Settings {
		switch setting.Key {
		case "-race", "-msan", "-asan", "-trimpath":
			if setting.Value == "true" {
				flags = append(flags, setting.Key)
			}
		case "-buildmode", "-compiler", "-gcflags", "-tags":
			flags = append(flags, setting.Key+"="+setting.Value)
		case "-ldflags":
			ldflags = setting.Value + " " + ldflags
		}
	}
	return append(flags, "-ldflags="+ldflags)
}
