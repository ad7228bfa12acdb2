package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"scorecard/config"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// importCmd imports the files in order, each in its own transaction. On the
// first refused file it prints every problem of that file, imports no further
// file and fails. A file that would change published periods is refused
// unless --correction gives the written reason; each corrected period then
// gets a new revision. --publish publishes the periods of the files' rows (a
// month's rows publish that month, and the longer periods it ends). Without
// it, the periods the import left as drafts are named, with the command
// that publishes them.
func importCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := scoringFlags(t, "import", &cfg)
	publish := fs.Bool("publish", false, "")
	reason := fs.String("correction", "", "")
	pf := addPortalFlags(fs)
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return t.usageErr("cli.import.nofile")
	}
	// Bare portal responses: --period and --as-of say what they are.
	var barePeriod scoring.Period
	var bareAsOf time.Time
	if *pf.period != "" || *pf.asOf != "" {
		var err error
		if barePeriod, err = scoring.ParsePeriod(*pf.period); err != nil || barePeriod.String() != *pf.period || !portal.Supported(barePeriod) {
			return t.usageErr("cli.import.period", *pf.period)
		}
		if bareAsOf, err = parseAsOf(*pf.asOf); err != nil {
			return t.usageErr("cli.import.asof", *pf.asOf)
		}
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	before, err := st.PublishedPeriods(ctx)
	if err != nil {
		return fail(err, "cli.db.read")
	}
	imp := importer.New(st, schemes)
	svc := scorecache.New(st, schemes)
	ctx = store.WithActor(ctx, cliActor)
	if *reason != "" {
		ctx = store.WithCorrection(ctx, store.Correction{Reason: *reason, By: cliActor})
	}
	var touched []string
	seen := map[string]bool{}
	touch := func(kind string, periods []string) {
		for _, p := range periods {
			// A dossier file's longer periods are derived from its
			// months: publishing the months publishes those that end.
			if q, err := scoring.ParsePeriod(p); err == nil && q.Kind != scoring.Month &&
				(kind == models.ImportDossiers || kind == models.ImportCatalogue) {
				continue
			}
			if !seen[p] {
				seen[p] = true
				touched = append(touched, p)
			}
		}
	}
	pim := portal.NewImporter(st, schemes)
	finish := func() error {
		return finishImport(ctx, t, st, svc, fs, before, *publish, touched)
	}
	if !barePeriod.IsZero() {
		// The files are the pages of one or more endpoints of one
		// capture: imported together, in one transaction.
		name := filepath.Base(fs.Arg(0))
		rep, err := pim.ImportResponses(ctx, fs.Args(), barePeriod, bareAsOf, models.SourceCLI)
		if err := portalOutcome(ctx, t, st, name, rep, err); err != nil {
			return err
		}
		touch(models.ImportPortal, rep.Periods)
		return finish()
	}
	for _, path := range fs.Args() {
		if portal.IsCapture(path) {
			rep, err := pim.ImportCapture(ctx, path, models.SourceCLI)
			if err := portalOutcome(ctx, t, st, filepath.Base(path), rep, err); err != nil {
				return err
			}
			touch(models.ImportPortal, rep.Periods)
			continue
		}
		if isPortalResponse(path) {
			return t.usageErr("cli.import.bare", path, t.T("portal.problem.nomanifest", portal.ManifestName))
		}
		imp.Progress = progressBar(t, path) // a large dossier file on a terminal
		rep, err := imp.ImportFile(ctx, path, models.SourceCLI)
		if err != nil {
			var pe *importer.ProblemsError
			if errors.As(err, &pe) {
				t.warnN(pe.Total, "cli.import.refused", path, present.Int(t.l, int64(pe.Total)))
				for _, line := range pe.Lines(t.l) {
					fmt.Fprintln(t.stderr, "  "+line)
				}
				if aerr := auditRefused(ctx, st, path, pe, err); aerr != nil {
					t.warn("cli.audit.failed", aerr)
				}
				return err
			}
			if aerr := auditFailed(ctx, st, path, err); aerr != nil {
				t.warn("cli.audit.failed", aerr)
			}
			return fail(err, "cli.import.failed", path)
		}
		t.say("cli.import.done", importSummary(t, rep))
		touch(rep.Kind, rep.Periods)
	}
	return finish()
}

