package sessions_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"

	"example.com/sessions"
)

// The examples show the Flask line each Go line mirrors.

func ExampleFrom() {
	sessionManager, _ := sessions.New(sessions.Config{SecretKey: "change me"}) // app.secret_key = 'change me'
	index := func(w http.ResponseWriter, r *http.Request) {
		session := sessions.From(r)                       // Flask's session object
		session["groceries"] = []string{}                 // session['groceries'] = []
		_, ok := session["groceries"]                     // 'groceries' in session
		fmt.Fprintln(w, ok, len(session))                 // print('groceries' in session, len(session))
		currentList, _ := session["groceries"].([]string) // current_list = session['groceries']
		session["groceries"] = append(currentList, "Milk")
	}
	w := httptest.NewRecorder()
	sessionManager.Middleware(http.HandlerFunc(index)).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	fmt.Print(w.Body.String())
	fmt.Println(strings.HasPrefix(w.Header().Get("Set-Cookie"), "session="))
	// Output:
	// true 1
	// true
}

func ExampleSession_Get() {
	session := sessions.Session{"groceries": []string{"Milk"}}
	fmt.Println(session.Get("groceries", nil)) // session.get('groceries')
	fmt.Println(session.Get("movies", "none")) // session.get('movies', 'none')
	fmt.Println(session.Pop("groceries", nil)) // session.pop('groceries', None)
	fmt.Println(len(session))
	// Output:
	// [Milk]
	// none
	// [Milk]
	// 0
}

func ExampleSession_CheckSize() {
	session := sessions.Session{"groceries": items(20)}
	fmt.Println(session.CheckSize())
	session["groceries"] = items(400)
	fmt.Println(session.CheckSize() != nil)
	// Output:
	// <nil>
	// true
}
