package cli

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"runtime/debug"
	"time"

	"github.com/valyala/fasthttp"

	"scorecard/auth"
	"scorecard/config"
	"scorecard/handlers"
	"scorecard/handlers/pagecache"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/scorecache"
)

// sweepEvery is how often expired sessions are deleted (logins also delete
// their account's expired sessions).
const sweepEvery = 30 * time.Minute

// sweepSessions deletes expired sessions now and then until ctx ends.
func sweepSessions(ctx context.Context, accounts *auth.Service, log *slog.Logger) {
	t := time.NewTicker(sweepEvery)
	defer t.Stop()
	for {
		if n, err := accounts.Sweep(ctx); err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Warn("could not delete expired sessions", "err", err)
		} else if n > 0 {
			log.Info("deleted expired sessions", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// limitServer sets how long a client may take to send a request, to read
// an answer and to keep a connection idle: without them, a connection that
// sends half a header holds its descriptor for ever. The upload route
// gives its body longer (handlers).
func limitServer(srv *fasthttp.Server, cfg config.Config) {
	srv.ReadTimeout = cmp.Or(cfg.ReadTimeout, config.DefaultReadTimeout)
	srv.WriteTimeout = cmp.Or(cfg.WriteTimeout, config.DefaultWriteTimeout)
	srv.IdleTimeout = cmp.Or(cfg.IdleTimeout, config.DefaultIdleTimeout)
	srv.WriteBufferSize = writeBufferSize
}

// writeBufferSize is the size of a connection's write buffer: a kept page
// (7 to 10 kB compressed, with 800 bytes of headers) goes out in one write.
// With fasthttp's 4 kB default, every answer over 4 kB took two system
// calls, half of the server's work on a kept page. A connection keeps its
// buffer while it stays open (IdleTimeout): 2048 connections (MaxConns) hold
// 32 MB of them at most.
const writeBufferSize = 16 << 10

// serveMemoryLimit is the server's soft memory limit unless GOMEMLIMIT
// says otherwise: a province's data, scores and kept pages live in some 60
// MB; without a limit the collector lets the heap grow to twice that before
// it runs, and a modest server shared with the database should not give a
// dashboard more than 150 MB.
const serveMemoryLimit = 110 << 20

func serve(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := scoringFlags(t, "serve", &cfg)
	fs.StringVar(&cfg.Addr, "addr", cfg.Addr, "")
	fs.BoolVar(&cfg.NoDemo, "no-demo", cfg.NoDemo, "")
	fs.BoolVar(&cfg.DrillDown, "drilldown", cfg.DrillDown, "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	log := logger(t.stderr)
	if os.Getenv("GOMEMLIMIT") == "" {
		debug.SetMemoryLimit(serveMemoryLimit)
	}
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
			t.say("cli.serve.demo")
		}
	}

	// Accounts, drafts and the staff pages.
	svc := scorecache.New(st, schemes)
	// The scores being written to the database finish before it closes.
	defer svc.Wait()
	snap := scorecache.SnapshotFunc(svc)
	// The answers of the public pages, kept until the data changes: the
	// watcher loads the new data and prepares the pages most asked for
	// whenever an import, a publish or a correction moves the stamp,
	// through this process or another on the same database.
	pages := pagecache.New(svc, pagecache.Options{Log: log})
	// Corrections whose snapshot a crash left uncomputed.
	if n, err := st.CompleteRevisions(ctx, snap); err != nil {
		log.Warn("could not complete the pending revisions; they stay pending", "err", err)
	} else if n > 0 {
		log.Info("completed pending revisions of corrected periods", "count", n)
	}
	aopts, err := auth.OptionsFrom(cfg)
	if err != nil {
		return fail(err, "cli.serve.failed")
	}
	aopts.Log = log
	accounts, err := auth.New(ctx, st, aopts)
	if err != nil {
		return fail(err, "cli.serve.failed")
	}
	defer accounts.Wait()
	if n, err := st.CountUsers(ctx, models.RoleAdmin); err != nil {
		return fail(err, "cli.db.read")
	} else if n == 0 {
		t.warn("cli.serve.noadmin")
	}
	imp := importer.New(st, schemes)
	imp.MaxBytes = cfg.UploadLimit
	app, err := handlers.New(handlers.Deps{
		Scores: svc,
		Log:    log,
		Options: handlers.Options{OfficeName: cfg.OfficeName, ReportSymbol: cfg.ReportSymbol, ReportSignerTitle: cfg.ReportSignerTitle,
			ReportSignerName: cfg.ReportSignerName, ReportRecipients: cfg.ReportRecipients, EmbedAncestors: cfg.EmbedAncestors,
			BasePath: cfg.BasePath, UploadLimit: cfg.UploadLimit, UploadDir: cfg.UploadDir, PublicURL: cfg.PublicURL, DrillDown: cfg.DrillDown},
		Store:    st,
		Dossiers: st, // the unit pages' drill-down
		Auth:     accounts,
		Importer: imp,
		Snapshot: snap,
		Pages:    pages,
	})
	if err != nil {
		return fail(err, "cli.serve.failed")
	}
	go pages.Watch(ctx, func(ctx context.Context) error {
		if err := svc.Warm(ctx); err != nil {
			return err
		}
		// The running periods' day-by-day series (a unit page's chart)
		// take seconds to replay for a year of daily captures: ready
		// before the pages are prepared again.
		return svc.WarmDays(ctx)
	})
	go sweepSessions(ctx, accounts, log)
	if cfg.Portal.Province != "" {
		go dailyFetch(ctx, t.l, cfg, st, schemes, log)
	}
	limitServer(app.Server(), cfg)
	files, err := raiseFileLimit()
	if err != nil {
		log.Warn("could not read the limit of open files", "err", err)
	}
	conns := connCap(cmp.Or(cfg.MaxConns, config.DefaultMaxConns), files)
	if conns < cmp.Or(cfg.MaxConns, config.DefaultMaxConns) {
		log.Info("connections capped to fit the limit of open files", "max_conns", conns, "open_files", files)
	}
	raw, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fail(err, "cli.serve.listen", cfg.Addr)
	}
	ln := newGuardedListener(raw, conns, log)
	t.say("cli.serve.listening", fmt.Sprintf("http://%s%s/", ln.Addr(), cfg.BasePath))
	errc := make(chan error, 1)
	go func() { errc <- app.Listener(ln) }()
	select {
	case err := <-errc:
		return fail(err, "cli.serve.failed")
	case <-ctx.Done():
	}
	// Graceful shutdown: finish requests in flight, refuse new ones.
	log.Info("shutting down")
	if err := app.ShutdownWithTimeout(10 * time.Second); err != nil {
		return fail(err, "cli.serve.failed")
	}
	if err := <-errc; err != nil && !errors.Is(err, net.ErrClosed) {
		return fail(err, "cli.serve.failed")
	}
	return nil
}
