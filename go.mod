module example.com/sessions

go 1.25.0

require (
	github.com/gorilla/securecookie v1.1.2
	golang.org/x/net v0.58.0
)
