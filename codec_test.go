package sessions_test

import (
	"bytes"
	"encoding/gob"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"
	"time"

	"example.com/sessions"
	"example.com/sessions/internal/testenv"
)

// Point is a type of the app's own: gob must be told about it once.
type Point struct{ X, Y int }

// Celsius is not registered with gob.
type Celsius float64

type secret struct{ Code string }

// Basket is a map type of the app's own, not registered with gob.
type Basket map[string]int

// Colour is a text type of the app's own, not registered with gob.
type Colour string

// hidden is registered, but gob cannot encode it: it has no exported field.
type hidden struct{ code string }

func init() {
	gob.Register(Point{})
	gob.Register(hidden{})
}

// TestValueTypes checks that values come back with the type they went in
// with, as Flask's test_session_special_types does for its tagged JSON; a nil
// too, at the top, in a dictionary and in a list.
func TestValueTypes(t *testing.T) {
	when := time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)
	stored := sessions.Session{
		"string": "Milk", "list": []string{"Bread", "Milk"}, "int": 3, "bool": true, "float": 2.5,
		"ints": []int{1, 2}, "int64": int64(1) << 40, "bytes": []byte{0xff, 0}, "labels": map[string]string{"a": "b"},
		"counts": map[string]int{"a": 1}, "time": when, "nested": map[string]any{"list": []any{"x", 1, nil}, "none": nil},
		"uint8": uint8(7), "nil": nil, "point": Point{X: 1, Y: 2}, "empty list": []string{}, "empty map": map[string]int{},
		"flags": map[string]bool{"organic": true}, "prices": map[string]float64{"Milk": 1.25}, // no gob.Register of ours
	}
	m, _ := newManager(t, sessions.Config{})
	var loaded sessions.Session
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if r.URL.Path == "/store" {
			for k, v := range stored {
				s[k] = v
			}
			return
		}
		loaded = s
	})
	b.get("/store")
	b.get("/load")
	for k, want := range stored {
		got := loaded[k]
		if k == "time" {
			if !got.(time.Time).Equal(when) {
				t.Errorf("%s: got %v, want %v", k, got, want)
			}
			continue
		}
		if !reflect.DeepEqual(got, want) || reflect.TypeOf(got) != reflect.TypeOf(want) {
			t.Errorf("%s: got %#v (%T), want %#v (%T)", k, got, got, want, want)
		}
	}
}

