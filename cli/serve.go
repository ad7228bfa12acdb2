package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"time"

	"scorecard/config"
	"scorecard/handlers"
	"scorecard/importer"
	"scorecard/scores"
)

func serve(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("serve", &cfg, stdout, stderr)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "HOST:PORT to listen on")
	fs.BoolVar(&cfg.NoDemo, "no-demo", cfg.NoDemo, "do not load the demo data into an empty database")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "Tham số thừa / unexpected arguments: %v\n", fs.Args())
		return errUsage
	}
	log := logger(stderr)
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()

	if !cfg.NoDemo {
		loaded, err := loadDemoIfEmpty(ctx, st, importer.New(st, schemes))
		if err != nil {
			return err
		}
		if loaded {
			log.Info("loaded the demo data set (Bắc Kạn, 2023-05 … 2024-04); remove it with: scorecard demo remove")
		}
	}

	app, err := handlers.New(handlers.Deps{
		Scores:  scores.New(st, schemes),
		Log:     log,
		Options: handlers.Options{OfficeName: cfg.OfficeName},
	})
	if err != nil {
		return fmt.Errorf("cli: build web app: %w", err)
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("cli: listen on %s: %w", cfg.Addr, err)
	}
	fmt.Fprintf(stdout, "Bảng điều khiển / dashboard: http://%s/\n", ln.Addr())
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("cli: serve: %w", err)
	case <-ctx.Done():
	}
	// Graceful shutdown: finish requests in flight, refuse new ones.
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fmt.Errorf("cli: shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return fmt.Errorf("cli: serve: %w", err)
	}
	return nil
}
