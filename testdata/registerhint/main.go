//go:build ignore

// This program stores a type of its own, declared in package main, in a
// session without registering it with gob. TestRegisterHintInMain runs it to
// check that the error spells the gob.Register call as a learner would paste
// it into main.go.
package main

import (
	"fmt"

	"example.com/sessions"
)

type Item struct{ Name string }

func main() {
	fmt.Println(sessions.Session{"cart": Item{"Milk"}}.CheckSize())
	fmt.Println(sessions.Session{"cart": &Item{"Milk"}}.CheckSize())
}
