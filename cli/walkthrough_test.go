package cli

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
)

// walkthroughDoc is the users' ten-minute walkthrough, run by
// TestWalkthrough as its reader would run it.
const walkthroughDoc = "../docs/muoi-phut.md"

// walkthroughPassword is typed to every command (user add reads it).
const walkthroughPassword = "Hoa-Mai-2026-canbo"

// docStep is one runnable piece of the walkthrough, in the doc's order.
type docStep struct {
	line int    // of the doc, for messages
	kind string // "file", "cmd", "curl"
	// file: name and body; cmd: the arguments after "scorecard"; curl: the
	// URL path.
	name  string
	body  string
	args  []string
	fail  bool // the command must exit non-zero (a block "sh exit=1")
	block int  // the sh block of a command or curl
	// want: the text block after a command (its lines must be printed) or
	// the JSON block after a curl (the answer must contain it).
	want string
}

// parseWalkthrough reads the doc's fenced blocks: "csv NAME" files, "sh"
// commands (scorecard and curl lines), and the "text" or "json" block that
// follows a command with what it must give.
func parseWalkthrough(t *testing.T, doc string) []docStep {
	t.Helper()
	var steps []docStep
	lines := strings.Split(doc, "\n")
	for i := 0; i < len(lines); i++ {
		info, ok := strings.CutPrefix(lines[i], "```")
		if !ok || info == "" {
			continue
		}
		start := i + 1
		var body []string
		for i++; i < len(lines) && lines[i] != "```"; i++ {
			body = append(body, lines[i])
		}
		if i == len(lines) {
			t.Fatalf("%s:%d: a block is not closed", walkthroughDoc, start)
		}
		fields := strings.Fields(info)
		switch fields[0] {
		case "csv":
			if len(fields) != 2 {
				t.Fatalf("%s:%d: a csv block names its file: ```csv NAME", walkthroughDoc, start)
			}
			steps = append(steps, docStep{line: start, kind: "file", name: fields[1], body: strings.Join(body, "\n") + "\n"})
		case "sh":
			fail := len(fields) > 1 && fields[1] == "exit=1"
			for k, l := range body {
				f := strings.Fields(l)
				switch {
				case len(f) == 0:
				case f[0] == "scorecard":
					steps = append(steps, docStep{line: start + k, kind: "cmd", args: f[1:], fail: fail, block: start})
				case f[0] == "curl":
					u := strings.Trim(f[len(f)-1], `"'`)
					_, path, ok := strings.Cut(u, "127.0.0.1:8080")
					if !ok {
						t.Fatalf("%s:%d: curl asks the local server: %s", walkthroughDoc, start+k, l)
					}
					steps = append(steps, docStep{line: start + k, kind: "curl", name: path, block: start})
				default:
					t.Fatalf("%s:%d: a command the walkthrough test cannot run: %s", walkthroughDoc, start+k, l)
				}
			}
		case "text", "json":
			if len(steps) == 0 || steps[len(steps)-1].kind == "file" || steps[len(steps)-1].want != "" {
				t.Fatalf("%s:%d: a %s block follows no command", walkthroughDoc, start, fields[0])
			}
			last := &steps[len(steps)-1]
			if (fields[0] == "json") != (last.kind == "curl") {
				t.Fatalf("%s:%d: a json block follows a curl, a text block a scorecard command", walkthroughDoc, start)
			}
			// The block checks what the commands of the sh block it
			// follows printed, together.
			last.want = strings.Join(body, "\n")
		}
	}
	return steps
}

