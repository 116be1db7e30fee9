// Package words is a package of the lesson program's own module, which the
// program imports: a save of it is a change to the program, as a save of
// main.go is.
package words

// Word shows on the program's page.
const Word = "first"
