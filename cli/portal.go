package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"time"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/present"
	"scorecard/scoring"
	"scorecard/store"
)

// The national portal's captures on the command line: import of captures
// and bare responses (import.go dispatches here), and fetch.

// printRefusal prints a refused capture's problems and records the
// refusal in the audit trail.
func printRefusal(ctx context.Context, t *console, st *store.Store, name string, pe *portal.ProblemsError, err error) {
	t.warnN(pe.Total, "cli.import.refused", name, present.Int(t.l, int64(pe.Total)))
	for _, line := range pe.Lines(t.l) {
		fmt.Fprintln(t.stderr, "  "+line)
	}
	detail := importer.AuditDetail(pe, err, models.SourceCLI)
	detail["kind"] = models.ImportPortal
	e := cliActor.Entry(models.ActionImportRefused, name, detail)
	if err := st.AppendAudit(ctx, &e); err != nil {
		t.warn("cli.audit.failed", err)
	}
}

// portalOutcome prints the outcome of one portal import and returns the
// error to stop on (a refusal is returned as errPrinted, already shown).
func portalOutcome(ctx context.Context, t *console, st *store.Store, name string, rep *portal.Report, err error) error {
	if err == nil {
		fmt.Fprintln(t.stdout, rep.Text(t.l))
		return nil
	}
	var pe *portal.ProblemsError
	if errors.As(err, &pe) {
		printRefusal(ctx, t, st, name, pe, err)
		return errPrinted
	}
	if aerr := auditFailed(ctx, st, name, err); aerr != nil {
		t.warn("cli.audit.failed", aerr)
	}
	return fail(err, "cli.import.failed", name)
}

// errPrinted is a failure whose explanation was printed already.
var errPrinted = errors.New("cli: refused")

// isPortalResponse reports whether path looks like a bare answer of the
// portal (a JSON object), so that an import without --period can say what
// is missing instead of calling it an unknown table.
func isPortalResponse(path string) bool {
	if !strings.EqualFold(filepath.Ext(path), ".json") {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 64)
	n, _ := io.ReadFull(f, head)
	s := strings.TrimLeft(strings.TrimPrefix(string(head[:n]), "\uFEFF"), " \t\r\n")
	return strings.HasPrefix(s, "{")
}

// parseAsOf reads --as-of: RFC 3339 with its offset, or a date and time
// without one, taken as Vietnam's.
func parseAsOf(s string) (time.Time, error) {
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t, nil
	}
	for _, layout := range []string{"2006-01-02T15:04:05", "2006-01-02T15:04", "2006-01-02 15:04"} {
		if t, err := time.ParseInLocation(layout, s, scoring.Location); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("cli: %q is not a time such as 2026-09-26T10:00:00+07:00", s)
}

// periodList is a repeatable --period flag.
type periodList []scoring.Period

func (l *periodList) String() string {
	parts := make([]string, len(*l))
	for i, p := range *l {
		parts[i] = p.String()
	}
	return strings.Join(parts, ",")
}

func (l *periodList) Set(s string) error {
	p, err := scoring.ParsePeriod(s)
	if err != nil || p.String() != s {
		return fmt.Errorf("%q is not a period such as 2026-08, 2026-Q3 or 2026", s)
	}
	if !portal.Supported(p) {
		return fmt.Errorf("%s: the portal publishes months, quarters and years only", s)
	}
	*l = append(*l, p)
	return nil
}

// fetchCmd fetches captures from the portal, writes each into the
// captures folder and imports the complete ones (docs/portal-captures.md). Without --period: the running month, quarter and year,
// and the last closed month.
func fetchCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := scoringFlags(t, "fetch", &cfg)
	fs.StringVar(&cfg.Portal.Province, "province", cfg.Portal.Province, "")
	var periods periodList
	fs.Var(&periods, "period", "")
	fs.StringVar(&cfg.Portal.URL, "portal-url", cfg.Portal.URL, "")
	fs.StringVar(&cfg.Portal.CapturesDir, "captures", cfg.Portal.CapturesDir, "")
	pause := fs.Duration("pause", time.Second, "")
	retries := fs.Int("retries", 4, "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	if strings.TrimSpace(cfg.Portal.Province) == "" {
		return t.usageErr("cli.fetch.province")
	}
	if *pause < 0 || *retries < 0 || *retries > 10 {
		return t.usageErr("cli.fetch.limits")
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	cl := portal.NewClient(cfg.Portal.URL, portal.NewReader(schemes))
	cl.Pause, cl.Retries, cl.Backoff = *pause, *retries, 2**pause
	if len(periods) == 0 {
		periods = portal.Running(time.Now())
	}
	return fetchPeriods(ctx, t, st, portal.NewImporter(st, schemes), cl, cfg, periods)
}

