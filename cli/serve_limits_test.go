package cli

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// A stranger must not be able to stop the server by opening connections:
// with 256 open files allowed, 300 connections that each send half a
// header and wait. Before the server had timeouts, a connection cap and an
// accept that survives "too many open files", the process ended there.
func TestServeSurvivesDescriptorExhaustion(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process (slow)")
	}
	env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "fd.db"), "SCORECARD_READ_TIMEOUT": "1s"}
	c := startChild(t, env, 256, "--no-demo")

	const slow = 300
	var conns []net.Conn
	defer func() {
		for _, cn := range conns {
			_ = cn.Close()
		}
	}()
	refused := 0
	for range slow {
		cn, err := net.DialTimeout("tcp", c.base[len("http://"):], 5*time.Second)
		if err != nil {
			refused++
			continue
		}
		if _, err := cn.Write([]byte("GET / HTTP/1.1\r\nHost: x\r\n")); err != nil {
			t.Logf("write: %v", err)
		}
		conns = append(conns, cn)
	}
	cl := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	resp, err := cl.Get(c.base + "/healthz")
	during := time.Since(start)
	if err != nil {
		t.Errorf("with %d slow connections open, /healthz: %v (server alive: %v)", len(conns), err, c.alive())
	} else {
		_ = resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("with %d slow connections open, /healthz: %d", len(conns), resp.StatusCode)
		}
	}
	t.Logf("%d slow connections opened (%d refused); /healthz answered in %s meanwhile", len(conns), refused, during.Round(time.Millisecond))
	for _, cn := range conns {
		_ = cn.Close()
	}
	conns = nil
	if !c.alive() {
		t.Fatalf("the server ended: %v\n%s", c.err, c.logs)
	}
	resp, err = cl.Get(c.base + "/healthz")
	if err != nil {
		t.Fatalf("after the slow connections: %v", err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("after the slow connections: %d", resp.StatusCode)
	}
	if err := c.stop(t); err != nil {
		t.Errorf("graceful stop: %v\n%s", err, c.logs)
	}
}

// Bodies are read within their route's limit as they arrive: twelve 62 MB
// POSTs to /login at once, with their length and chunked, cost the server
// next to nothing (before: every body was read whole, 123 MB → 2,3 GB), and
// it answers afterwards. Peak resident memory is measured from outside.
func TestServeBodyLimitsBoundMemory(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a server process and sends 1,5 GB (slow)")
	}
	env := map[string]string{"SCORECARD_DB": filepath.Join(t.TempDir(), "mem.db")}
	c := startChild(t, env, 0, "--no-demo")
	cl := &http.Client{Timeout: 60 * time.Second}
	if resp, err := cl.Get(c.base + "/login"); err == nil {
		_ = resp.Body.Close()
	}
	floor := c.peakRSS(t)
	body := bytes.Repeat([]byte("a"), 62<<20)
	statuses := map[string]int{}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for i := range 24 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r io.Reader = bytes.NewReader(body)
			kind := "length"
			if i%2 == 1 {
				r, kind = io.MultiReader(r), "chunked" // no length known: sent chunked
			}
			req, err := http.NewRequest(http.MethodPost, c.base+"/login", r)
			if err != nil {
				t.Error(err)
				return
			}
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			resp, err := cl.Do(req)
			key := kind + ": "
			if err != nil {
				key += "connection closed while sending"
			} else {
				_ = resp.Body.Close()
				key += resp.Status
			}
			mu.Lock()
			statuses[key]++
			mu.Unlock()
		}()
	}
	wg.Wait()
	peak := c.peakRSS(t)
	t.Logf("peak RSS %d MB after start, %d MB after 24 POSTs of 62 MB to /login; answers %v", floor>>20, peak>>20, statuses)
	for k := range statuses {
		if !strings.Contains(k, "413") && !strings.Contains(k, "closed") {
			t.Errorf("an answer other than 413: %s", k)
		}
	}
	if grew := peak - floor; grew > 64<<20 {
		t.Errorf("the server grew by %d MB for bodies it refuses, want under 64 MB", grew>>20)
	}
	resp, err := cl.Get(c.base + "/healthz")
	if err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("after the POSTs: %v %v", resp, err)
	}
	_ = resp.Body.Close()
	if err := c.stop(t); err != nil {
		t.Errorf("graceful stop: %v\n%s", err, c.logs)
	}
}
