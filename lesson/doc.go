// Package lesson holds the lesson's own checks, not code: its tests build
// and run the three programs of this repository, the starter (main.go at the
// top), the finished app (finished/) and the buttons page (buttons/), and
// check them as a browser, a learner and a teacher would.
//
//   - TestLessonSteps does every step of the README on a copy of the
//     starter, under one running server, and checks what each step says the
//     browser and the terminal show.
//   - TestVerdicts runs the learner's check (internal/mywork, which the top
//     folder's TestMyWork runs on the learner's own files) on a starter for
//     each verdict it can give.
//   - TestHabitsTables makes each Python and Jinja slip of the
//     troubleshooting page and checks the message it quotes.
//   - TestStarterSharesFrame keeps the lines the three programs share
//     identical.
//   - TestFinished and TestButtons use the finished app and the buttons page
//     as a browser would, bad input included.
//   - TestMyWorkSeesEachSave runs go test -run TestMyWork as a learner does,
//     before and after a step, and checks that go test's cache shows no
//     stale report.
//   - TestGrade and TestGradeCtrlC run the teacher's grading command
//     (lesson/grade) on a class made from the README's steps.
//   - TestClassroomPage runs the commands of the teacher's page,
//     docs/classroom.md; TestEditorSettings and TestDevContainer check the
//     editor settings and the dev container a class gets.
//
// The top folder's own tests are the session layer's; these take longer, so
// they live here, where a learner's go test in the top folder does not run
// them. go test ./... runs them all.
package lesson
