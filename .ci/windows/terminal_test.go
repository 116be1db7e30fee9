package main

import "testing"

func TestLogOfDropsCarriageReturnsAndTerminalCodes(t *testing.T) {
	raw := "\x1b[?25l * Running on http://127.0.0.1:5000\r\n\x1b[31mred\x1b[0m\r\n"
	if got, want := logOf([]byte(raw)), " * Running on http://127.0.0.1:5000\nred\n"; got != want {
		t.Errorf("logOf = %q; want %q", got, want)
	}
}

func TestRunningOn(t *testing.T) {
	output := " * Serving the starter (main.go)\n * Running on http://127.0.0.1:40123 (Press CTRL+C to quit)\n * Running on http://127.0.0.1:1\n"
	if got := runningOn(output); got != "http://127.0.0.1:40123" {
		t.Errorf("runningOn = %q; want the first line's http://127.0.0.1:40123", got)
	}
	if got := runningOn(" * Serving the starter (main.go)\n"); got != "" {
		t.Errorf("runningOn = %q with no Running on line; want nothing", got)
	}
}

func TestAfterSkipsTheFirstLines(t *testing.T) {
	for _, c := range []struct {
		skip int
		want string
	}{{0, "a\nb\nc\n"}, {1, "b\nc\n"}, {3, ""}, {5, ""}} {
		if got := after("a\nb\nc\n", c.skip); got != c.want {
			t.Errorf("after(%d) = %q; want %q", c.skip, got, c.want)
		}
	}
}

func TestLastLines(t *testing.T) {
	if got := lastLines("1\n2\n3\n", 2); got != "2\n3" {
		t.Errorf("lastLines = %q; want %q", got, "2\n3")
	}
}
