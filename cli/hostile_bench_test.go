package cli

import (
	"archive/zip"
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Peak memory of checking hostile files, measured as the peak resident set
// size of a process of its own (the kernel's figure, as /usr/bin/time -v
// prints it), for the command line (`scorecard import`) and for the web
// (`scorecard serve` checking an upload), next to the floor: the same
// process importing a small valid file. The files are generated here, in a
// temporary folder; none is committed.
//
//	go test ./cli -run '^$' -bench HostileFiles -benchtime 1x
//	SCORECARD_HOSTILE_CELL_MB=100 go test ./cli -run '^$' -bench 'HostileFiles/cli' -benchtime 1x
//
// Every hostile file must stay under hostileCeilingMB; the benchmark fails
// otherwise.

// hostileCeilingMB is the most a process may reach on any of the files.
const hostileCeilingMB = 400

// memChild is a command-line process started by the benchmark: the test
// binary in its child mode (TestMain, childEnv). A command that ends by
// itself runs under /usr/bin/time, which writes its peak RSS; a server's
// peak is read from /proc (VmHWM) before it is stopped. Neither counts the
// pages of this process, which a child shares until it executes.
type memChild struct {
	cmd    *exec.Cmd
	rss    string // where /usr/bin/time writes the peak RSS
	stdout bytes.Buffer
	stderr bytes.Buffer
}

func startMemChild(b *testing.B, env []string, stdin string, args ...string) *memChild {
	b.Helper()
	if _, err := os.Stat("/usr/bin/time"); err != nil {
		b.Skip("SKIPPED: /usr/bin/time is needed to measure peak RSS (apt-get install time)")
	}
	exe, err := os.Executable()
	if err != nil {
		b.Fatal(err)
	}
	c := &memChild{}
	if args[0] == "serve" {
		c.cmd = exec.Command(exe, args...)
	} else {
		c.rss = filepath.Join(b.TempDir(), "rss")
		c.cmd = exec.Command("/usr/bin/time", append([]string{"-f", "%M", "-o", c.rss, exe}, args...)...)
	}
	c.cmd.Env = append(append(os.Environ(), env...), childEnv+"=1")
	c.cmd.Stdin = strings.NewReader(stdin)
	c.cmd.Stdout, c.cmd.Stderr = &c.stdout, &c.stderr
	if err := c.cmd.Start(); err != nil {
		b.Fatal(err)
	}
	return c
}

// wait waits for a command to end and returns its peak RSS in MB.
func (c *memChild) wait(b *testing.B) float64 {
	b.Helper()
	_ = c.cmd.Wait() // a refused file exits with 1
	raw, err := os.ReadFile(c.rss)
	if err != nil {
		b.Fatal(err)
	}
	fields := strings.Fields(string(raw))
	kb, err := strconv.ParseFloat(fields[len(fields)-1], 64)
	if err != nil {
		b.Fatalf("/usr/bin/time wrote %q", raw)
	}
	return kb / 1024
}

// stop reads a server's peak RSS in MB, then stops it.
func (c *memChild) stop(b *testing.B) float64 {
	b.Helper()
	st, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", c.cmd.Process.Pid))
	if err != nil {
		b.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^VmHWM:\s+(\d+) kB`).FindSubmatch(st)
	if m == nil {
		b.Fatal("no VmHWM in /proc/PID/status")
	}
	kb, _ := strconv.ParseFloat(string(m[1]), 64)
	_ = c.cmd.Process.Signal(syscall.SIGTERM)
	_ = c.cmd.Wait()
	return kb / 1024
}

// hostileFile writes one file into dir and returns its path.
type hostileFile struct {
	name  string
	write func(b *testing.B, path string)
}

func hostileFiles(b *testing.B) []hostileFile {
	cellMB := 500
	if s := os.Getenv("SCORECARD_HOSTILE_CELL_MB"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			b.Fatalf("SCORECARD_HOSTILE_CELL_MB=%q", s)
		}
		cellMB = n
	}
	return []hostileFile{
		{fmt.Sprintf("cell-%dMB-inline.xlsx", cellMB), func(b *testing.B, p string) { writeBigCellWorkbook(b, p, cellMB, false) }},
		{fmt.Sprintf("cell-%dMB-shared.xlsx", cellMB), func(b *testing.B, p string) { writeBigCellWorkbook(b, p, cellMB, true) }},
		{"counts-63MB-all-wrong.csv", func(b *testing.B, p string) { writeWrongCounts(b, p, 63<<20) }},
		{"header-50MB-one-line.csv", func(b *testing.B, p string) { writeOneLine(b, p, 50<<20) }},
	}
}

// writeBigCellWorkbook writes a units workbook whose second row holds one
// cell of mb megabytes, as an inline string in the sheet or in the shared
// strings. It compresses to about a thousandth of that.
func writeBigCellWorkbook(b *testing.B, path string, mb int, shared bool) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	put := func(name, body string) {
		w, err := zw.Create(name)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := io.WriteString(w, body); err != nil {
			b.Fatal(err)
		}
	}
	big := func(w io.Writer) {
		chunk := bytes.Repeat([]byte("A"), 1<<20)
		for i := 0; i < mb; i++ {
			if _, err := w.Write(chunk); err != nil {
				b.Fatal(err)
			}
		}
	}
	const ns = `xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"`
	const rel = `http://schemas.openxmlformats.org/officeDocument/2006/relationships`
	overrides := `<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>` +
		`<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`
	rels := `<Relationship Id="rId1" Type="` + rel + `/worksheet" Target="worksheets/sheet1.xml"/>`
	if shared {
		overrides += `<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>`
		rels += `<Relationship Id="rId2" Type="` + rel + `/sharedStrings" Target="sharedStrings.xml"/>`
	}
	put("[Content_Types].xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">`+
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>`+
		`<Default Extension="xml" ContentType="application/xml"/>`+overrides+`</Types>`)
	put("_rels/.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+
		`<Relationship Id="rId1" Type="`+rel+`/officeDocument" Target="xl/workbook.xml"/></Relationships>`)
	put("xl/workbook.xml", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<workbook `+ns+` xmlns:r="`+rel+`"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`)
	put("xl/_rels/workbook.xml.rels", `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>`+
		`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`+rels+`</Relationships>`)
	inline := func(ref, text string) string {
		return `<c r="` + ref + `" t="inlineStr"><is><t>` + text + `</t></is></c>`
	}
	header := `<row r="1">` + inline("A1", "code") + inline("B1", "name") + inline("C1", "kind") + inline("D1", "parent_code") + `</row>`
	w, err := zw.Create("xl/worksheets/sheet1.xml")
	if err != nil {
		b.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet `+ns+`><sheetData>`+header+`<row r="2">`+inline("A2", "X"))
	if shared {
		io.WriteString(w, `<c r="B2" t="s"><v>0</v></c>`)
	} else {
		io.WriteString(w, `<c r="B2" t="inlineStr"><is><t>`)
		big(w)
		io.WriteString(w, `</t></is></c>`)
	}
	io.WriteString(w, inline("C2", "agency")+inline("D2", "BK")+`</row></sheetData></worksheet>`)
	if shared {
		w, err := zw.Create("xl/sharedStrings.xml")
		if err != nil {
			b.Fatal(err)
		}
		io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst `+ns+` count="1" uniqueCount="1"><si><t>`)
		big(w)
		io.WriteString(w, `</t></si></sst>`)
	}
	if err := zw.Close(); err != nil {
		b.Fatal(err)
	}
}

// writeWrongCounts writes a counts file of about size bytes in which every
// row is wrong twice: an unknown unit and a numerator above its
// denominator.
func writeWrongCounts(b *testing.B, path string, size int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	n, _ := w.WriteString("period,unit_code,metric,numerator,denominator\n")
	for i := 0; n < size; i++ {
		m, _ := fmt.Fprintf(w, "2024-04,XX.%07d,ON_TIME_PROCESSING,5,3\n", i)
		n += m
	}
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

// writeOneLine writes a file that is a single header line of size bytes.
func writeOneLine(b *testing.B, path string, size int) {
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	n, _ := w.WriteString("period,unit_code,metric,numerator,")
	for ; n < size-1; n++ {
		_ = w.WriteByte('x')
	}
	_ = w.WriteByte('\n')
	if err := w.Flush(); err != nil {
		b.Fatal(err)
	}
}

// BenchmarkHostileFiles prints the peak RSS of checking each hostile file,
// on the command line and on the web, with the floor of the same process
// on a small valid file (peak-MB and floor-MB).
func BenchmarkHostileFiles(b *testing.B) {
	dir := b.TempDir()
	files := hostileFiles(b)
	for _, hf := range files {
		hf.write(b, filepath.Join(dir, hf.name))
	}
	floorFile := filepath.Join(dir, "units.csv")
	if err := os.WriteFile(floorFile, []byte("code,name,kind,parent_code\nGL,Tỉnh Gia Lai,province,\n"), 0o600); err != nil {
		b.Fatal(err)
	}

	b.Run("cli", func(b *testing.B) {
		db := filepath.Join(dir, "cli.db")
		importOnce := func(b *testing.B, path string) (float64, string) {
			c := startMemChild(b, []string{"SCORECARD_DB=" + db}, "", "import", "--db", db, path)
			mb := c.wait(b)
			return mb, c.stderr.String()
		}
		// A first run creates the database and loads the demo.
		if _, out := importOnce(b, floorFile); strings.Contains(out, "panic") {
			b.Fatal(out)
		}
		floor := 0.0
		for i := 0; i < b.N; i++ {
			mb, _ := importOnce(b, floorFile)
			floor = max(floor, mb)
		}
		for _, hf := range files {
			b.Run(hf.name, func(b *testing.B) {
				peak, out := 0.0, ""
				for i := 0; i < b.N; i++ {
					mb, o := importOnce(b, filepath.Join(dir, hf.name))
					peak, out = max(peak, mb), o
				}
				reportPeak(b, peak, floor, out)
			})
		}
	})

	b.Run("web", func(b *testing.B) {
		db := filepath.Join(dir, "web.db")
		env := []string{"SCORECARD_DB=" + db}
		const pw = "mật-khẩu-văn-phòng"
		c := startMemChild(b, env, pw+"\n", "user", "add", "--role", "office", "vanphong")
		if c.wait(b); c.cmd.ProcessState.ExitCode() != 0 {
			b.Fatalf("user add: %s", c.stderr.String())
		}
		floor := 0.0
		for _, hf := range append([]hostileFile{{name: "units.csv"}}, files...) {
			name, uploads := hf.name, 1
			if strings.HasPrefix(name, "header-") {
				uploads = 4 // four at once
			}
			label := name
			if uploads > 1 {
				label = fmt.Sprintf("%s×%d", name, uploads)
			}
			b.Run(label, func(b *testing.B) {
				peak, out := 0.0, ""
				for i := 0; i < b.N; i++ {
					mb, o := serveUploads(b, env, pw, filepath.Join(dir, name), uploads)
					peak, out = max(peak, mb), o
				}
				if name == "units.csv" {
					floor = peak
					b.ReportMetric(peak, "floor-MB")
					b.Logf("floor: peak RSS %.0f MB", peak)
					return
				}
				reportPeak(b, peak, floor, out)
			})
		}
	})
}

func reportPeak(b *testing.B, peak, floor float64, out string) {
	b.Helper()
	b.ReportMetric(peak, "peak-MB")
	if floor > 0 {
		b.ReportMetric(floor, "floor-MB")
	}
	if len(out) > 300 {
		out = out[:300] + "…"
	}
	b.Logf("peak RSS %.0f MB (floor %.0f MB); output: %s", peak, floor, out)
	if peak > hostileCeilingMB {
		b.Errorf("peak RSS %.0f MB, above the %d MB ceiling", peak, hostileCeilingMB)
	}
}

// serveUploads starts `scorecard serve`, signs in as an office account,
// uploads path n times at once, waits for each check to end, stops the
// server and returns its peak RSS and the first answer's text.
func serveUploads(b *testing.B, env []string, pw, path string, n int) (float64, string) {
	b.Helper()
	addr := freeAddrB(b)
	c := startMemChild(b, env, "", "serve", "--addr", addr)
	base := "http://" + addr
	stopped := false
	stop := func() float64 {
		stopped = true
		return c.stop(b)
	}
	defer func() {
		if !stopped {
			_ = c.cmd.Process.Kill()
			_ = c.cmd.Wait()
		}
	}()
	deadline := time.Now().Add(60 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			break
		}
		if time.Now().After(deadline) {
			b.Fatalf("server did not start: %s", c.stderr.String())
		}
		time.Sleep(50 * time.Millisecond)
	}
	token := regexp.MustCompile(`name="_csrf" value="([^"]+)"`)
	var answers []string
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		jar, err := cookiejar.New(nil)
		if err != nil {
			b.Fatal(err)
		}
		cl := &http.Client{Jar: jar, Timeout: 10 * time.Minute}
		page := func(resp *http.Response, err error) (int, string) {
			if err != nil {
				b.Error(err)
				return 0, ""
			}
			defer resp.Body.Close()
			body, err := io.ReadAll(resp.Body)
			if err != nil {
				b.Error(err)
			}
			return resp.StatusCode, string(body)
		}
		_, login := page(cl.Get(base + "/login"))
		m := token.FindStringSubmatch(login)
		if m == nil {
			b.Fatalf("no CSRF token on the login page")
		}
		if code, _ := page(cl.PostForm(base+"/login", url.Values{"_csrf": {m[1]}, "username": {"vanphong"}, "password": {pw}, "next": {"/staff"}})); code != http.StatusOK {
			b.Fatalf("sign in: %d", code)
		}
		_, form := page(cl.Get(base + "/staff/import"))
		if m = token.FindStringSubmatch(form); m == nil {
			b.Fatalf("no CSRF token on the import page")
		}
		csrf := m[1]
		wg.Add(1)
		go func() {
			defer wg.Done()
			pr, pw := io.Pipe()
			mw := multipart.NewWriter(pw)
			go func() {
				_ = mw.WriteField("_csrf", csrf)
				fw, err := mw.CreateFormFile("file", filepath.Base(path))
				if err == nil {
					var f *os.File
					if f, err = os.Open(path); err == nil {
						_, err = io.Copy(fw, f)
						f.Close()
					}
				}
				if err == nil {
					err = mw.Close()
				}
				pw.CloseWithError(err)
			}()
			req, err := http.NewRequest(http.MethodPost, base+"/staff/import", pr)
			if err != nil {
				b.Error(err)
				return
			}
			req.Header.Set("Content-Type", mw.FormDataContentType())
			code, body := page(cl.Do(req))
			// The check goes on in the background past the request's
			// wait: follow the status page until it is over.
			for end := time.Now().Add(10 * time.Minute); code == http.StatusOK && strings.Contains(body, "/progress") && time.Now().Before(end); {
				time.Sleep(200 * time.Millisecond)
				status := regexp.MustCompile(`/staff/import/[A-Za-z0-9_-]+`).FindString(body)
				if status == "" {
					break
				}
				code, body = page(cl.Get(base + status))
			}
			mu.Lock()
			answers = append(answers, fmt.Sprintf("%d %s", code, pageText(body)))
			mu.Unlock()
		}()
	}
	wg.Wait()
	mb := stop()
	if len(answers) == 0 {
		return mb, ""
	}
	return mb, answers[0]
}

// pageText is the problems part of an import page, tags removed.
func pageText(html string) string {
	if i := strings.Index(html, "<h1"); i >= 0 {
		html = html[i:]
	}
	html = regexp.MustCompile(`(?s)<[^>]*>`).ReplaceAllString(html, " ")
	return strings.Join(strings.Fields(html), " ")
}

func freeAddrB(b *testing.B) string {
	b.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}
