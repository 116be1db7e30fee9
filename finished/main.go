//go:build ignore

// This program is the lesson's finished main.py in Go ("Try It! Flask
// Sessions", LCHS 23.6; the Flask repository's final-code branch): go run
// finished/main.go, then open http://127.0.0.1:5000.
package main

import (
	"fmt"
	"net/http"
	"os"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"example.com/sessions"
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
	session := sessions.From(r)
	message := ""
	if r.Method == http.MethodPost {
		currentList, _ := session["groceries"].([]string) // none yet, or something else: a new list
		if r.PostFormValue("submit_action") == "add" {
			newItem, problem := readItem(r.PostFormValue("new_item")) // title-cased, or what is wrong with it
			if problem != "" {
				message = problem
			} else if !slices.Contains(currentList, newItem) {
				currentList = append(currentList, newItem)
				message = fmt.Sprintf("You just added '%s' to the list.", newItem)
			} else {
				message = fmt.Sprintf("The list already contains '%s'.", newItem)
			}
		} else {
			checked := r.PostForm["del_items"]
			currentList = slices.DeleteFunc(currentList, func(item string) bool { return slices.Contains(checked, item) })
		}
		slices.Sort(currentList)
		session["groceries"] = currentList
	} else if _, ok := session["groceries"].([]string); !ok {
		session["groceries"] = []string{}
	}
	devserver.RenderTemplate(w, r, "index.html", map[string]any{"message": message})
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

// readItem returns the new item as the list keeps it, and what is wrong with
// it, or "".
func readItem(text string) (newItem, problem string) {
	item := strings.TrimSpace(visible(text))
	switch {
	case item == "":
		problem = "Please type an item before clicking Add Item."
	case !utf8.ValidString(item):
		problem = "That item is not valid text (UTF-8), so it was not added."
	case strings.ContainsFunc(item, unicode.IsControl):
		problem = "Items cannot contain control characters such as tabs or line breaks."
	case utf8.RuneCountInString(item) > 60: // as maxlength="60" on the page's input
		problem = fmt.Sprintf("Items can be at most 60 characters long; that one has %d.", utf8.RuneCountInString(item))
	}
	return title(item), problem
}

// visible returns text without the characters that show nothing (format
// characters such as a zero-width space, fillers, variation selectors, the
// blank braille pattern, the object replacement character), so that items
// that look the same are one. It keeps the two that shape an emoji: the
// joiner between two emoji (👩‍🍳, a cook) and the emoji selector after a
// symbol or before a keycap (❤️, 1️⃣). Flask keeps every character.
func visible(text string) string {
	var b strings.Builder
	var last rune // the last character kept
	for rest := text; rest != ""; {
		c, size := utf8.DecodeRuneInString(rest)
		char := rest[:size] // as typed, even a byte that is not UTF-8
		rest = rest[size:]
		next, _ := utf8.DecodeRuneInString(rest)
		hidden := unicode.In(c, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) || c == '\u2800' || c == '\ufffc'
		joins := c == '\u200d' && (isEmoji(last) || last == '\ufe0f') && isEmoji(next)
		selects := c == '\ufe0f' && (isEmoji(last) || next == '\u20e3')
		if !hidden || joins || selects {
			b.WriteString(char)
			last = c
		}
	}
	return b.String()
}

// isEmoji reports whether c is part of an emoji: a symbol (👩, ❤) or a skin tone (🏽).
func isEmoji(c rune) bool {
	return c != utf8.RuneError && (unicode.Is(unicode.So, c) || '\U0001f3fb' <= c && c <= '\U0001f3ff')
}
