package devserver

// The pages a browser sees that the program did not make: the error pages
// of the server, of a panic, of a template and of a build.

import (
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
)

// errorPage answers with a short plain-text page that starts with the status,
// as Werkzeug's error pages do, and says what happened.
func errorPage(w http.ResponseWriter, status int, text string) {
	http.Error(w, fmt.Sprintf("%d %s\n\n%s", status, http.StatusText(status), text), status)
}

// compileErrorPage shows what the compiler said and the lines around its
// first complaint, such as "./main.go:12:3: ...", from the files in dir.
func compileErrorPage(messages, dir string) string {
	page := "The program does not compile, so the server is waiting for your next save. go build says:\n\n" + messages + "\n"
	if at := regexp.MustCompile(`(?m)^(.+?\.go):(\d+)`).FindStringSubmatch(messages); at != nil {
		file := at[1]
		if !filepath.IsAbs(file) {
			file = filepath.Join(dir, file)
		}
		line, _ := strconv.Atoi(at[2])
		page += sourceAround(file, line)
	}
	return page + "\nFix it and save: the server builds the program again, and a reload of this page shows the result."
}

// sourceAround returns the lines of file around line, that one marked.
func sourceAround(file string, line int) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return ""
	}
	lines := strings.Split(string(data), "\n")
	var b strings.Builder
	fmt.Fprintf(&b, "\n%s, around line %d:\n\n", filepath.Base(file), line)
	for n := max(line-3, 1); n <= min(line+3, len(lines)); n++ {
		marker := "  "
		if n == line {
			marker = "> "
		}
		fmt.Fprintf(&b, "%s%4d | %s\n", marker, n, strings.TrimRight(lines[n-1], "\r"))
	}
	return b.String()
}
