//go:build ignore

// This program is the Flask repository's second page in Go, "Session
// Practice 2" (its buttons branch): buttons 0 to 9 add a digit to a string
// kept in the session, and Delete takes the last one off. It is for
// exploring, not a step of the lesson: go run buttons/main.go, then open
// http://127.0.0.1:5000.
package main

import (
	"fmt"
	"net/http"
	"os"

	"example.com/sessions"
	"example.com/sessions/devserver"
)

// main.py: app.config['DEBUG'] = True. Debug mode (error details in the
// browser, a restart when you save main.go) is on while SECRET_KEY is unset.
var debug = os.Getenv("SECRET_KEY") == ""

// main.py: app.secret_key = ... The key signs the session cookie. It comes
// from the SECRET_KEY environment variable, so it stays out of the code.
var secretKey = os.Getenv("SECRET_KEY")

// maxDigits is the longest output the page keeps, so that the session
// cookie never outgrows what a browser keeps (Flask's page has no limit).
const maxDigits = 40

// main.py: def index(), the page of buttons, for GET and POST.
func index(w http.ResponseWriter, r *http.Request) {
	session := sessions.From(r)
	message := ""
	if r.Method == http.MethodPost {
		output, _ := session["output"].(string) // none yet, or something else: start empty
		switch newNumber := r.PostFormValue("new_number"); {
		case newNumber == "delete" && output != "":
			output = output[:len(output)-1] // Python's output[:-1]
		case !isDigit(newNumber): // Delete on an empty output, or a form no button sends
		case len(output) < maxDigits:
			output += newNumber
		default:
			message = fmt.Sprintf("The output holds %d digits, the most this page keeps. Delete some first.", maxDigits)
		}
		session["output"] = output
	} else if _, ok := session["output"].(string); !ok {
		session["output"] = ""
	}
	// pressed gets the focus on the new page, as it had it on the old one.
	devserver.RenderTemplate(w, r, "buttons.html", map[string]any{"message": message, "pressed": r.PostFormValue("new_number")})
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

// isDigit reports whether a button's value is one of 0 to 9.
func isDigit(value string) bool {
	return len(value) == 1 && '0' <= value[0] && value[0] <= '9'
}
