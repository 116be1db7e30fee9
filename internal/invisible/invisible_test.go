package invisible

import "testing"

// TestRemove: what a user sees stays, what shows nothing goes, and the two
// invisible characters that shape an emoji stay inside it.
func TestRemove(t *testing.T) {
	for _, c := range []struct{ name, typed, want string }{
		{"plain text", "Tea", "Tea"},
		{"a zero-width space", "Te\u200ba", "Tea"},
		{"only invisible characters", "\u200b\u2060\ufeff\u2800", ""},
		{"a cook: woman, joiner, frying pan", "👩\u200d🍳", "👩\u200d🍳"},
		{"a red heart: heart, emoji selector", "❤\ufe0f", "❤\ufe0f"},
		{"a keycap: 1, emoji selector, keycap", "1\ufe0f\u20e3", "1\ufe0f\u20e3"},
		{"a joiner between two letters", "Te\u200da", "Tea"},
		{"a joiner at the end", "👩\u200d", "👩"},
		{"two joiners between emoji", "👩\u200d\u200d🍳", "👩\u200d🍳"},
		{"an emoji selector after a letter", "T\ufe0fea", "Tea"},
		{"a skin tone stays", "👍🏽", "👍🏽"},
		{"a byte that is not UTF-8 stays, for the app to refuse", "Te\xffa", "Te\xffa"},
	} {
		if got := Remove(c.typed); got != c.want {
			t.Errorf("%s: Remove(%+q) = %+q; want %+q", c.name, c.typed, got, c.want)
		}
	}
}