// importSummary is what one file brought: its rows by outcome, the derived
// counts of a dossier or catalogue file, the periods.
func importSummary(t *console, r *importer.Report) string {
	n := func(v int) string { return present.Int(t.l, int64(v)) }
	s := t.l.TN(r.Rows, "cli.import.rows", r.FileName, n(r.Rows), t.T("cli.kind."+r.Kind), n(r.Inserted), n(r.Updated), n(r.Unchanged))
	if r.Kind == models.ImportCatalogue || r.Kind == models.ImportDossiers {
		s += t.l.TN(int(r.Derived), "cli.import.derived", n(r.Derived), decimal(t.l, strconv.FormatFloat(r.DeriveTime.Seconds(), 'f', 2, 64)))
	}
	if len(r.Periods) > 0 {
		s += t.T("cli.import.periods", strings.Join(r.Periods, ", "))
	}
	return s
}

// finishImport completes the revisions the import added to published
// periods and says what became of them (corrections; new months of longer
// periods published while running), then publishes the periods touched
// when asked, or names those left as drafts and the command that
// publishes them.
func finishImport(ctx context.Context, t *console, st *store.Store, svc *scorecache.Service, fs *flag.FlagSet,
	before map[string]models.Publication, publish bool, touched []string) error {
	if _, err := st.CompleteRevisions(ctx, snapshotFunc(svc)); err != nil {
		return fail(err, "cli.revisions.failed")
	}
	list, err := st.Publications(ctx) // newest first
	if err != nil {
		return fail(err, "cli.db.read")
	}
	after := make(map[string]models.Publication, len(list))
	var corrected, grown []string
	for i := len(list) - 1; i >= 0; i-- {
		now := list[i]
		after[now.Period] = now
		old, was := before[now.Period]
		switch {
		case !was || now.Revision == old.Revision:
		case now.CorrectedAt != nil && (old.CorrectedAt == nil || now.CorrectedAt.After(*old.CorrectedAt)):
			corrected = append(corrected, t.T("cli.revision", now.Period, now.Revision))
		default:
			grown = append(grown, t.T("cli.revision", now.Period, now.Revision))
		}
	}
	if len(corrected) > 0 {
		t.say("cli.import.corrected", strings.Join(corrected, ", "))
	}
	if len(grown) > 0 {
		t.say("cli.import.grown", strings.Join(grown, ", "))
	}
	if publish {
		if len(touched) == 0 {
			return nil
		}
		return publishPeriods(ctx, t, st, snapshotFunc(svc), touched)
	}
	var drafts []string
	for _, p := range touched {
		if _, ok := after[p]; !ok {
			drafts = append(drafts, p)
		}
	}
	if len(drafts) == 0 {
		return nil
	}
	key := "cli.import.drafts"
	if len(drafts) == 1 {
		key = "cli.import.drafts.one"
	}
	t.say(key, len(drafts), publishCommand(fs, drafts))
	return nil
}

// publishCommand is the command that publishes periods, with the --db of
// the command line that ran when it was given one (the environment's
// SCORECARD_DB is still there for the next command).
func publishCommand(fs *flag.FlagSet, periods []string) string {
	cmd := "scorecard publish"
	fs.Visit(func(f *flag.Flag) {
		if f.Name == "db" || f.Name == "schemes" {
			cmd += " --" + f.Name + " " + shellWord(f.Value.String())
		}
	})
	return cmd + " " + strings.Join(periods, " ")
}

// shellWord quotes s for a POSIX shell when it needs it.
func shellWord(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("-_./:=@,+", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
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
