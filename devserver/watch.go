package devserver

// The file watch: the front looks at the program's Go files, when a request
// arrives and every watchInterval, and tells the builder when one changed.

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

const (
	// watchInterval is how often the front looks at the program's files,
	// between the looks that requests make. Werkzeug looks once a second; a
	// build that starts sooner is ready sooner.
	watchInterval = 50 * time.Millisecond
	// burstGap is the pause that ends a burst of saves: the terminal says
	// "Detected change" once per burst. A save that comes sooner after the
	// last one, while the program is still being rebuilt for it, is part of
	// the burst. Auto Save saves several times a second while the learner
	// types, and an editor may write a file in two parts; Werkzeug looks
	// once a second, so it never says it twice within a second.
	burstGap = time.Second
)

// look compares the program's files with what the last look saw. When one
// changed, it tells the builder, and says so in the terminal unless it is
// one more save of a burst. It returns the version of the files as they are
// now: a look that began after arrived has the answer, so requests that
// arrive together share one look.
func (f *front) look(arrived time.Time) int {
	f.looking.Lock()
	defer f.looking.Unlock()
	if f.lookedAt.After(arrived) {
		f.mu.Lock()
		defer f.mu.Unlock()
		return f.version
	}
	f.lookedAt = time.Now()
	f.looks++
	now := stamps(f.files)
	f.mu.Lock()
	changed := ""
	for _, file := range f.files {
		if now[file] != f.seen[file] {
			changed = file
			break
		}
	}
	reloading := f.served < f.version // for an earlier save
	if changed != "" {
		f.seen = now
		f.version++
		select {
		case f.changed <- struct{}{}:
		default: // the builder has been told already
		}
	}
	version := f.version
	f.mu.Unlock()
	if changed != "" {
		burst := reloading && f.lookedAt.Sub(f.saved) < f.burstGap
		f.saved = f.lookedAt
		if burst {
			return version
		}
		name, _ := filepath.Rel(filepath.Dir(f.mainFile), changed)
		fmt.Fprintf(f.terminal, " * Detected change in '%s', reloading\n", filepath.ToSlash(name))
	}
	return version
}

// watch looks at the files every watchInterval, so that a build starts as
// soon as a file is saved, before the browser asks.
func (f *front) watch() {
	for {
		select {
		case <-f.ctx.Done():
			return
		case <-time.After(watchInterval):
		}
		f.look(time.Now())
	}
}

// watchedFiles lists the program's own Go files: main.go, and the files of
// the packages of its module that it imports, which go list knows.
func watchedFiles(mainFile string) []string {
	files := []string{mainFile}
	args := append([]string{"list", "-deps", "-f",
		`{{if and .Module .Module.Main}}{{range .GoFiles}}{{$.Dir}}{{"\t"}}{{.}}{{"\n"}}{{end}}{{end}}`}, buildFlags()...)
	cmd := exec.Command("go", append(args, filepath.Base(mainFile))...)
	cmd.Dir = filepath.Dir(mainFile)
	out, err := cmd.Output()
	if err != nil {
		fmt.Fprintf(os.Stderr, " * Watching only %s: go list failed (%v)\n", filepath.Base(mainFile), err)
		return files
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if dir, name, ok := strings.Cut(line, "\t"); ok {
			files = append(files, filepath.Join(dir, name))
		}
	}
	return files
}

// stamp is what the watch compares: a file's modification time and size.
// The size tells apart two saves within the clock's resolution.
type stamp struct {
	modTime int64
	size    int64
}

// stamps returns the stamp of each file; a missing file has the zero stamp.
func stamps(files []string) map[string]stamp {
	now := make(map[string]stamp, len(files))
	for _, file := range files {
		if info, err := os.Stat(file); err == nil {
			now[file] = stamp{info.ModTime().UnixNano(), info.Size()}
		}
	}
	return now
}
