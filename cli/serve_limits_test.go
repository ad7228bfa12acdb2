package cli

import (
	"net"
	"net/http"
	"path/filepath"
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
