package sessions

// Encode is encode, the cookie's data for a session, for the tests of
// package sessions_test that sign data of their own.
var Encode = encode

// Nested is the mark encode writes before the entries of a map or a list of
// any inside a value, for the tests that forge one.
func Nested(typ string, entries int) any { return nested{Type: typ, Len: entries} }
