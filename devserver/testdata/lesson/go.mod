// This module is the test program as its own module, as the tests make it
// (see newLesson), so that go vet main.go can check it here.
module lesson

go 1.25.0

require (
	example.com/sessions v0.0.0
	github.com/gorilla/securecookie v1.1.2 // indirect
)

replace example.com/sessions => ../../..