func TestEncodeErrors(t *testing.T) {
	tests := []struct {
		name  string
		value any
		want  []string
	}{
		{"unregistered struct", secret{"x"}, []string{`session["k"]`, "sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"unregistered pointer", &secret{"x"}, []string{"*sessions_test.secret", "gob.Register(&sessions_test.secret{})"}},
		{"unregistered number", Celsius(21.5), []string{"sessions_test.Celsius", "gob.Register(sessions_test.Celsius(0))"}},
		{"unregistered number's pointer", new(Celsius), []string{"*sessions_test.Celsius", "gob.Register(new(sessions_test.Celsius))"}},
		{"unregistered map type", Basket{"Milk": 2}, []string{"sessions_test.Basket", "gob.Register(sessions_test.Basket{})"}},
		{"unregistered text type", Colour("red"), []string{"sessions_test.Colour", `gob.Register(sessions_test.Colour(""))`}},
		{"registered, no exported field", hidden{"x"}, []string{"sessions_test.hidden", "no exported fields", "Store plain data"}},
		{"inside a dictionary", map[string]any{"n": 1, "s": secret{"x"}}, []string{"type sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"inside a list", []any{1, []any{secret{"x"}}}, []string{"type sessions_test.secret", "gob.Register(sessions_test.secret{})"}},
		{"channel", make(chan int), []string{"chan int", "Store plain data"}},
		{"function", func() {}, []string{"func()", "Store plain data"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := sessions.Session{"k": tt.value, "fine": "yes"}.CheckSize()
			var encErr *sessions.EncodeError
			if !errors.As(err, &encErr) || encErr.Key != "k" {
				t.Fatalf("CheckSize: %v, want an *EncodeError for key k", err)
			}
			if inner := errors.Unwrap(encErr); inner == nil || !strings.HasPrefix(inner.Error(), "gob: ") {
				t.Errorf("Unwrap gives %v, want encoding/gob's own error", inner)
			}
			for _, want := range tt.want {
				if !strings.Contains(err.Error(), want) {
					t.Errorf("%q does not mention %q", err, want)
				}
			}
		})
	}
}

// TestUnencodableAtSave: a handler that stores what gob cannot encode gets a
// 500, the program's mistake, that names the fix; the browser keeps its
// cookie. A browser gets it as an HTML page.
func TestUnencodableAtSave(t *testing.T) {
	m, logs := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		if r.URL.Path == "/bad" {
			s["when"] = secret{"x"}
		} else {
			s["ok"] = 1
		}
		fmt.Fprint(w, "page")
	})
	b.get("/ok")
	before := b.cookie
	resp, body, c := b.get("/bad")
	if resp.StatusCode != http.StatusInternalServerError || c != nil {
		t.Fatalf("status %d, Set-Cookie %v; want 500 and no cookie", resp.StatusCode, c != nil)
	}
	for _, want := range []string{"gob.Register(sessions_test.secret{})", `session["when"]`} {
		if !strings.Contains(body, want) {
			t.Errorf("the page %q does not mention %q", body, want)
		}
	}
	if !strings.Contains(logs.String(), "gob.Register(sessions_test.secret{})") {
		t.Errorf("the log %q does not name the fix", logs)
	}
	if strings.Contains(body, "page") {
		t.Error("the handler's own body was sent with the 500")
	}
	r := httptest.NewRequest(http.MethodGet, "/bad", nil)
	r.Header.Set("Accept", "text/html")
	if resp, body, _ := b.send(r); resp.StatusCode != http.StatusInternalServerError ||
		!strings.Contains(body, "<title>The session could not be saved</title>") || !strings.Contains(body, "gob.Register(sessions_test.secret{})") {
		t.Errorf("asked for HTML: %d %q", resp.StatusCode, body)
	}
	if b.cookie != before {
		t.Error("the browser's cookie changed")
	}
}

// TestRegisterHintInMain: for a type declared in package main, the error
// gives the gob.Register call as a learner pastes it into main.go.
func TestRegisterHintInMain(t *testing.T) {
	testenv.NeedsPrograms(t)
	cmd := exec.Command("go", "run", filepath.Join("testdata", "registerhint", "main.go"))
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go run: %v\n%s", err, out)
	}
	for _, want := range []string{`session["cart"]`, "gob.Register(Item{})", "gob.Register(&Item{})", `add "encoding/gob" to the imports`} {
		if !strings.Contains(string(out), want) {
			t.Errorf("the error %q does not say %q", out, want)
		}
	}
	if strings.Contains(string(out), "Register(main.") || strings.Contains(string(out), "Register(&main.") {
		t.Errorf("the error %q spells the type main.Item, which does not compile inside package main", out)
	}
}

// TestEncodersKeepNothing: an encoder that wrote only gob's basic types is
// used again for the next session, so one that wrote any other type must
// not be: its next stream would lack the type's description, and the
// cookie could not be read. Sessions with times and structs, between
// sessions of text, come back each time.
func TestEncodersKeepNothing(t *testing.T) {
	m, _ := newManager(t, sessions.Config{})
	when := time.Date(2026, 12, 7, 14, 0, 0, 0, time.UTC)
	for i := range 4 {
		for _, stored := range []sessions.Session{
			{"groceries": []string{"Milk"}, "n": i},
			{"when": when, "point": Point{X: i, Y: 2}, "n": i},
		} {
			var loaded sessions.Session
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/store" {
					maps.Copy(sessions.From(r), stored)
				} else {
					loaded = sessions.From(r)
				}
			})
			b.get("/store")
			if b.get("/"); !reflect.DeepEqual(loaded, stored) {
				t.Fatalf("round %d: stored %v, read back %v", i, stored, loaded)
			}
		}
	}
}

