//go:build ignore

// This program is the lesson's finished main.py in Go ("Try It! Flask
// Sessions", LCHS 23.6): go run main.go, then open http://127.0.0.1:5000.
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
	message := repairList(session) // "" unless a lesson experiment left something else in the cookie
	if r.Method == http.MethodPost {
		currentList, _ := session["groceries"].([]string) // none for a POST before any GET
		switch r.PostFormValue("submit_action") {
		case "add": // 23.6: read the item, title-case it, and add it once.
			newItem, problem := readItem(r.PostFormValue("new_item"))
			if problem != "" {
				message = problem
			} else if slices.Contains(currentList, newItem) {
				message = fmt.Sprintf("The list already contains '%s'.", newItem)
			} else {
				currentList = append(currentList, newItem)
				slices.Sort(currentList)
				session["groceries"] = currentList
				message = fmt.Sprintf("You just added '%s' to the list.", newItem)
				if (sessions.Session{"groceries": currentList}).CheckSize() != nil { // the list alone: a cookie holds about 4 KB
					session["groceries"] = slices.DeleteFunc(currentList, func(item string) bool { return item == newItem })
					message = fmt.Sprintf("The list is full: a session cookie holds about 4 KB. Remove some items before adding '%s'.", newItem)
				}
			}
		case "remove": // the finished code: drop every checked item
			checked := r.PostForm["del_items"]
			session["groceries"] = slices.DeleteFunc(currentList, func(item string) bool { return slices.Contains(checked, item) })
		}
	} else if _, ok := session["groceries"]; !ok { // 23.5.2: save an empty list, once
		session["groceries"] = []string{}
	}
	if removed := session.MakeRoom("groceries"); removed != nil { // another app's values filled the cookie
		message = strings.TrimSpace(fmt.Sprintf("The session cookie was too full for the list, so it no longer holds %s. %s", strings.Join(removed, ", "), message))
	}
	devserver.RenderTemplate(w, r, "index.html", map[string]any{"message": message})
}

// repairList starts a new list when the session holds something else under
// "groceries" (the starter shares this app's cookie), and says so.
func repairList(session sessions.Session) string {
	stored, found := session["groceries"]
	if _, ok := stored.([]string); ok || !found {
		return ""
	}
	session["groceries"] = []string{}
	return fmt.Sprintf("The list was saved as %T, not []string, so a new list was started.", stored)
}

// main.py: if __name__ == '__main__':
func main() {
	// main.py: @app.route('/', methods=['GET', 'POST'])
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
// it, or "". It drops what shows nothing (format characters such as a
// zero-width space, fillers, the blank braille pattern): look-alikes are one.
func readItem(text string) (newItem, problem string) {
	shown := strings.FieldsFunc(text, func(c rune) bool {
		return unicode.In(c, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) || c == '\u2800'
	})
	item := strings.TrimSpace(strings.Join(shown, ""))
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
