package devserver

// The file watch: the front looks at the program's Go files, when a request
// arrives and every watchInterval, and tells the builder when one changed.

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
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

// fileWatch is the front's watch of the program's Go files: what the last
// look saw, and how many changes the looks have found. Werkzeug's reloader
// keeps the same: the files, their times, and how often to look.
type fileWatch struct {
	dir      string        // the program's folder, from where the terminal names a file
	files    []string      // the program's Go files
	out      io.Writer     // the terminal
	burstGap time.Duration // burstGap, or another in tests
	served   func() int    // the version of the files the program answers for
	changed  chan struct{} // tells the builder that version moved (room for one)

	mu       sync.Mutex       // one look at a time; it guards the fields below
	lookedAt time.Time        // when the last look began
	saved    time.Time        // when the last look found a change
	seen     map[string]stamp // the files as the last look found them
	version  int              // how many changes the looks have found
}

// newFileWatch returns the watch of files, the Go files of the program in
// mainFile, as they are now. It writes its lines to out, and asks served
// which version the program answers for.
func newFileWatch(mainFile string, files []string, out io.Writer, served func() int) *fileWatch {
	return &fileWatch{
		dir:      filepath.Dir(mainFile),
		files:    files,
		out:      out,
		burstGap: burstGap,
		served:   served,
		changed:  make(chan struct{}, 1),
		seen:     stamps(files),
	}
}

// look compares the program's files with what the last look saw. When one
// changed, it tells the builder, and says so in the terminal unless it is
// one more save of a burst. It returns the version of the files as they are
// now: a look that began after arrived has the answer, so requests that
// arrive together share one look.
func (w *fileWatch) look(arrived time.Time) int {
	w.mu.Lock()
	defer w.mu.Unlock()
	if w.lookedAt.After(arrived) {
		return w.version
	}
	w.lookedAt = time.Now()
	now := stamps(w.files)
	changed := ""
	for _, file := range w.files {
		if now[file] != w.seen[file] {
			changed = file
			break
		}
	}
	if changed == "" {
		return w.version
	}
	reloading := w.served() < w.version // for an earlier save
	w.seen = now
	w.version++
	select {
	case w.changed <- struct{}{}:
	default: // the builder has been told already
	}
	burst := reloading && w.lookedAt.Sub(w.saved) < w.burstGap
	w.saved = w.lookedAt
	if !burst {
		name, _ := filepath.Rel(w.dir, changed)
		fmt.Fprintf(w.out, " * Detected change in '%s', reloading\n", filepath.ToSlash(name))
	}
	return w.version
}

// latest returns the version of the files as the last look found them.
func (w *fileWatch) latest() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.version
}

// run looks at the files every watchInterval until ctx ends, so that a
// build starts as soon as a file is saved, before the browser asks.
func (w *fileWatch) run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-time.After(watchInterval):
		}
		w.look(time.Now())
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
