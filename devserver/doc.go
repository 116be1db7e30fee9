// Package devserver gives a Go web program what Flask and Werkzeug give a
// Flask app, so that main.go holds only what the lesson's main.py holds:
//
//	Flask                          Go
//	app.config['DEBUG'] = True     devserver.Config{Debug: true}
//	app.secret_key = '...'         devserver.Config{SecretKey: "..."}
//	render_template('index.html')  devserver.RenderTemplate(w, r, "index.html", nil)
//	app.run()                      devserver.Run(mux, config)
//
// Run starts the server as Werkzeug's development server does: the same
// banner, one line per request, the debug page for a panic and, in debug mode,
// a reloader that rebuilds and restarts the program when a .go file is saved.
//
// # The reloader
//
// The reloader is Werkzeug's "restarting with stat", for a program that must
// be compiled before it runs. In debug mode the process that `go run` started
// keeps the port and becomes the front: it runs the program a second time, as
// a child process on a port of its own, and passes every request on to it.
// When a .go file of the program changes, the front builds the program again,
// starts the new build, sends the next requests to it and stops the old one.
// The port stays open all along, so a reload during a build waits for the new
// page instead of failing. Werkzeug hands its socket down to the new process
// instead; the front passes requests on because Windows lets no child
// inherit a listening socket. The file watch is in watch.go; the child
// process, from start to stop, in child.go; the build in build.go, and its
// compile-error page, with every other page a browser sees, in pages.go;
// what the front changes in a request on its way, nothing that the program
// could tell, in proxy.go.
//
// A request is answered by a build of the files as they are when it arrives,
// or a later one: each request looks at the files first (see look), and
// waits while they are newer than the build that answers. A save made during
// a build is seen at once: that build is stopped, and the next one starts.
package devserver
