package cli

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"scorecard/config"
)

// healthcheck probes /healthz of a running server. The runtime image has no
// shell, curl or wget, so Docker's HEALTHCHECK runs the binary itself.
func healthcheck(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := plainFlags(t, "healthcheck")
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fail(err, "config.addr", cfg.Addr)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1" // a server listening everywhere answers on loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	u := "http://" + net.JoinHostPort(host, port) + "/healthz"
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return fail(err, "cli.health.failed", u)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fail(err, "cli.health.failed", u)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fail(fmt.Errorf("HTTP %d", resp.StatusCode), "cli.health.failed", u)
	}
	t.say("cli.health.ok")
	return nil
}
