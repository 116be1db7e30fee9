package program

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// helperEnv makes this test binary a program for the tests below to run:
// its value says what the program does.
const helperEnv = "PROGRAM_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		helper(mode, os.Args[len(os.Args)-1])
		return
	}
	os.Exit(m.Run())
}

// helper is the program the tests run, told the address of its -addr.
func helper(mode, addr string) {
	switch mode {
	case "flood": // more than Program keeps, then the banner
		os.Stdout.WriteString(strings.Repeat("flood\n", 1<<20))
	case "foreign": // a banner that names another program's address
		addr = "127.0.0.1:1"
	case "daemon": // a process that leaves its group, as setsid does
		daemon := exec.Command(os.Args[0], "-test.run=^$")
		daemon.Env = append(os.Environ(), helperEnv+"=sleep")
		setsid(daemon)
		if err := daemon.Start(); err != nil {
			panic(err)
		}
		fmt.Printf("daemon %d\n", daemon.Process.Pid)
	case "sleep":
		time.Sleep(5 * time.Minute)
		return
	}
	fmt.Printf(" * Running on http://%s\n", addr)
	time.Sleep(5 * time.Minute)
}

// startHelper runs this test binary as a program that does mode.
func startHelper(t *testing.T, mode string) (*Program, error) {
	t.Helper()
	return Start([]string{os.Args[0], "-test.run=^$", "-addr", "127.0.0.1:0"},
		Options{Env: []string{helperEnv + "=" + mode}, Wait: 60 * time.Second})
}

// TestBannerAfterFlood: a program that prints more than 4 MB before its
// banner still gets its banner read, and is marked as flooded.
func TestBannerAfterFlood(t *testing.T) {
	p, err := startHelper(t, "flood")
	if err != nil {
		t.Fatalf("a banner after 6 MB of output was not found: %.200v", err)
	}
	defer p.Stop()
	if !strings.HasPrefix(p.URL, "http://127.0.0.1:") || !p.Flooded() {
		t.Errorf("the banner's address is %q and Flooded says %v, want 127.0.0.1's and true", p.URL, p.Flooded())
	}
}

// TestGuardedBanner: with the guard on, a program gets a port checked
// free, and a banner naming another address is not taken as its own.
func TestGuardedBanner(t *testing.T) {
	if err := Guard(); err != nil {
		t.Fatal(err)
	}
	p, err := startHelper(t, "plain")
	if err != nil {
		t.Fatal(err)
	}
	p.Stop()
	if strings.HasSuffix(p.URL, ":0") {
		t.Errorf("the guarded program was given port 0 (its banner says %s), not a port checked free", p.URL)
	}
	if _, err := startHelper(t, "foreign"); err == nil {
		t.Errorf("a banner naming 127.0.0.1:1 was taken as the program's own")
	}
	if got := strings.Join(Interference(), "\n"); !strings.Contains(got, "its banner named http://127.0.0.1:1, not the address it was given") {
		t.Errorf("the foreign banner was not noted; Interference says %q", got)
	}
}

// TestSweep: with the guard on, a process that a program started and that
// left its process group outlives the program's Stop, and Sweep ends it.
// Then a kill that this package did not send is noted as interference.
func TestSweep(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("the child subreaper is Linux's; Windows's job object ends processes when the grader ends")
	}
	if err := Guard(); err != nil {
		t.Fatal(err)
	}
	p, err := startHelper(t, "daemon")
	if err != nil {
		t.Fatal(err)
	}
	var pid int
	fmt.Sscanf(p.Terminal(), "daemon %d", &pid)
	p.Stop()
	if pid == 0 || !alive(pid) {
		t.Fatalf("the daemon (pid %d) did not outlive its program, so this test shows nothing:\n%s", pid, p.Terminal())
	}
	if left, sure := Sweep(); left != 0 || !sure || alive(pid) {
		stat, _ := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		t.Errorf("after Sweep, %d processes are left (sure: %v), and the daemon is alive: %v (%s)", left, sure, alive(pid), stat)
	}

	p, err = startHelper(t, "plain")
	if err != nil {
		t.Fatal(err)
	}
	killFromOutside(t, p.Pid())
	if !p.Exited(10 * time.Second) {
		t.Fatal("the killed program did not end")
	}
	if got := strings.Join(Interference(), "\n"); !strings.Contains(got, "its program was ended by a signal the grader did not send") {
		t.Errorf("a kill from outside was not noted; Interference says %q", got)
	}
}
