module example.com/sessions/ci/bench

go 1.25.0

require (
	example.com/sessions v0.0.0
	github.com/gorilla/sessions v1.4.0
)

require github.com/gorilla/securecookie v1.1.2 // indirect

replace example.com/sessions => ../..
