package lesson

import (
	"regexp"
	"strings"
	"testing"
)

// prose returns the README's sentences: its text without code blocks,
// HTML comments, tables, headings and pictures, with each `code` span
// counted as one word. A sentence ends at ". ", "! ", "? " or the end of
// its paragraph or list item.
func prose(readme string) []string {
	readme = regexp.MustCompile("(?s)```.*?```").ReplaceAllString(readme, "\n")
	readme = regexp.MustCompile(`(?s)<!--.*?-->`).ReplaceAllString(readme, "")
	readme = regexp.MustCompile("`[^`\n]+`").ReplaceAllString(readme, "code")
	var paragraphs []string
	var current []string
	flush := func() {
		if len(current) > 0 {
			paragraphs = append(paragraphs, strings.Join(current, " "))
			current = nil
		}
	}
	for _, line := range strings.Split(readme, "\n") {
		line = strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(line), ">"))
		line = regexp.MustCompile(`</?details>|<summary>.*?</summary>`).ReplaceAllString(line, "")
		switch {
		case line == "", strings.HasPrefix(line, "#"), strings.HasPrefix(line, "|"), strings.HasPrefix(line, "!["):
			flush()
		case regexp.MustCompile(`^(- |\d+\. )`).MatchString(line):
			flush()
			current = append(current, regexp.MustCompile(`^(- |\d+\. )`).ReplaceAllString(line, ""))
		default:
			current = append(current, line)
		}
	}
	flush()
	var sentences []string
	for _, p := range paragraphs {
		for _, s := range regexp.MustCompile(`[.!?]["*)]*\s+`).Split(p, -1) {
			if strings.TrimSpace(s) != "" {
				sentences = append(sentences, s)
			}
		}
	}
	return sentences
}

// TestReadmeSize: the README is the learner's page, about the size of the
// lesson (156 lines and 937 words, 12 words a sentence): at most 450 lines,
// and its prose at most 15 words a sentence on average.
func TestReadmeSize(t *testing.T) {
	text := readme(t)
	if lines := strings.Count(text, "\n"); lines > 450 {
		t.Errorf("README.md has %d lines; at most 450, so that it stays the size of the lesson", lines)
	}
	sentences := prose(text)
	words := 0
	for _, s := range sentences {
		words += len(strings.Fields(s))
	}
	average := float64(words) / float64(len(sentences))
	t.Logf("README.md: %d lines, %d sentences, %d words of prose, %.1f words a sentence", strings.Count(text, "\n"), len(sentences), words, average)
	if average > 15 {
		t.Errorf("the README's prose has %.1f words a sentence on average; at most 15", average)
	}
}
