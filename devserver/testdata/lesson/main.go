//go:build ignore

// This program runs with devserver as the lesson's main.go does. The
// reloader's tests copy it, save it with another version, and read its
// pages: each names its version and its process, and index prints a line
// for each request, as fmt.Println does in step 23.5.3.
package main

import (
	"fmt"
	"net/http"
	"os"

	"example.com/sessions/devserver"
)

func index(w http.ResponseWriter, r *http.Request) {
	fmt.Println("index says version 1")
	fmt.Fprintf(w, "version 1 pid=%d parent=%d", os.Getpid(), os.Getppid())
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
	devserver.Run(mux, devserver.Config{Debug: os.Getenv("SECRET_KEY") == "", SecretKey: os.Getenv("SECRET_KEY")})
}
