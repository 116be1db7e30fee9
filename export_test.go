package sessions

// Encode is encode, the cookie's data for a session, for the tests of
// package sessions_test that sign data of their own.
var Encode = encode

// Mark is what encode writes before the entries of a list or a map inside
// a value: its form, then its count, for the tests that forge one.
type Mark struct {
	Form  string
	Count int
}
