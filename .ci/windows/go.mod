module example.com/sessions/ci/windows

go 1.25.0