// TestWalkthrough runs docs/muoi-phut.md as a new office would: the built
// program (this test binary, started as the command line) in a fresh
// folder, the doc's files written there, every scorecard line run in
// order, every output the doc shows checked, and every curl asked of the
// server the doc started. The demo is loaded first, as `go run .` would
// have done, so that removing it removes something.
func TestWalkthrough(t *testing.T) {
	raw, err := os.ReadFile(walkthroughDoc)
	if err != nil {
		t.Fatal(err)
	}
	steps := parseWalkthrough(t, string(raw))
	counts := map[string]int{}
	for _, s := range steps {
		counts[s.kind]++
		if s.kind == "cmd" {
			counts[s.args[0]]++
		}
	}
	// The doc does what its title promises.
	for _, want := range []string{"demo", "import", "publish", "serve", "curl", "file"} {
		if counts[want] == 0 {
			t.Fatalf("the walkthrough has no %s step: %v", want, counts)
		}
	}

	if testing.Short() {
		t.Skip("loads the demo and starts server processes: run without -short")
	}
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "data", "scorecard.db"), "SCORECARD_LANG": "vi"}
	if out, code := runProgram(t, dir, env, "demo", "load"); code != 0 {
		t.Fatalf("load the demo: %s", out)
	}
	var server *child
	stopServer := func() {
		if server != nil {
			if err := server.stop(t); err != nil {
				t.Errorf("the server ended with %v:\n%s", err, server.logs.String())
			}
			server = nil
		}
	}
	defer stopServer()
	// What the reader is told to look at on the web: the account made
	// (user add … NAME) and the drafts the import named, which the staff
	// page lists once signed in.
	var account string
	var drafts []string
	block, printed := 0, ""
	for _, s := range steps {
		if s.block != block {
			block, printed = s.block, ""
		}
		where := fmt.Sprintf("%s:%d", walkthroughDoc, s.line)
		switch s.kind {
		case "file":
			if err := os.WriteFile(filepath.Join(dir, s.name), []byte(s.body), 0o644); err != nil {
				t.Fatal(err)
			}
		case "cmd":
			stopServer() // the reader stopped it (Ctrl+C) before going on
			if s.args[0] == "serve" {
				server = startChild(t, env, 0, s.args[1:]...)
				// The doc's address is the default one; the test's server
				// listens on a free port and has said so.
				printed += "Bảng điều khiển: http://127.0.0.1:8080/\n"
				checkLines(t, where, s.want, printed)
				if account != "" && len(drafts) > 0 {
					staffSeesDrafts(t, where, server.base, account, drafts)
					account = ""
				}
				continue
			}
			out, code := runProgram(t, dir, env, s.args...)
			if s.fail != (code != 0) {
				t.Fatalf("%s: scorecard %s exited %d:\n%s", where, strings.Join(s.args, " "), code, out)
			}
			printed += out
			checkLines(t, where, s.want, printed)
			if len(s.args) > 2 && s.args[0] == "user" && s.args[1] == "add" {
				account = s.args[len(s.args)-1]
			}
			if m := draftHint.FindStringSubmatch(out); m != nil {
				drafts = strings.Fields(m[1])
			}
		case "curl":
			if server == nil {
				t.Fatalf("%s: curl without a running server", where)
			}
			got := httpJSON(t, server.base+s.name)
			var want any
			if err := json.Unmarshal([]byte(s.want), &want); err != nil {
				t.Fatalf("%s: the doc's JSON: %v", where, err)
			}
			if path, ok := containsJSON(got, want, "$"); !ok {
				t.Errorf("%s: %s answers\n%s\nwhich does not hold the doc's %s (at %s)", where, s.name, mustJSON(got), s.want, path)
			}
		}
	}
}

// runProgram runs the program in dir with a password on its input, and
// returns what it printed (both streams) and its exit code.
func runProgram(t *testing.T, dir string, env map[string]string, args ...string) (string, int) {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), childEnv+"=1")
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdin = strings.NewReader(walkthroughPassword + "\n" + walkthroughPassword + "\n")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return out.String(), 0
	case errors.As(err, &exit):
		return out.String(), exit.ExitCode()
	default:
		t.Fatalf("run scorecard %v: %v", args, err)
		return "", -1
	}
}

// checkLines fails unless every line of want is in got; "…" in a line of
// want stands for any text within that line of got.
func checkLines(t *testing.T, where, want, got string) {
	t.Helper()
	for _, w := range strings.Split(want, "\n") {
		w = strings.TrimSpace(w)
		if w != "" && !hasLine(got, w) {
			t.Errorf("%s: the output lacks the doc's line %q:\n%s", where, w, got)
		}
	}
}

func hasLine(text, want string) bool {
	parts := strings.Split(want, "…")
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		rest, ok := sc.Text(), true
		for _, p := range parts {
			p = strings.TrimSpace(p)
			i := strings.Index(rest, p)
			if i < 0 {
				ok = false
				break
			}
			rest = rest[i+len(p):]
		}
		if ok {
			return true
		}
	}
	return false
}

func httpJSON(t *testing.T, url string) any {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, resp.StatusCode, b)
	}
	var v any
	if err := json.Unmarshal(b, &v); err != nil {
		t.Fatalf("GET %s: not JSON: %v", url, err)
	}
	return v
}

