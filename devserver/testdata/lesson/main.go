//go:build ignore

// This program runs with devserver as the lesson's main.go does. The
// reloader's tests copy it, save it with another version, and read its
// pages: each names its version, its process, its build, and the two ends of
// the connection it came on, and index prints a line for each request, as fmt.Println does
// in step 23.5.3. Its other routes do what a learner's program may do:
// panic, stop, take its time, print a lot.
package main

import (
	"fmt"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/sessions/devserver"
	"lesson/words"
)

func index(w http.ResponseWriter, r *http.Request) {
	fmt.Println("index says version 1")
	exe, _ := os.Executable()
	at := r.Context().Value(http.LocalAddrContextKey)
	fmt.Fprintf(w, "version 1 pid=%d parent=%d exe=%s at=%s from=%s word=%s", os.Getpid(), os.Getppid(), exe, at, r.RemoteAddr, words.Word)
}

func main() {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("POST /{$}", index)
	mux.HandleFunc("GET /panic", func(w http.ResponseWriter, r *http.Request) {
		var groceries any
		_ = groceries.([]string)
	})
	mux.HandleFunc("GET /crash", func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("stopping now")
		os.Exit(3)
	})
	// /slow?ms=2000 answers after that long, and says in the terminal when
	// it begins.
	mux.HandleFunc("GET /slow", func(w http.ResponseWriter, r *http.Request) {
		ms, _ := strconv.Atoi(r.URL.Query().Get("ms"))
		fmt.Println("slow request begins")
		time.Sleep(time.Duration(ms) * time.Millisecond)
		fmt.Fprint(w, "slow request done")
	})
	// /print?bytes=1000000&line=2 prints that many bytes in lines of that
	// length (line break included), one write per line.
	mux.HandleFunc("GET /print", func(w http.ResponseWriter, r *http.Request) {
		total, _ := strconv.Atoi(r.URL.Query().Get("bytes"))
		length, _ := strconv.Atoi(r.URL.Query().Get("line"))
		line := strings.Repeat("x", max(length, 1)-1) + "\n"
		for printed := 0; printed < total; printed += len(line) {
			os.Stdout.WriteString(line)
		}
		fmt.Fprint(w, "printed")
	})
	devserver.Run(mux, devserver.Config{Debug: os.Getenv("SECRET_KEY") == "", SecretKey: os.Getenv("SECRET_KEY")})
}
