//go:build ignore

// This program is the lesson's starter main.py in Go ("Try It! Flask
// Sessions", LCHS 23.5), before any step: go run main.go, then open
// http://127.0.0.1:5000. The README beside it walks you through each step.
package main

import (
	"net/http"
	"os"
	"strings"
	"unicode"

	"example.com/sessions/devserver"
)

// main.py: app.config['DEBUG'] = True. Debug mode (error details in the
// browser, a restart when you save main.go) is on while SECRET_KEY is unset.
var debug = os.Getenv("SECRET_KEY") == ""

// main.py: app.secret_key = ... The key signs the session cookie. It comes
// from the SECRET_KEY environment variable, so it stays out of the code.
var secretKey = os.Getenv("SECRET_KEY")

// main.py: def index(), the lesson's one page, for GET and POST.
func index(w http.ResponseWriter, r *http.Request) {
	if r.Method == http.MethodPost {
		// pass
	} else {
		// pass
	}
	devserver.RenderTemplate(w, r, "index.html", nil)
}

// main.py: if __name__ == '__main__':
func main() {
	// main.py: app = Flask(__name__), and @app.route('/', methods=['GET', 'POST'])
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", index)
	mux.HandleFunc("POST /{$}", index)
	// main.py: app.run()
	devserver.Run(mux, devserver.Config{Debug: debug, SecretKey: secretKey})
}

// title capitalises s as Python's str.title() does, for step 23.6: a letter
// after a letter is lower case, any other upper case ("o'neil" -> "O'Neil").
func title(s string) string {
	var b strings.Builder
	afterLetter := false
	for _, c := range s {
		if afterLetter {
			b.WriteRune(unicode.ToLower(c))
		} else {
			b.WriteRune(unicode.ToTitle(c))
		}
		afterLetter = unicode.IsUpper(c) || unicode.IsLower(c) || unicode.IsTitle(c)
	}
	return b.String()
}