// containsJSON reports whether got holds want: an object every key of want
// with a value holding want's, a list want's elements in their places (got
// may be longer only when want is not empty), anything else equal.
func containsJSON(got, want any, path string) (string, bool) {
	switch w := want.(type) {
	case map[string]any:
		g, ok := got.(map[string]any)
		if !ok {
			return path, false
		}
		for k, wv := range w {
			gv, ok := g[k]
			if !ok {
				return path + "." + k, false
			}
			if p, ok := containsJSON(gv, wv, path+"."+k); !ok {
				return p, false
			}
		}
		return "", true
	case []any:
		g, ok := got.([]any)
		if !ok || len(g) < len(w) || (len(w) == 0 && len(g) != 0) {
			return path, false
		}
		for i := range w {
			if p, ok := containsJSON(g[i], w[i], fmt.Sprintf("%s[%d]", path, i)); !ok {
				return p, false
			}
		}
		return "", true
	default:
		return path, reflect.DeepEqual(got, want)
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

// docs/cli.md holds every line of the Vietnamese --help (the usage of each
// command and the environment variables), so that the documentation cannot
// fall behind the program; and every command of the program is in it.
func TestCLIDocIsTheHelp(t *testing.T) {
	raw, err := os.ReadFile("../docs/cli.md")
	if err != nil {
		t.Fatal(err)
	}
	doc := map[string]bool{}
	for _, l := range strings.Split(string(raw), "\n") {
		doc[strings.TrimSpace(l)] = true
	}
	// The commands' sections and the variables, not the heads above them.
	var help strings.Builder
	for _, c := range commands {
		help.WriteString(i18n.VI.T("cli.usage." + c))
	}
	_, vars, _ := strings.Cut(strings.TrimSpace(i18n.VI.T("cli.usage.env")), "\n")
	help.WriteString(vars)
	checked := 0
	for _, l := range strings.Split(help.String(), "\n") {
		l = strings.TrimSpace(l)
		if l == "" {
			continue
		}
		checked++
		if !doc[l] {
			t.Errorf("docs/cli.md lacks the --help line %q", l)
		}
	}
	for _, c := range commands {
		if !strings.Contains(string(raw), "scorecard "+c) && c != "serve" {
			t.Errorf("docs/cli.md does not show the command %s", c)
		}
	}
	if checked < 50 {
		t.Fatalf("only %d lines of --help checked", checked)
	}
}

// The product's documentation stands alone: the README, docs/ and the
// code's comments never send a reader to the engineers' notes outside the
// repository.
func TestDocsStandAlone(t *testing.T) {
	n := 0
	err := filepath.WalkDir("..", func(path string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".git" || d.Name() == "node_modules" || d.Name() == "vendor") {
			return filepath.SkipDir
		}
		ext := filepath.Ext(path)
		if d.IsDir() || (ext != ".go" && ext != ".md" && ext != ".html" && ext != ".sh") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		n++
		for _, bad := range []string{"shared/spec", "/work/shared", "../shared/"} {
			// This test names what it looks for.
			if strings.Contains(string(b), bad) && !strings.HasSuffix(path, "walkthrough_test.go") {
				t.Errorf("%s points outside the repository: %s", path, bad)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if n < 100 {
		t.Fatalf("only %d files read", n)
	}
}

// draftHint is the import's line naming the drafts and the command that
// publishes them.
var draftHint = regexp.MustCompile(`: scorecard publish ([^(]+?) \(`)

// staffSeesDrafts signs in as the walkthrough's account, as its reader
// does at /login, and finds each draft on the staff page with its button
// to publish it.
func staffSeesDrafts(t *testing.T, where, base, account string, drafts []string) {
	t.Helper()
	jar, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	cl := &http.Client{Jar: jar, Timeout: 30 * time.Second}
	read := func(resp *http.Response, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(b)
	}
	m := regexp.MustCompile(`name="_csrf" value="([^"]+)"`).FindStringSubmatch(read(cl.Get(base + "/login")))
	if m == nil {
		t.Fatalf("%s: no sign-in form at /login", where)
	}
	page := read(cl.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "username": {account}, "password": {walkthroughPassword}, "next": {"/staff"}}))
	if !strings.Contains(page, account) {
		t.Fatalf("%s: signing in as %s does not reach the staff page: %.500s", where, account, page)
	}
	for _, p := range drafts {
		if !strings.Contains(page, `href="/staff/publish?period=`+p+`"`) {
			t.Errorf("%s: the staff page does not offer to publish the draft %s", where, p)
		}
	}
	t.Logf("%s: signed in as %s, the staff page offers to publish %s", where, account, strings.Join(drafts, ", "))
}

// mdLink is a Markdown link's target: [text](target).
var mdLink = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// Every link between the README and the pages of docs/ leads to a file
// that exists: a reader following the documentation never lands on a
// missing page.
func TestDocsLinksResolve(t *testing.T) {
	files, err := filepath.Glob("../docs/*.md")
	if err != nil {
		t.Fatal(err)
	}
	files = append(files, "../README.md")
	links := 0
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range mdLink.FindAllStringSubmatch(string(b), -1) {
			target := m[1]
			if strings.Contains(target, "://") || strings.HasPrefix(target, "#") || strings.HasPrefix(target, "mailto:") {
				continue
			}
			target, _, _ = strings.Cut(target, "#")
			links++
			if _, err := os.Stat(filepath.Join(filepath.Dir(f), target)); err != nil {
				t.Errorf("%s links to %s, which does not exist", f, m[1])
			}
		}
	}
	if links < 10 {
		t.Fatalf("only %d links checked", links)
	}
}