// fetchPeriods fetches, writes and imports each period in turn; it goes on
// after a failure and fails at the end if any did.
func fetchPeriods(ctx context.Context, t *console, st *store.Store, im *portal.Importer, cl *portal.Client, cfg config.Config,
	periods []scoring.Period) error {
	root := cfg.CapturesDir()
	failed := 0
	for _, p := range periods {
		t.say("portal.fetch.start", present.Period(t.l, p), cl.BaseURL)
		res, err := im.Fetch(ctx, cl, root, cfg.Portal.Province, p, models.SourceCLI)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if res != nil && res.Dir != "" {
			fmt.Fprintln(t.stdout, "  "+t.T("portal.fetch.saved", res.Dir))
		}
		switch {
		case err != nil:
			failed++
			if perr := portalOutcome(ctx, t, st, filepath.Base(dirOf(res)), nil, err); !errors.Is(perr, errPrinted) {
				printError(t, perr)
			}
		case len(res.Errors) > 0:
			failed++
			t.warnN(len(res.Errors), "portal.fetch.incomplete", present.Period(t.l, p), fmt.Sprint(len(res.Errors)), res.Dir)
			for _, e := range res.Errors {
				// The request's own error, as the client saw it.
				fmt.Fprintln(t.stderr, "    "+t.T("portal.fetch.request", string(e.Endpoint), fmt.Sprint(e.Page), e.Error))
			}
		default:
			fmt.Fprintln(t.stdout, res.Report.Text(t.l))
		}
	}
	if failed > 0 {
		return failN(len(periods), nil, "portal.fetch.failed", fmt.Sprint(failed), fmt.Sprint(len(periods)))
	}
	return nil
}

func dirOf(res *portal.FetchResult) string {
	if res == nil {
		return "capture"
	}
	return res.Dir
}

// dailyFetch fetches the configured province's running periods every day
// at the configured time (Vietnam's), until ctx ends. A failed fetch is
// logged; the next day tries again.
func dailyFetch(ctx context.Context, l i18n.Lang, cfg config.Config, st *store.Store, schemes *scoring.Schemes, log *slog.Logger) {
	im := portal.NewImporter(st, schemes)
	cl := portal.NewClient(cfg.Portal.URL, im.Reader)
	for {
		next := nextRun(time.Now(), cfg.Portal.At)
		log.Info("next fetch from the national portal", "province", cfg.Portal.Province, "at", next.Format(time.RFC3339))
		if err := sleepUntil(ctx, next); err != nil {
			return
		}
		var out strings.Builder
		err := fetchPeriods(ctx, &console{l: l, stdout: &out, stderr: &out}, st, im, cl, cfg, portal.Running(time.Now()))
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			log.Warn("fetch from the national portal failed", "err", err, "output", out.String())
		} else {
			log.Info("fetched from the national portal", "output", out.String())
		}
	}
}

// nextRun is the next moment after now at time of day at, in Vietnam.
func nextRun(now time.Time, at time.Duration) time.Time {
	t := now.In(scoring.Location)
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, scoring.Location)
	next := day.Add(at)
	if !next.After(t) {
		next = day.AddDate(0, 0, 1).Add(at)
	}
	return next
}

func sleepUntil(ctx context.Context, t time.Time) error {
	timer := time.NewTimer(time.Until(t))
	defer timer.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-timer.C:
		return nil
	}
}

// importPortalFlags are import's options for bare responses.
type importPortalFlags struct {
	period, asOf *string
}

func addPortalFlags(fs *flag.FlagSet) importPortalFlags {
	return importPortalFlags{
		period: fs.String("period", "", ""),
		asOf:   fs.String("as-of", "", ""),
	}
}
