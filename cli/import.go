package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// importCmd imports the files in order, each in its own transaction. On the
// first refused file it prints every problem of that file, imports no further
// file and fails (formats.md). A file that would change published periods
// is refused unless --correction gives the written reason; each corrected
// period then gets a new revision. --publish publishes the periods of the
// files' rows (a month's rows publish that month, not its quarter).
func importCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", &cfg, stdout, stderr)
	publish := fs.Bool("publish", false, "publish the periods the import touched")
	reason := fs.String("correction", "", "import as a correction of published periods, with this written reason")
	pf := addPortalFlags(fs)
	langFlag := fs.String("lang", "en", "language of the problems of a refused file: en or vi")
	if err := parse(fs, args); err != nil {
		return err
	}
	problemLang, ok := i18n.Parse(*langFlag)
	if !ok {
		fmt.Fprintf(stderr, "--lang %q: dùng vi hoặc en / use vi or en\n", *langFlag)
		return errUsage
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "Cần ít nhất một tệp / at least one FILE is needed.")
		return errUsage
	}
	// Bare portal responses: --period and --as-of say what they are.
	var barePeriod scoring.Period
	var bareAsOf time.Time
	if *pf.period != "" || *pf.asOf != "" {
		var err error
		if barePeriod, err = scoring.ParsePeriod(*pf.period); err != nil || barePeriod.String() != *pf.period || !portal.Supported(barePeriod) {
			fmt.Fprintln(stderr, "--period: kỳ của Cổng là tháng, quý hoặc năm, ví dụ 2026-08, 2026-Q3, 2026 / the portal's periods are months, quarters and years, e.g. 2026-08, 2026-Q3, 2026.")
			return errUsage
		}
		if bareAsOf, err = parseAsOf(*pf.asOf); err != nil {
			fmt.Fprintln(stderr, "--as-of: thời điểm thu, ví dụ 2026-09-26T10:00:00+07:00 / the capture time, e.g. 2026-09-26T10:00:00+07:00.")
			return errUsage
		}
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	imp := importer.New(st, schemes)
	svc := scorecache.New(st, schemes)
	ctx = store.WithActor(ctx, cliActor)
	if *reason != "" {
		ctx = store.WithCorrection(ctx, store.Correction{Reason: *reason, By: cliActor})
	}
	var touched []string
	seen := map[string]bool{}
	touch := func(periods []string) {
		for _, p := range periods {
			if !seen[p] {
				seen[p] = true
				touched = append(touched, p)
			}
		}
	}
	pim := portal.NewImporter(st, schemes)
	if !barePeriod.IsZero() {
		// The files are the pages of one or more endpoints of one
		// capture: imported together, in one transaction.
		name := filepath.Base(fs.Arg(0))
		rep, err := pim.ImportResponses(ctx, fs.Args(), barePeriod, bareAsOf, models.SourceCLI)
		if err := portalOutcome(ctx, st, stdout, stderr, name, rep, err); err != nil {
			return err
		}
		touch(rep.Periods)
		return finishImport(ctx, st, svc, *reason != "", *publish, touched, stdout)
	}
	for _, path := range fs.Args() {
		if portal.IsCapture(path) {
			rep, err := pim.ImportCapture(ctx, path, models.SourceCLI)
			if err := portalOutcome(ctx, st, stdout, stderr, filepath.Base(path), rep, err); err != nil {
				return err
			}
			touch(rep.Periods)
			continue
		}
		if isPortalResponse(path) {
			fmt.Fprintf(stderr, "%s: %s\n  %s\n", path, i18n.VI.T("portal.problem.nomanifest", portal.ManifestName), i18n.EN.T("portal.problem.nomanifest", portal.ManifestName))
			return errUsage
		}
		imp.Progress = progressBar(stderr, path) // a large dossier file on a terminal
		rep, err := imp.ImportFile(ctx, path, models.SourceCLI)
		if err != nil {
			var pe *importer.ProblemsError
			if errors.As(err, &pe) {
				fmt.Fprintf(stderr, "%s: bị từ chối, không có gì thay đổi / refused, nothing changed (%d lỗi / problems):\n", path, pe.Total)
				for _, line := range pe.Lines(problemLang) {
					fmt.Fprintln(stderr, "  "+line)
				}
				if aerr := auditRefused(ctx, st, path, pe, err); aerr != nil {
					fmt.Fprintln(stderr, "Lỗi / error:", aerr)
				}
				return err
			}
			if aerr := auditFailed(ctx, st, path, err); aerr != nil {
				fmt.Fprintln(stderr, "Không ghi được nhật ký / could not write the audit trail:", aerr)
			}
			return fmt.Errorf("cli: import %s: %w", path, err)
		}
		fmt.Fprintln(stdout, rep.String())
		touch(rep.Periods)
	}
	return finishImport(ctx, st, svc, *reason != "", *publish, touched, stdout)
}

// finishImport completes the revisions the import added to published
// periods (corrections, new months of running ones) and publishes the
// periods touched when asked.
func finishImport(ctx context.Context, st *store.Store, svc *scorecache.Service, correction, publish bool, touched []string, stdout io.Writer) error {
	n, err := st.CompleteRevisions(ctx, snapshotFunc(svc))
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	if n > 0 && correction {
		fmt.Fprintf(stdout, "Đã điều chỉnh %d kỳ đã công bố (bản mới) / corrected %d published period(s) (new revisions)\n", n, n)
	}
	if publish && len(touched) > 0 {
		return publishPeriods(ctx, st, snapshotFunc(svc), touched, stdout)
	}
	return nil
}

// auditRefused records a refused file in the audit trail (the import's own
// transaction was rolled back with its rows).
func auditRefused(ctx context.Context, st *store.Store, path string, pe *importer.ProblemsError, err error) error {
	detail := importer.AuditDetail(pe, err, models.SourceCLI)
	e := cliActor.Entry(models.ActionImportRefused, filepath.Base(path), detail)
	return st.AppendAudit(ctx, &e)
}

// auditFailed records an import that failed for a reason other than its
// content (a full disk, an unreadable file, the database), when the trail
// can still be written: after a full disk the store has given the WAL's
// space back, which is usually enough for the row.
func auditFailed(ctx context.Context, st *store.Store, path string, err error) error {
	reason := "error"
	if errors.Is(err, store.ErrDiskFull) {
		reason = "disk_full"
	}
	e := cliActor.Entry(models.ActionImportFailed, filepath.Base(path), map[string]string{"source": models.SourceCLI, "reason": reason})
	// The import's own context may be the one that ended it.
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	return st.AppendAudit(actx, &e)
}
