package sessions_test

// This file stands for a student's own test, left in their clone. The
// grading command must never run it: if it ever runs, it leaves a file
// where the variable LESSON_GRADE_MARKER says, and lesson's TestGrade fails.

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	if marker := os.Getenv("LESSON_GRADE_MARKER"); marker != "" {
		os.WriteFile(marker, []byte("a student's test ran"), 0o644)
	}
	os.Exit(m.Run())
}
