package main

import (
	"regexp"
	"testing"
)

// The key is the one the bash step used, so its cache entries stay good:
// { printf 'a patch\n'; printf 'compile\nlink\n'; } | sha256sum | cut -c1-12
func TestRecipeIsTheBashStepsKey(t *testing.T) {
	if got := recipe([]byte("a patch\n"), []string{"compile", "link"}); got != "5a47ad79a5fb" {
		t.Errorf("recipe = %s; want 5a47ad79a5fb, what sha256sum gives", got)
	}
}

func TestRecipeChangesWithThePatchAndTheTools(t *testing.T) {
	key := recipe([]byte("a patch\n"), []string{"compile", "link"})
	if !regexp.MustCompile(`^[0-9a-f]{12}$`).MatchString(key) {
		t.Errorf("recipe = %q; want 12 hex digits", key)
	}
	for why, other := range map[string]string{
		"a new patch": recipe([]byte("another patch\n"), []string{"compile", "link"}),
		"a new tool":  recipe([]byte("a patch\n"), []string{"compile", "link", "vet"}),
	} {
		if other == key {
			t.Errorf("%s keeps the key %s: a stale toolchain would be used", why, key)
		}
	}
}

func TestToolchainDir(t *testing.T) {
	for _, c := range []struct{ xdg, home, want string }{
		{"", "/root", "/root/.cache/lesson-windows-go/go1.26.8-windows-amd64-5a47ad79a5fb"},
		{"/var/cache", "/root", "/var/cache/lesson-windows-go/go1.26.8-windows-amd64-5a47ad79a5fb"},
	} {
		if got := toolchainDir(cacheDir(c.xdg, c.home), "go1.26.8", "5a47ad79a5fb"); got != c.want {
			t.Errorf("XDG_CACHE_HOME=%q HOME=%q: %s; want %s", c.xdg, c.home, got, c.want)
		}
	}
}
