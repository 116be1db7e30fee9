package sessions

import (
	"bytes"
	"crypto/hkdf"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/gorilla/securecookie"
)

func init() {
	// gob knows strings, numbers, bools and lists of those by itself. A
	// session also holds, without a gob.Register call of the app's own,
	// times, and the maps and lists of any that Flask's session stores as
	// nested dictionaries and lists. Those travel entry by entry (see
	// encode), so gob is never told about them: it could be made to decode
	// one with a forged count.
	gob.Register(time.Time{})
}

// encode turns a session into the data its cookie carries: one gob stream
// of its keys, each followed by its value, in sorted order. Sorted, because
// gob writes a map's entries in Go's random map order, and the same session
// should make the same cookie.
//
// Each value travels after its form, a string (encodeValue). Text, whole
// numbers, bools and lists of text, the values a session holds most, are
// sent as gob's own basic types: a list as its count, then each item. A new
// gob.Decoder must learn every other type the stream names, and for a list
// of text sent as one value that took most of a request's time; gob's basic
// types it knows already. Any other value is sent as gob sends a value of
// type any, after the empty form.
//
// Key by key, not as the map itself, because gob makes room for as many
// entries as a map's count claims before it reads one (Go issue 79539): a
// signed stream of under 40 bytes claiming 2^26 entries made one request
// allocate about 5 GB. A map or a list inside a value travels the same way
// (encodeValue): its form, its count, then its entries one by one. So the
// data holds no count that gob trusts: decodeValue adds entries as they
// arrive, and a false count only makes the data run out sooner.
//
// What gob still reads whole, gob bounds: a message, or a list of text,
// numbers or bools, makes room for at most 10 MB before the data runs short,
// and such lists hold no lists. A cookie's data is at most about 2.2 KB
// (securecookie refuses a longer cookie before checking its signature), so
// whatever it claims, decoding it allocates about 10 MB at most
// (TestForgedCountsAreRefused, FuzzSignedData). The exception is what an
// app tells gob about itself: a type of its own that holds a map, or lists
// inside lists, or a map type given to gob.Register. gob decodes those as it
// decodes any value, a map with the room its count claims, so only the
// secret key guards them.
func encode(s Session) ([]byte, error) {
	var b bytes.Buffer
	b.Grow(512) // room for a small session, made once
	enc := encoders.Get().(*encoder)
	enc.out = &b
	for _, key := range slices.Sorted(maps.Keys(s)) {
		enc.Encode(key) // a string, which gob always encodes
		if err := encodeValue(enc, s[key]); err != nil {
			return nil, newEncodeError(key, innermost(s[key]), err) // enc is dropped
		}
	}
	if enc.out = nil; !enc.other {
		encoders.Put(enc)
	}
	return b.Bytes(), nil
}

// encoder is a gob.Encoder that writes to the buffer out, and notes whether
// it wrote a value of a type other than gob's basic ones.
//
// gob sends the description of a type the first time a stream uses it,
// and an Encoder remembers what it sent; but gob's basic types (text,
// numbers, bools) need no description. So an encoder that wrote only those
// remembers nothing a new stream would miss, and the next session can use
// it: encoders keeps such encoders, which saves making one for each cookie.
// An encoder that wrote any other type (other) is dropped.
type encoder struct {
	*gob.Encoder
	out   *bytes.Buffer
	other bool
}

func newEncoder() *encoder {
	enc := &encoder{}
	enc.Encoder = gob.NewEncoder(enc)
	return enc
}

// Write is where the gob.Encoder writes: to out.
func (enc *encoder) Write(p []byte) (int, error) { return enc.out.Write(p) }

// encoders keeps the encoders that wrote only gob's basic types (see encoder).
var encoders = sync.Pool{New: func() any { return newEncoder() }}

// encodeValue writes one value after its form: text, a whole number or a
// bool as it is; a list of text, a map, or a list of any as its count, then
// its entries (a map's keys sorted, each before its value); anything else
// after the empty form, as gob writes a value of type any. Flask's tagged
// JSON marks the types JSON lacks the same way (a tuple, bytes, a datetime).
// Strings, ints and bools are what gob always encodes.
func encodeValue(enc *encoder, value any) error {
	switch v := value.(type) {
	case string:
		enc.Encode("string")
		return enc.Encode(v)
	case int:
		enc.Encode("int")
		return enc.Encode(v)
	case bool:
		enc.Encode("bool")
		return enc.Encode(v)
	case []string:
		enc.Encode("[]string")
		enc.Encode(len(v))
		var item string // one variable for every item: gob takes a pointer, without a copy each
		for _, item = range v {
			enc.Encode(&item)
		}
		return nil
	case map[string]any:
		return encodeMap(enc, v)
	case map[string]string:
		return encodeMap(enc, v)
	case map[string]int:
		return encodeMap(enc, v)
	case map[string]bool:
		return encodeMap(enc, v)
	case map[string]float64:
		return encodeMap(enc, v)
	case []any:
		enc.Encode("[]interface {}")
		enc.Encode(len(v))
		for _, x := range v {
			if err := encodeValue(enc, x); err != nil {
				return err
			}
		}
		return nil
	}
	enc.Encode("")
	enc.other = true // gob may describe the value's type in the stream
	// &value, not value: through the pointer, gob writes the value's type too.
	return enc.Encode(&value)
}