// TestSameSessionSameCookie: a session makes the same cookie data whatever
// order its keys were stored in, since its entries, and those of the maps
// inside it, travel sorted by key (gob writes a map's entries in Go's random
// map order).
func TestSameSessionSameCookie(t *testing.T) {
	s := sessions.Session{}
	nested, counts := map[string]any{}, map[string]int{}
	for i := range 10 {
		s[fmt.Sprint("key ", i)] = i
		nested[fmt.Sprint("key ", i)] = []any{i}
		counts[fmt.Sprint("key ", i)] = i
	}
	s["nested"], s["counts"] = nested, counts
	var first string
	for try := range 5 {
		m, _ := newManager(t, sessions.Config{})
		b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { maps.Copy(sessions.From(r), s) })
		_, _, c := b.get("/")
		value := resign(t, c.Value, testKey, 0, nil) // the same timestamp: only the data can differ
		if try == 0 {
			first = value
		} else if value != first {
			t.Fatalf("the same session made two different cookies:\n%s\n%s", first, value)
		}
	}
}

// hugeMap returns the gob stream of a map holding one entry, "Milk": 1,
// whose count of entries says 2^26 instead of 1: what a forger holding the
// secret key could send.
func hugeMap(t *testing.T) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(map[string]any{"Milk": 1}); err != nil {
		t.Fatal(err)
	}
	// A gob stream is a series of messages, each after its length in bytes
	// (here under 128, which takes one byte). The map is the last one: its
	// count (1) comes just before the first key ("Milk", 4 bytes long).
	stream, start := b.Bytes(), 0
	for start+1+int(stream[start]) < len(stream) {
		start += 1 + int(stream[start])
	}
	value := stream[start+1:]
	if stream[start] >= 128 || !bytes.Contains(value, []byte("\x01\x04Milk")) {
		t.Fatalf("unexpected gob stream %q", stream)
	}
	// gob writes 2^26 as -4 (four bytes follow), then 04 00 00 00.
	value = bytes.Replace(value, []byte("\x01\x04Milk"), []byte("\xfc\x04\x00\x00\x00\x04Milk"), 1)
	return append(append(stream[:start:start], byte(len(value))), value...)
}

// allocatedBy returns the bytes the program allocated while f ran.
func allocatedBy(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}

// key is a part of forgedData sent as a key, the way gob sends a string.
type key string

