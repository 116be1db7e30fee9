package devserver

import (
	"crypto/rand"
	"fmt"
	"strings"
	"unicode/utf8"
)

// minKeyLength is the shortest SECRET_KEY Run accepts, in characters. A
// key that short is still weak if it is a word or a phrase anyone could
// guess; the refusal shows a random one.
const minKeyLength = 16

// checkSecretKey refuses a SECRET_KEY that is too short or only spaces: with
// it, anyone who guesses the key can sign a cookie the app trusts. Flask
// takes any secret_key and says nothing; Django refuses an empty one, and
// its check command warns about one shorter than 50 characters. An empty
// key is not refused here: debug mode, or sessions.ErrNoSecretKey, deals
// with it.
//
// The refusal shows a key made on the spot, so that a learner needs no other
// tool: go run cannot run a command without a file, Python is not
// everywhere, and openssl, which it also names, is on macOS, Linux and in
// Git Bash, but not in PowerShell or the Command Prompt.
func checkSecretKey(key string) error {
	var problem string
	switch n := utf8.RuneCountInString(key); {
	case key == "":
		return nil
	case strings.TrimSpace(key) == "":
		problem = "SECRET_KEY holds only spaces, so it keeps nothing secret."
	case n < minKeyLength:
		problem = fmt.Sprintf("SECRET_KEY is too short: it has %d characters, and it needs at least %d.", n, minKeyLength)
	default:
		return nil
	}
	return fmt.Errorf("%s Anyone who guesses the key can sign cookies that this app trusts. "+
		"Use a long random key instead, such as this one, made just now:\n\n    %s\n\n"+
		"(openssl rand -hex 32 makes one too, on macOS, Linux and in Git Bash.) "+
		"Set SECRET_KEY to it as the README's \"The secret key\" shows, then run the app again", problem, rand.Text()+rand.Text())
}
