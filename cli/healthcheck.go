package cli

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"time"

	"scorecard/config"
)

// healthcheck probes /healthz of a running server. The runtime image has no
// shell, curl or wget, so Docker's HEALTHCHECK runs the binary itself.
func healthcheck(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("healthcheck", &cfg, stdout, stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "HOST:PORT of the server")
	if err := parse(fs, args); err != nil {
		return err
	}
	host, port, err := net.SplitHostPort(cfg.Addr)
	if err != nil {
		return fmt.Errorf("cli: healthcheck address %q: %w", cfg.Addr, err)
	}
	if host == "" || host == "0.0.0.0" || host == "::" {
		host = "127.0.0.1" // a server listening everywhere answers on loopback
	}
	ctx, cancel := context.WithTimeout(ctx, 3*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://"+net.JoinHostPort(host, port)+"/healthz", nil)
	if err != nil {
		return fmt.Errorf("cli: healthcheck: %w", err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return fmt.Errorf("cli: healthcheck: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("cli: healthcheck: status %d", resp.StatusCode)
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}
