// Package invisible finds the characters of a list item that show nothing
// on the page, so that the finished app (finished/main.go) can keep "Tea"
// and "Tea" followed by a zero-width space from being two items. Flask's
// final-code keeps every character; this is one of the finished app's
// guards against bad input (docs/teachers.md lists them).
package invisible

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// The two invisible characters that change how emoji look, and the keycap.
const (
	joiner  = '\u200d' // between two emoji makes one picture: 👩 + 🍳 is 👩‍🍳, a cook
	asEmoji = '\ufe0f' // after a symbol draws it as an emoji: ❤ is a black heart, ❤️ a red one
	keycap  = '\u20e3' // 1, asEmoji, keycap is 1️⃣
)

// Remove returns text without the characters that show nothing (format
// characters such as a zero-width space, fillers, variation selectors, the
// blank braille pattern, the object replacement character that some
// browsers draw as nothing), so that items that look the same are one. It
// keeps a joiner between two emoji, and asEmoji after a symbol: Flask keeps
// every character, so 👩‍🍳 and ❤️ show there as typed.
func Remove(text string) string {
	var b strings.Builder
	var last rune // the last character kept
	for rest := text; rest != ""; {
		c, size := utf8.DecodeRuneInString(rest)
		char := rest[:size] // as typed, even a byte that is not UTF-8
		rest = rest[size:]
		next, _ := utf8.DecodeRuneInString(rest)
		keep := !showsNothing(c) ||
			c == joiner && (isEmoji(last) || last == asEmoji) && isEmoji(next) ||
			c == asEmoji && (isEmoji(last) || next == keycap)
		if keep {
			b.WriteString(char)
			last = c
		}
	}
	return b.String()
}

// showsNothing reports whether c shows nothing on the page.
func showsNothing(c rune) bool {
	return unicode.In(c, unicode.Cf, unicode.Other_Default_Ignorable_Code_Point, unicode.Variation_Selector) ||
		c == '\u2800' || c == '\ufffc' // the blank braille pattern; the object replacement character
}

// isEmoji reports whether c can be part of an emoji: a symbol such as 👩 or
// ❤, or a skin tone such as 🏽. utf8.RuneError, which stands for the end of
// the text or a byte that is not UTF-8, is none.
func isEmoji(c rune) bool {
	return c != utf8.RuneError && (unicode.Is(unicode.So, c) || '\U0001f3fb' <= c && c <= '\U0001f3ff')
}