// forgedData writes parts as the session layer writes a cookie's data: a key
// as a string, a sessions.Mark as its form and count, anything else as a
// value of any form. With marks placed by hand, it is what a forger holding
// the secret key could send.
func forgedData(t *testing.T, parts ...any) []byte {
	t.Helper()
	var b bytes.Buffer
	enc := gob.NewEncoder(&b)
	for _, part := range parts {
		var err error
		switch p := part.(type) {
		case key:
			err = enc.Encode(string(p))
		case sessions.Mark:
			enc.Encode(p.Form)
			err = enc.Encode(p.Count)
		default:
			enc.Encode("")
			err = enc.Encode(&part)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	return b.Bytes()
}

// claimMillions changes the count of the list or map that ends data, whose
// first entry is "Milk", to 2^26 instead of 1.
func claimMillions(t *testing.T, data []byte) []byte {
	t.Helper()
	// The list or map is in the last message: after the message's length
	// come its type, the value's length in bytes, 0, then the count (1) and
	// "Milk" after its length (4).
	last := 0
	for last+1+int(data[last]) < len(data) {
		last += 1 + int(data[last])
	}
	i := bytes.LastIndex(data, []byte("\x00\x01\x04Milk"))
	if last+1+int(data[last]) != len(data) || data[last] >= 128-4 || i < last+2 {
		t.Fatalf("unexpected gob stream %q", data)
	}
	// gob writes 2^26 as -4 (four bytes follow), then 04 00 00 00: four bytes
	// more, so the message's length and the value's length grow by 4.
	forged := bytes.Clone(data[:i])
	forged = append(forged, "\x00\xfc\x04\x00\x00\x00\x04Milk"...)
	forged = append(forged, data[i+len("\x00\x01\x04Milk"):]...)
	forged[last] += 4
	forged[i-1] += 4
	return forged
}

// gobsOwnMap is the data of a session whose value is a map as gob itself
// sends one, map[string]interface {}, claiming 2^26 entries: what a forger
// could send if the session layer had told gob about that type, or an app
// did. gob is told about a map type of the same shape under another name of
// the same length, and the stream then names the real type.
func gobsOwnMap(t *testing.T) []byte {
	type tally map[string]any
	gob.RegisterName("sessions_test.tally_map", tally{})
	data := forgedData(t, key("k"), tally{"Milk": 1})
	data = bytes.Replace(data, []byte("sessions_test.tally_map"), []byte("map[string]interface {}"), 1)
	return claimMillions(t, data)
}

// TestForgedCountsAreRefused: no count in a signed cookie can make one
// request use more than about 10 MB. gob makes room for as many entries as a
// map's count claims before it reads one (Go issue 79539): a session sent as
// a map let a stream of under 40 bytes claiming 2^26 entries allocate about
// 5 GB, and a map nested in a value, 99 bytes, 3.4 GB. A session now travels
// key by key, and a map or a list of any inside it entry by entry after a
// mark whose count no one trusts: the entries are added as they arrive. What
// gob still makes room for is bounded by gob: 10 MB for a message or a list
// of text, and such lists do not nest. A cookie in a previous form, a map, is
// refused like any data that cannot be decoded.
func TestForgedCountsAreRefused(t *testing.T) {
	good := goodCookie(t, testKey)
	now := time.Now().Unix()
	var previousForm bytes.Buffer
	gob.NewEncoder(&previousForm).Encode(map[string]any{"groceries": []string{"Milk"}})
	lists := []any{key("k")}
	for range 40 { // as many as a cookie holds
		lists = append(lists, sessions.Mark{Form: "[]interface {}", Count: 1 << 62})
	}
	for _, tt := range []struct {
		name  string
		data  []byte
		limit uint64 // bytes the request may allocate
	}{
		{"a session in the previous form, a map", previousForm.Bytes(), 1 << 20},
		{"a map claiming 2^26 entries", hugeMap(t), 4 << 20},
		{"a message claiming 1 GB", []byte("\xfc\x40\x00\x00\x00key"), 16 << 20}, // 2^30, as gob writes it
		{"a map in a value claiming 2^26 entries",
			forgedData(t, key("k"), sessions.Mark{Form: "map[string]interface {}", Count: 1 << 26}, key("Milk"), 1), 1 << 20},
		{"a map of numbers in a value claiming 2^26 entries",
			forgedData(t, key("k"), sessions.Mark{Form: "map[string]int", Count: 1 << 26}, key("Milk"), 1), 1 << 20},
		{"a list of text in a value claiming 2^26 items",
			forgedData(t, key("k"), sessions.Mark{Form: "[]string", Count: 1 << 26}, key("Milk")), 1 << 20},
		{"a list in a value claiming 2^26 items", forgedData(t, key("k"), sessions.Mark{Form: "[]interface {}", Count: 1 << 26}, "Milk"), 1 << 20},
		{"a map in a value as gob sends it, claiming 2^26 entries", gobsOwnMap(t), 1 << 20},
		{"a list of text claiming 2^26 items", claimMillions(t, forgedData(t, key("k"), []string{"Milk"})), 16 << 20},
		{"40 lists in lists, each claiming 2^62 items, then a list of text claiming 2^26",
			claimMillions(t, forgedData(t, append(lists, []string{"Milk"})...)), 16 << 20},
	} {
		t.Run(tt.name, func(t *testing.T) {
			m, logs := newManager(t, sessions.Config{})
			b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, len(sessions.From(r))) })
			b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, tt.data)}
			var body string
			allocated := allocatedBy(func() { _, body, _ = b.get("/") })
			if body != "0" || strings.Count(logs.String(), "\n") != 1 || !strings.Contains(logs.String(), "cannot be decoded") {
				t.Errorf("the view saw %s keys, log %q; want an empty session and one line saying why", body, logs)
			}
			if allocated > tt.limit {
				t.Errorf("%d bytes of signed data made the request allocate %d MB, more than %d MB", len(tt.data), allocated>>20, tt.limit>>20)
			}
			t.Logf("%d bytes of data: %.2f MB allocated", len(tt.data), float64(allocated)/(1<<20))
		})
	}
}

