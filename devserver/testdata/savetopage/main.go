//go:build ignore

// This program measures save-to-page: the time from a save of main.go to
// the moment a reload shows the saved program's page. It runs the
// reloader's test program (../lesson) with go run, as a learner does, and,
// where Python has Flask, the Flask app in main.py with its debug reloader.
// The rounds take turns, one save each, so that both meet the same load.
//
// From the top folder of the repository:
//
//	go run devserver/testdata/savetopage/main.go            # 5 rounds
//	go run devserver/testdata/savetopage/main.go -rounds 9
//
// A round saves the program with a new version in its page, then asks for
// the page every 5 ms until it names that version. Werkzeug's reloader
// answers with the old page until it has seen the save; this package's
// answers once the new build runs. Either way, the time is when the new
// page first comes. The first save of each is not counted: it warms the
// build cache and Python's.
package main

import (
	"cmp"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"example.com/sessions/internal/program"
)

// flaskApp is the lesson's main.py, cut to what the measure needs: debug
// mode on, one page that names its version.
const flaskApp = `from flask import Flask, render_template_string, session
import os

app = Flask(__name__)
app.config['DEBUG'] = True
app.secret_key = 'a secret key for the measure'

@app.route('/', methods=['GET', 'POST'])
def index():
    session['groceries'] = []
    return render_template_string('version 1 pid={{pid}}', pid=os.getpid())

if __name__ == '__main__':
    app.run(port=int(os.environ['PORT']))
`

// server is one of the two servers measured.
type server struct {
	name  string
	file  string // the file a round saves
	p     *program.Program
	times []time.Duration
}

func main() {
	rounds := flag.Int("rounds", 5, "how many saves to measure on each server")
	flag.Parse()
	if err := run(*rounds); err != nil {
		fmt.Fprintln(os.Stderr, "savetopage:", err)
		os.Exit(1)
	}
}

func run(rounds int) error {
	root, err := program.Root()
	if err != nil {
		return err
	}
	work, err := os.MkdirTemp("", "savetopage-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(work)
	servers := []*server{}
	goServer, err := startGo(root, filepath.Join(work, "go"))
	if err != nil {
		return err
	}
	defer goServer.p.Stop()
	servers = append(servers, goServer)
	if flask, err := startFlask(filepath.Join(work, "flask")); err != nil {
		fmt.Println("Flask's reloader is not measured:", err)
	} else {
		defer flask.p.Stop()
		servers = append(servers, flask)
	}
	fmt.Printf("load average before: %s\n", loadAverage())
	for round := 0; round <= rounds; round++ { // round 0 warms up
		for _, s := range servers {
			took, err := s.saveAndReload(round + 1)
			if err != nil {
				return fmt.Errorf("%s, round %d: %v\nits terminal:\n%s", s.name, round, err, s.p.Terminal())
			}
			if round > 0 {
				s.times = append(s.times, took)
			}
			time.Sleep(1500 * time.Millisecond) // the old program stops, the watch settles
		}
	}
	fmt.Printf("load average after: %s\n", loadAverage())
	for _, s := range servers {
		fmt.Printf("%-36s median %s  rounds %s\n", s.name, seconds(median(s.times)), list(s.times))
	}
	if len(servers) == 2 {
		fmt.Printf("this server's median / Flask's: %.2f\n", median(servers[0].times).Seconds()/median(servers[1].times).Seconds())
	}
	return nil
}

// startGo copies the reloader's test program into dir, a module of its own,
// and runs it with go run.
func startGo(root, dir string) (*server, error) {
	if err := program.NewModule(dir, root); err != nil {
		return nil, err
	}
	lesson := filepath.Join(root, "devserver", "testdata", "lesson")
	if err := program.Copy(lesson, dir, "main.go", "index.html", filepath.Join("words", "words.go")); err != nil {
		return nil, err
	}
	p, err := program.Start([]string{"go", "run", "main.go", "-addr", "127.0.0.1:0"},
		program.Options{Dir: dir, Env: []string{"SECRET_KEY="}, Wait: 5 * time.Minute})
	if err != nil {
		return nil, err
	}
	return &server{name: "this server (go run main.go)", file: filepath.Join(dir, "main.go"), p: p}, nil
}

// startFlask writes main.py into dir and runs it with python3, when python3
// has Flask.
func startFlask(dir string) (*server, error) {
	python, err := exec.LookPath("python3")
	if err != nil {
		return nil, err
	}
	if out, err := exec.Command(python, "-c", "import flask").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("python3 has no Flask (%s)", strings.TrimSpace(string(out)))
	}
	version, _ := exec.Command(python, "-c", "import importlib.metadata as m; print('Flask', m.version('flask'), 'Werkzeug', m.version('werkzeug'))").Output()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	if err := os.WriteFile(filepath.Join(dir, "main.py"), []byte(flaskApp), 0o644); err != nil {
		return nil, err
	}
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	p, err := program.Start([]string{python, "main.py"}, program.Options{Dir: dir, Env: []string{"PORT=" + port}, Wait: time.Minute})
	if err != nil {
		return nil, err
	}
	name := "Flask's reloader (" + strings.TrimSpace(string(version)) + ")"
	return &server{name: name, file: filepath.Join(dir, "main.py"), p: p}, nil
}

// freePort returns a port of this computer that nothing listens on.
func freePort() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	_, port, err := net.SplitHostPort(l.Addr().String())
	return port, err
}

// saveAndReload saves the program with version n+1 in its page, and asks
// for the page until it names that version. It returns the time from the
// save to that page.
func (s *server) saveAndReload(n int) (time.Duration, error) {
	text, err := os.ReadFile(s.file)
	if err != nil {
		return 0, err
	}
	old, next := fmt.Sprintf("version %d", n), fmt.Sprintf("version %d", n+1)
	if !strings.Contains(string(text), old) {
		return 0, fmt.Errorf("%s does not hold %q", s.file, old)
	}
	saved := time.Now()
	if err := os.WriteFile(s.file, []byte(strings.ReplaceAll(string(text), old, next)), 0o644); err != nil {
		return 0, err
	}
	client := http.Client{Timeout: time.Minute}
	for time.Since(saved) < 2*time.Minute {
		if resp, err := client.Get(s.p.URL + "/"); err == nil {
			page, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if strings.HasPrefix(string(page), next+" ") {
				return time.Since(saved), nil
			}
		}
		time.Sleep(5 * time.Millisecond)
	}
	return 0, fmt.Errorf("no page named %s within 2 minutes of the save", next)
}

// loadAverage is the system's load over 1, 5 and 15 minutes, where Linux
// says it.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return "unknown"
	}
	return strings.Join(strings.Fields(string(data))[:3], " ")
}

func median(times []time.Duration) time.Duration {
	sorted := slices.SortedFunc(slices.Values(times), cmp.Compare)
	return sorted[len(sorted)/2]
}

func seconds(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

func list(times []time.Duration) string {
	var parts []string
	for _, d := range times {
		parts = append(parts, fmt.Sprintf("%.2f", d.Seconds()))
	}
	return strings.Join(parts, " ")
}
