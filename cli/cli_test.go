package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type result struct {
	code           int
	stdout, stderr string
}

func runCLI(t *testing.T, ctx context.Context, env map[string]string, args ...string) result {
	t.Helper()
	var out, errb bytes.Buffer
	code := Run(ctx, args, func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
	return result{code, out.String(), errb.String()}
}

func writeFile(t *testing.T, dir, name, body string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(body), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestHelpAndUsage(t *testing.T) {
	ctx := context.Background()
	if r := runCLI(t, ctx, nil, "--help"); r.code != 0 || !strings.Contains(r.stdout, "scorecard import") {
		t.Fatalf("--help: %+v", r)
	}
	if r := runCLI(t, ctx, nil, "frobnicate"); r.code != 2 || !strings.Contains(r.stderr, "frobnicate") {
		t.Fatalf("unknown command: %+v", r)
	}
	if r := runCLI(t, ctx, nil, "import"); r.code != 2 {
		t.Fatalf("import without files: %+v", r)
	}
	if r := runCLI(t, ctx, nil, "serve", "--addr", "nonsense"); r.code != 1 || !strings.Contains(r.stderr, "HOST:PORT") {
		t.Fatalf("bad address: %+v", r)
	}
}

func TestImportAndPublish(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "x.db")}
	units := writeFile(t, dir, "units.csv", "code,name,kind,parent_code\nBK,Tỉnh Bắc Kạn,province,\nBK.SGTVT,Sở Giao thông vận tải,agency,BK\n")
	counts := writeFile(t, dir, "counts.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.SGTVT,ON_TIME_PROCESSING,653,654\n2024-04,BK,PUBLISH_ON_TIME,2,3\n")
	bad := writeFile(t, dir, "bad.csv", "period,unit_code,metric,numerator,denominator\n2024-04,BK.SGTVT,ON_TIME_PROCESSING,9,3\n2024-13,BK.NOPE,ON_TIME_PROCESSING,1,3\n")
	later := writeFile(t, dir, "later.csv", "period,unit_code,metric,numerator,denominator\n2024-07,BK.SGTVT,ON_TIME_PROCESSING,1,1\n")

	r := runCLI(t, ctx, env, "import", units, counts)
	if r.code != 0 || !strings.Contains(r.stdout, "units.csv") || !strings.Contains(r.stdout, "counts.csv") {
		t.Fatalf("good import: %+v", r)
	}
	// A bad file stops the run: every problem printed with its row, the
	// later file not imported.
	r = runCLI(t, ctx, env, "import", bad, later)
	if r.code != 1 {
		t.Fatalf("bad import exit %d: %+v", r.code, r)
	}
	for _, want := range []string{"2", "3", "numerator", "2024-13", "BK.NOPE"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("problems do not mention %q:\n%s", want, r.stderr)
		}
	}
	if strings.Contains(r.stdout, "later.csv") {
		t.Error("a file after the refused one was imported")
	}
	if r := runCLI(t, ctx, env, "publish", "2024-04", "2024-Q2"); r.code != 0 {
		t.Fatalf("publish: %+v", r)
	}
	if r := runCLI(t, ctx, env, "publish", "2024-13"); r.code != 2 {
		t.Fatalf("publish bad period: %+v", r)
	}
	if r := runCLI(t, ctx, env, "import", "--publish", later); r.code != 0 || !strings.Contains(r.stdout, "2024-07") {
		t.Fatalf("import --publish: %+v", r)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// serveFor starts the server, waits for /healthz, and returns a stop func.
func serveFor(t *testing.T, env map[string]string, args ...string) (base string, stop func() result) {
	t.Helper()
	addr := freeAddr(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan result, 1)
	go func() {
		var out, errb bytes.Buffer
		code := Run(ctx, append([]string{"serve", "--addr", addr}, args...), func(k string) string { return env[k] }, strings.NewReader(""), &out, &errb)
		done <- result{code, out.String(), errb.String()}
	}()
	base = "http://" + addr
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		select {
		case r := <-done:
			t.Fatalf("server exited: %+v", r)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatal("server did not start")
		}
		time.Sleep(50 * time.Millisecond)
	}
	return base, func() result { cancel(); return <-done }
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(b)
}

// The README's promise: an empty database starts with the demo, every page
// says so, the demo can be removed with one command and does not come back.
func TestServeDemoAndRemove(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process with the demo (slow)")
	}
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "demo.db")}
	base, stop := serveFor(t, env)
	// The latest month is Thái Nguyên's, after the 2025 merger; April
	// 2024 is still Bắc Kạn's.
	status, body := get(t, base+"/")
	if status != 200 || !strings.Contains(body, "Dữ liệu minh họa") || !strings.Contains(body, "Thái Nguyên") {
		t.Errorf("overview: %d, banner or province missing", status)
	}
	status, body = get(t, base+"/?period=2024-04")
	if status != 200 || !strings.Contains(body, "Dữ liệu minh họa") || !strings.Contains(body, "Bắc Kạn") {
		t.Errorf("overview of 2024-04: %d, banner or province missing", status)
	}
	status, body = get(t, base+"/api/v1/rankings?period=2024-04&kind=agency")
	var rows []map[string]any
	if err := json.Unmarshal([]byte(body), &rows); status != 200 || err != nil || len(rows) != 18 {
		t.Errorf("agency ranking: %d %v, %d rows", status, err, len(rows))
	}
	if r := stop(); r.code != 0 {
		t.Fatalf("graceful shutdown: %+v", r)
	}

	if r := runCLI(t, context.Background(), env, "demo", "remove"); r.code != 0 {
		t.Fatalf("demo remove: %+v", r)
	}
	base, stop = serveFor(t, env)
	_, body = get(t, base+"/api/v1/periods")
	if strings.TrimSpace(body) != "[]" {
		t.Errorf("after removal the demo came back: %s", body)
	}
	_, page := get(t, base+"/")
	if strings.Contains(page, "Dữ liệu minh họa") {
		t.Error("banner still shown after the demo was removed")
	}
	stop()
}

func TestServeNoDemo(t *testing.T) {
	dir := t.TempDir()
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "empty.db")}
	base, stop := serveFor(t, env, "--no-demo")
	defer stop()
	_, body := get(t, base+"/api/v1/periods")
	if strings.TrimSpace(body) != "[]" {
		t.Errorf("--no-demo loaded data: %s", body)
	}
	status, _ := get(t, base+"/")
	if status != 200 {
		t.Errorf("overview of an empty database: %d", status)
	}
}

func TestBadSchemesFolderRefusesToStart(t *testing.T) {
	dir := t.TempDir()
	schemes := filepath.Join(dir, "schemes")
	if err := os.Mkdir(schemes, 0o755); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile("../data/schemes/qd766.json")
	if err != nil {
		t.Fatal(err)
	}
	broken := strings.Replace(string(b), `"max": 18}`, `"max": 17}`, 1)
	writeFile(t, schemes, "qd766.json", broken)
	env := map[string]string{"SCORECARD_DB": filepath.Join(dir, "x.db")}
	r := runCLI(t, context.Background(), env, "serve", "--schemes", schemes, "--addr", freeAddr(t))
	if r.code != 1 || !strings.Contains(r.stderr, "qd766.json, groups: điểm tối đa của các nhóm cộng lại là 99, phải là 100.") {
		t.Fatalf("broken scheme: %+v", r)
	}
}
