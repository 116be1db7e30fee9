package sessions

import (
	"bytes"
	"encoding/base64"
	"encoding/gob"
	"flag"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// peekCookie is for learners: point it at your own cookie's value.
var peekCookie = flag.String("cookie", "", "a session cookie value for TestPeekYourCookie to decode")

// TestPeekYourCookie prints what a session cookie holds. Copy the value of
// the "session" cookie from your browser's developer tools, then run
//
//	go test -run TestPeekYourCookie -v -args -cookie=PASTE_IT_HERE
func TestPeekYourCookie(t *testing.T) {
	if *peekCookie == "" {
		t.Skip("no -cookie value given; see the README, section See the cookie")
	}
	s, signed, err := Peek(strings.TrimPrefix(*peekCookie, "session="))
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("signed at %v", signed.Local().Format(time.RFC1123))
	for _, k := range slices.Sorted(maps.Keys(s)) {
		t.Logf("session[%q] = %#v", k, s[k])
	}
}

func TestPeekErrors(t *testing.T) {
	for name, v := range map[string]string{
		"not base64":  "%%%",
		"no parts":    base64.URLEncoding.EncodeToString([]byte("just text")),
		"bad stamp":   base64.URLEncoding.EncodeToString([]byte("soon|data|mac")),
		"bad data":    base64.URLEncoding.EncodeToString([]byte("1|!!|mac")),
		"bad payload": peekable("1", []byte{9, 9, 9}),
	} {
		if _, _, err := Peek(v); err == nil || !strings.HasPrefix(err.Error(), "sessions: ") {
			t.Errorf("%s: Peek gave %v", name, err)
		}
	}
}

// TestPeekSigningTime: the time Peek gives is the cookie's own timestamp, to
// the second, and a bad timestamp alone is enough for Peek to refuse it.
func TestPeekSigningTime(t *testing.T) {
	data, err := encode(Session{"groceries": []string{"Milk"}})
	if err != nil {
		t.Fatal(err)
	}
	s, signed, err := Peek(peekable("1764064800", data))
	if err != nil || !signed.Equal(time.Unix(1764064800, 0)) || fmt.Sprint(s["groceries"]) != "[Milk]" {
		t.Errorf("Peek gave %v signed at %v (%v); want [Milk] signed at %v", s, signed, err, time.Unix(1764064800, 0))
	}
	for _, stamp := range []string{"", "soon", "17640648OO", "1764064800.5"} {
		if _, _, err := Peek(peekable(stamp, data)); err == nil || !strings.Contains(err.Error(), "bad timestamp") {
			t.Errorf("timestamp %q with good data: Peek gave %v, want a bad timestamp error", stamp, err)
		}
	}
}

// TestPeekIsBounded: Peek reads unsigned cookies, students' among them
// (the check and the grader call it), so it has the signed path's limits: a
// value longer than any cookie of this layer (securecookie refuses such a
// value before it checks the signature) is refused before it is decoded,
// and a forged count inside costs nothing, as in signed data. The largest
// cookie the layer sends still reads.
func TestPeekIsBounded(t *testing.T) {
	var stream bytes.Buffer
	enc := gob.NewEncoder(&stream)
	for _, part := range []any{"k", "[]string", 1 << 26, "Milk"} { // a list claiming 2^26 items
		enc.Encode(part)
	}
	for _, tt := range []struct {
		name  string
		value string
		want  string
		limit uint64 // bytes Peek may allocate
	}{
		{"8 MB of data", peekable("1", bytes.Repeat([]byte("x"), 8<<20)), "longer than", 64 << 10},
		{"a list of text claiming 2^26 items", peekable("1", stream.Bytes()), "cannot be decoded", 1 << 20},
	} {
		var err error
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err = Peek(tt.value)
		runtime.ReadMemStats(&after)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Peek gave %v, want an error that says %q", tt.name, err, tt.want)
		}
		if allocated := after.TotalAlloc - before.TotalAlloc; allocated > tt.limit {
			t.Errorf("%s: Peek allocated %d KB, more than %d KB", tt.name, allocated>>10, tt.limit>>10)
		}
	}
	largest := Session{"k": ""}
	for n := 1; largest.CheckSize() == nil; n++ {
		largest["k"] = strings.Repeat("a", n)
	}
	largest["k"] = largest["k"].(string)[1:]
	data, _ := encode(largest)
	value := peekable(strconv.FormatInt(time.Now().Unix(), 10), data)
	if s, _, err := Peek(value); err != nil || s["k"] != largest["k"] || len(value) != MaxValueSize {
		t.Errorf("the largest cookie (%d bytes): Peek gave %v", len(value), err)
	}
}

// peekable lays out a cookie value as securecookie does,
// base64(timestamp|base64(data)|signature), with a signature that Peek never
// checks.
func peekable(stamp string, data []byte) string {
	signature := strings.Repeat("s", 32)
	return base64.URLEncoding.EncodeToString([]byte(stamp + "|" + base64.URLEncoding.EncodeToString(data) + "|" + signature))
}

func ExamplePeek() {
	// A cookie is signed, not encrypted: anyone can read it.
	sessionManager, _ := New(Config{SecretKey: "change me"})
	w := httptest.NewRecorder()
	sessionManager.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		From(r)["groceries"] = []string{"Bread", "Milk"}
	})).ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	value := w.Result().Cookies()[0].Value

	s, _, err := Peek(value)
	fmt.Println(s["groceries"], err)
	// Output: [Bread Milk] <nil>
}
