//go:build ignore

// This program is the lesson's finished main.py in Go ("Try It! Flask
// Sessions", LCHS 23.6): go run main.go, then open http://127.0.0.1:5000.
package main

import (
	"fmt"
	"maps"
	"net/http"
	"os"
	"slices"
	"strings"
	"time"
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
	repaired := repairList(session) // "" unless the cookie held a list this app cannot use
	message := ""
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
				if session.CheckSize() != nil { // a cookie holds about 4 KB
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
	devserver.RenderTemplate(w, r, "index.html", map[string]any{"message": strings.TrimSpace(repaired + " " + message)})
}

// repairList makes the list in session a list of text with room in the
// cookie, keeping all it can, and says what it changed. The starter shares
// this app's cookie, so a lesson experiment may have left anything there.
func repairList(session sessions.Session) (note string) {
	was := "" // what the list was saved as, when a new list replaces it
	switch stored := session["groceries"].(type) {
	case nil, []string: // none yet, or the list itself
	case string:
		session["groceries"] = []string{stored}
		note = fmt.Sprintf("The list was saved as text, so '%s' is now its one item.", stored)
	case []any:
		list := []string{}
		for _, item := range stored {
			if text, ok := item.(string); ok {
				list = append(list, text)
			}
		}
		session["groceries"] = list
		note = "The list was saved as a list of any values ([]any); it now holds the same items as a list of text."
		if len(list) < len(stored) {
			was = "a list of mixed values"
		}
	case bool:
		was = "true or false"
	case int, int64, float64:
		was = "a number"
	case []int, []int64, []float64:
		was = "a list of numbers"
	case time.Time:
		was = "a date and time"
	case map[string]any, map[string]string, map[string]int, map[string]bool, map[string]float64:
		was = "a dictionary"
	default:
		was = fmt.Sprintf("a Go %T", stored)
	}
	if was != "" {
		session["groceries"] = []string{}
		note = "The list was saved as " + was + ", not as a list of text, so a new list was started."
	}
	// Room for the list (or the empty one index stores when there is none):
	// the longest other values go first, until the session fits a cookie.
	withList := maps.Clone(session)
	withList["groceries"], _ = session["groceries"].([]string)
	others := slices.Sorted(maps.Keys(session))
	slices.SortStableFunc(others, func(a, b string) int { return len(fmt.Sprint(session[b])) - len(fmt.Sprint(session[a])) })
	for _, key := range others {
		if key != "groceries" && withList.CheckSize() != nil {
			delete(session, key)
			delete(withList, key)
			note += fmt.Sprintf(" The session was too full to hold the list, so '%s' was removed from it.", key)
		}
	}
	if withList.CheckSize() != nil { // the list alone is too large
		session["groceries"] = []string{}
		note += " That list was too large for a cookie, so a new list was started."
	}
	return strings.TrimSpace(note)
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

// readItem returns the new item as the list keeps it, title-cased and without
// the spaces around it, and what is wrong with it, or "". It removes what
// shows nothing, so that two items that look the same are one: format
// characters (a zero-width space, a right-to-left override), the others
// Unicode says to ignore (a Hangul filler, variation selectors), and the
// blank braille pattern. The cost: emoji joined by U+200D or styled by U+FE0F
// come apart (a family shows as its members, a red heart may turn black).
func readItem(text string) (newItem, problem string) {
	pieces := strings.FieldsFunc(text, func(c rune) bool {
		return unicode.In(c, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) || c == '\u2800'
	})
	item := strings.TrimSpace(strings.Join(pieces, ""))
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