// encodeMap is encodeValue for a map: its form and count, then each key, in
// sorted order, before its value.
func encodeMap[V any](enc *encoder, m map[string]V) error {
	enc.Encode(fmt.Sprintf("%T", m))
	enc.Encode(len(m))
	for _, key := range slices.Sorted(maps.Keys(m)) {
		enc.Encode(key)
		if err := encodeValue(enc, m[key]); err != nil {
			return err
		}
	}
	return nil
}

// decode rebuilds a session from its cookie's data, the keys and values that
// encode wrote, and refuses data that holds anything else (a cookie from
// before maps travelled entry by entry, too). Give it only data that passed
// the signature check, data this server wrote: encoding/gob is not built to
// face data crafted by an attacker (see encode for what it can cost).
func decode(data []byte) (Session, error) {
	s := Session{}
	r := bytes.NewReader(data)
	dec := gob.NewDecoder(r)
	for r.Len() > 0 {
		key, value, err := decodeEntry(dec)
		if err != nil {
			return nil, err
		}
		s[key] = value
	}
	return s, nil
}

// decodeEntry reads one key and the value after it, as encode and
// encodeMap write them.
func decodeEntry(dec *gob.Decoder) (string, any, error) {
	var key string
	if err := dec.Decode(&key); err != nil {
		return "", nil, err
	}
	value, err := decodeValue(dec)
	return key, value, err
}

// decodeValue reads one value that encodeValue wrote.
func decodeValue(dec *gob.Decoder) (any, error) {
	var form string
	if err := dec.Decode(&form); err != nil {
		return nil, err
	}
	switch form {
	case "string":
		return decodeOne[string](dec)
	case "int":
		return decodeOne[int](dec)
	case "bool":
		return decodeOne[bool](dec)
	case "[]string":
		var item string // one variable for every item, as in encodeValue
		return decodeList(dec, func(dec *gob.Decoder) (string, error) {
			err := dec.Decode(&item)
			return item, err
		})
	case "[]interface {}":
		return decodeList(dec, decodeValue)
	case "map[string]interface {}":
		return decodeMap[any](dec)
	case "map[string]string":
		return decodeMap[string](dec)
	case "map[string]int":
		return decodeMap[int](dec)
	case "map[string]bool":
		return decodeMap[bool](dec)
	case "map[string]float64":
		return decodeMap[float64](dec)
	case "":
		var value any
		if err := dec.Decode(&value); err != nil {
			return nil, err
		}
		// gob sends an empty list as no list at all; give back the empty
		// list the handler stored ([]int{}, not nil).
		if rv := reflect.ValueOf(value); rv.Kind() == reflect.Slice && rv.IsNil() {
			value = reflect.MakeSlice(rv.Type(), 0, 0).Interface()
		}
		return value, nil
	}
	return nil, fmt.Errorf("sessions: no such form of value: %q", form)
}

// decodeOne reads one value of gob's basic type T.
func decodeOne[T any](dec *gob.Decoder) (any, error) {
	var v T
	err := dec.Decode(&v)
	return v, err
}

// decodeList reads a list's count, then its items. It makes room for 64
// items at most before they arrive: a forged count costs nothing more,
// since the data runs out.
func decodeList[T any](dec *gob.Decoder, item func(*gob.Decoder) (T, error)) (any, error) {
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	list := make([]T, 0, max(0, min(n, 64)))
	for range n {
		x, err := item(dec)
		if err != nil {
			return nil, err
		}
		list = append(list, x)
	}
	return list, nil
}

// decodeMap reads a map's count, then its entries. It makes no room for
// them first, as gob would: a forged count costs nothing, since the data
// runs out.
func decodeMap[V any](dec *gob.Decoder) (map[string]V, error) {
	var n int
	if err := dec.Decode(&n); err != nil {
		return nil, err
	}
	m := map[string]V{}
	for range n {
		key, value, err := decodeEntry(dec)
		if err != nil {
			return nil, err
		}
		v, ok := value.(V)
		if !ok && value != nil {
			return nil, fmt.Errorf("sessions: a %T cannot hold a %T", m, value)
		}
		m[key] = v
	}
	return m, nil
}

