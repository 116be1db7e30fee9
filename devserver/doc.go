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
// inherit a listening socket.
//
// A request is answered by a build of the files as they are when it arrives,
// or a later one: each request looks at the files first (see
// fileWatch.look), and waits while they are newer than the build that
// answers. A save made during a build is seen at once: that build is
// stopped, and the next one starts.
//
// # The files
//
// What the learner's program uses, in every mode:
//
//	devserver.go  Run and Config: the banner, the port, the outer server, stopping
//	handler.go    the chain around the routes: style.css, the session, the form, the request line,
//	              and Flask's line for an error in a view
//	host.go       debug mode answers only requests that name this computer
//	panic.go      the debug page for a panic, as Werkzeug's debugger shows it
//	template.go   RenderTemplate, Flask's render_template
//	pages.go      every page a browser sees that the program did not make
//	secretkey.go  the rules for SECRET_KEY
//
// The reloader, in debug mode only:
//
//	reloader.go   the front: it holds the port, and requests wait there
//	watch.go      the file watch: which Go files changed since the last look
//	build.go      go build (internal/gobuild), with the flags go run used
//	child.go      the program as a child: start, handshake, stop
//	proxy.go      a request passed on to the child, as the browser sent it
//	terminal.go   the pipe that carries what the children print to the terminal
//	parent*.go    the front stops when go run is killed
//
// # The life of a save
//
// The learner saves main.go, then reloads the page. The save goes
// forward through these files:
//
//  1. watch.go: the watch looks every 50 ms, and each request looks too.
//     It sees the new stamp and counts a new version of the files. It
//     tells the builder, and the terminal says "Detected change".
//  2. reloader.go: the request for the page waits in the front's wait
//     room. It waits for the program built from that version.
//  3. build.go: the builder runs go build into a folder of its own. A
//     newer save stops it, and the next build starts.
//  4. child.go: the new program starts on a port of its own. Once it
//     listens, the front sends requests to it and stops the old one.
//  5. proxy.go: the waiting request goes on to the new program.
//  6. handler.go: in the program, the session and the form are read, and
//     the learner's view runs.
//  7. template.go: the view fills index.html with the session.
//  8. Package sessions saves the session, one way through its files: save in
//     session.go, encodeToFit in size.go (it calls encode in codec.go,
//     then measures), sign in codec.go. The Set-Cookie goes out before
//     the page. A change that cannot be saved gets response.go's page.
//  9. pages.go: when anything above fails, the page says what happened
//     and what to do: a compile error, a panic, a program that stopped.
//  10. terminal.go: what the program prints reaches the terminal through
//     the front's pipe, before the request's line.
package devserver