// TestDamagedSignedDataNeverPanics: no cookie makes the session layer panic,
// even one signed with the secret key whose data is damaged: cut short at
// every byte, or with any one bit flipped. The view always runs, with the
// session decoded or with an empty one, and no request allocates more than
// the bound encode states (about 10 MB).
func TestDamagedSignedDataNeverPanics(t *testing.T) {
	good := goodCookie(t, testKey)
	now := time.Now().Unix()
	data := gobOf(sessions.Session{
		"groceries": []string{"Bread", "Milk"}, "n": 3, "when": time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		"nested": map[string]any{"list": []any{"x", 1.5}}, "flags": map[string]bool{"organic": true},
		"point": Point{1, 2}, "_permanent": true,
	})
	var damaged [][]byte
	for n := range data {
		damaged = append(damaged, data[:n])
	}
	for i := range data {
		for bit := range 8 {
			d := bytes.Clone(data)
			d[i] ^= 1 << bit
			damaged = append(damaged, d)
		}
	}
	m, _ := newManager(t, sessions.Config{})
	b := newBrowser(t, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["visits"] = s.Get("visits", 0) // a change, so the session is saved again too
		fmt.Fprint(w, "page")
	})
	var most uint64
	for i, d := range damaged {
		b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, d)}
		var resp *http.Response
		var body string
		allocated := allocatedBy(func() { resp, body, _ = b.get("/") })
		most = max(most, allocated)
		if resp.StatusCode != http.StatusOK || body != "page" {
			t.Fatalf("damaged data %d (%q): status %d, %q", i, d, resp.StatusCode, body)
		}
		if allocated > 16<<20 {
			t.Errorf("damaged data %d (%q) made the request allocate %d MB", i, d, allocated>>20)
		}
	}
	t.Logf("%d damaged cookies; the most one allocated: %.2f MB", len(damaged), float64(most)/(1<<20))
}

// FuzzSignedData: whatever data a cookie signed with the secret key holds,
// the view runs, and the request allocates no more than the bound encode
// states (about 10 MB). Run it with
//
//	go test -run '^$' -fuzz FuzzSignedData -parallel 1
func FuzzSignedData(f *testing.F) {
	f.Add(gobOf(sessions.Session{
		"groceries": []string{"Bread", "Milk"}, "n": 3, "when": time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC),
		"nested": map[string]any{"list": []any{"x", 1.5, map[string]int{"a": 1}}}, "flags": map[string]bool{"organic": true},
		"point": Point{1, 2}, "labels": map[string]string{"a": "b"}, "prices": map[string]float64{"Milk": 1.25},
	}))
	f.Add([]byte{})
	good := goodCookie(f, testKey)
	now := time.Now().Unix()
	m, _ := newManager(f, sessions.Config{})
	b := newBrowser(f, m, func(w http.ResponseWriter, r *http.Request) {
		s := sessions.From(r)
		s["visits"] = s.Get("visits", 0) // a change, so the session is saved again too
		fmt.Fprint(w, "page")
	})
	f.Fuzz(func(t *testing.T, data []byte) {
		b.t = t
		b.cookie = &http.Cookie{Name: "session", Value: resign(t, good, testKey, now, data)}
		var resp *http.Response
		var body string
		allocated := allocatedBy(func() { resp, body, _ = b.get("/") })
		if resp.StatusCode != http.StatusOK || body != "page" {
			t.Fatalf("status %d, %q", resp.StatusCode, body)
		}
		if allocated > 16<<20 {
			t.Errorf("%d bytes of signed data made the request allocate %d MB", len(data), allocated>>20)
		}
	})
}