// gobError returns gob's error for v, encoded as a session's value is.
func gobError(v any) error {
	enc := newEncoder()
	enc.out = new(bytes.Buffer)
	return encodeValue(enc, v)
}

// innermost finds, inside nested dictionaries and lists, the value gob refused.
func innermost(v any) any {
	var inner []any
	switch v := v.(type) {
	case map[string]any:
		inner = slices.Collect(maps.Values(v))
	case []any:
		inner = v
	}
	for _, x := range inner {
		if gobError(x) != nil {
			return innermost(x)
		}
	}
	return v
}

// EncodeError says that the value stored under Key cannot be encoded with
// encoding/gob, so the session cannot be saved: where Flask's tagged JSON
// raises a TypeError for a value it cannot serialize. Its message names the
// Go type and, when gob only needs to be told about the type, the
// gob.Register call that fixes it.
type EncodeError struct {
	Key  string // the session key holding the value
	Type string // the value's Go type, as %T prints it
	Err  error  // what encoding/gob said

	register string // the gob.Register call that would help, if any
}

func newEncodeError(key string, v any, err error) *EncodeError {
	e := &EncodeError{Key: key, Type: fmt.Sprintf("%T", v), Err: err}
	t := reflect.TypeOf(v)
	if t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch {
	case t == nil || !strings.Contains(err.Error(), "not registered"):
	case t.Kind() == reflect.Chan || t.Kind() == reflect.Func || t.Kind() == reflect.UnsafePointer:
		// gob cannot encode these at all, registered or not.
	default:
		e.register = "gob.Register(" + zeroValue(reflect.TypeOf(v)) + ")"
	}
	return e
}

// Error names the key, the type and, where it helps, the gob.Register call.
func (e *EncodeError) Error() string {
	if e.register != "" {
		return fmt.Sprintf("sessions: cannot save session[%q]: encoding/gob does not know the type %s yet. "+
			`Register it once before the server starts: add "encoding/gob" to the imports and call %s at the top of main()`,
			e.Key, e.Type, e.register)
	}
	return fmt.Sprintf("sessions: cannot save session[%q] of type %s: %v. "+
		"Store plain data instead: strings, numbers, bools, and slices, maps or structs (exported fields) of those",
		e.Key, e.Type, e.Err)
}

// Unwrap returns encoding/gob's own error.
func (e *EncodeError) Unwrap() error { return e.Err }

// zeroValue spells a zero value of t as Go code in package main would write
// it: Item{} rather than main.Item{}, &Item{} for a pointer, Celsius(0).
func zeroValue(t reflect.Type) string {
	composite := func(t reflect.Type) bool {
		k := t.Kind()
		return k == reflect.Struct || k == reflect.Map || k == reflect.Slice || k == reflect.Array
	}
	name := t.String()
	if t.PkgPath() == "main" {
		name = t.Name()
	}
	switch {
	case t.Kind() == reflect.Pointer && composite(t.Elem()):
		return "&" + zeroValue(t.Elem())
	case t.Kind() == reflect.Pointer:
		return "new(" + strings.TrimSuffix(zeroValue(t.Elem()), "(0)") + ")"
	case composite(t):
		return name + "{}"
	}
	return fmt.Sprintf("%s(%#v)", name, reflect.Zero(t).Interface())
}

// newCodec returns the securecookie codec for one secret. The secret is a
// phrase a person chose, so an HMAC key is derived from it (as Flask's
// itsdangerous does) rather than used as it is; the label keeps this key apart
// from any other use the application makes of the same secret.
func newCodec(secret string, maxAge time.Duration) *securecookie.SecureCookie {
	key, err := hkdf.Key(sha256.New, []byte(secret), nil, "session cookie signing key", 32)
	if err != nil {
		panic(err) // only for a key length SHA-256 cannot give
	}
	c := securecookie.New(key, nil) // no encryption key: signed, not encrypted, like Flask
	c.SetSerializer(securecookie.NopEncoder{})
	c.MaxAge(int(maxAge / time.Second))
	// securecookie refuses an age under MinAge: here, a date over maxClockSkew ahead.
	c.MinAge(-int(maxClockSkew / time.Second))
	return c
}

// sign signs a session's data, as encode wrote it, into a cookie value with
// the newest secret key: Flask's get_signing_serializer(app).dumps.
func (m *Manager) sign(data []byte) (string, error) {
	return m.codecs[0].Encode(m.config.CookieName, data)
}
