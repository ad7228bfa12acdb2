package cli

import (
	"bytes"
	"context"
	"errors"

	"scorecard/config"
	"scorecard/data/demo"
	"scorecard/data/demo/running"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// loadDemoIfEmpty loads the demo data set into a database that has never
// received an import. A database whose demo was removed is not empty (its
// import log remains), so the demo does not come back.
func loadDemoIfEmpty(ctx context.Context, st *store.Store, imp *importer.Importer) (bool, error) {
	log, err := st.Imports(ctx, 1)
	if err != nil {
		return false, fail(err, "cli.db.read")
	}
	if len(log) > 0 {
		return false, nil
	}
	return true, loadDemo(ctx, imp)
}

// loadDemo imports the demo data set, file by file in its order (units
// before the changes and counts that name them), and publishes its months,
// oldest first: each publishes the quarters, half-years and years it ends
// (store.PublishDemo), as an office's publishing would, so a period still
// running in the demo's last month stays a draft. The public pages show
// them; the publications are marked demo and go with it (demo remove).
func loadDemo(ctx context.Context, imp *importer.Importer) error {
	if err := loadDemoMonths(ctx, imp); err != nil {
		return err
	}
	// The running year, day by day, as the portal publishes it, drawn
	// from the months just loaded. It stays a draft, as an office's
	// running year does. (Drawn while the months go in, it cost more CPU,
	// not less: its captures in memory made the import's garbage
	// collection slower.)
	if _, err := running.Load(ctx, imp.Store(), imp.Schemes()); err != nil {
		return fail(err, "cli.demo.loadfailed", running.Name)
	}
	return nil
}

// loadDemoMonths imports the demo's files and publishes their months.
func loadDemoMonths(ctx context.Context, imp *importer.Importer) error {
	var periods []string
	for _, f := range demo.Files() {
		rep, err := imp.Import(ctx, "demo/"+f.Name, bytes.NewReader(f.Data), models.SourceDemo, true)
		if err != nil {
			return fail(err, "cli.demo.loadfailed", f.Name)
		}
		periods = append(periods, rep.Periods...)
	}
	// The illustrative boundaries of the communes, for the map.
	geo, err := demo.Boundaries()
	if err != nil {
		return fail(err, "cli.demo.loadfailed", demo.BoundariesName)
	}
	if _, err := imp.Import(ctx, "demo/"+demo.BoundariesName, bytes.NewReader(geo), models.SourceDemo, true); err != nil {
		return fail(err, "cli.demo.loadfailed", demo.BoundariesName)
	}
	st := imp.Store()
	snap := snapshotFunc(scorecache.New(st, imp.Schemes()))
	for _, p := range store.TouchedPeriods(periods) {
		if m, err := scoring.ParsePeriod(p); err != nil || m.Kind != scoring.Month {
			continue
		}
		if _, err := st.PublishDemo(ctx, p, snap); err != nil && !errors.Is(err, store.ErrAlreadyPublished) {
			return fail(err, "cli.publish.failed", p)
		}
	}
	return nil
}

func demoCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	action, err := subcommand(t, "demo", args, "remove", "load")
	if err != nil {
		return err
	}
	fs := flags(t, "demo "+action, &cfg)
	if action == "load" {
		fs.StringVar(&cfg.SchemesDir, "schemes", cfg.SchemesDir, "")
	}
	if err := parse(t, fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	if action == "load" {
		if err := loadDemo(ctx, importer.New(st, schemes)); err != nil {
			return err
		}
		t.say("cli.demo.loaded")
		return nil
	}
	n, err := st.RemoveDemo(ctx)
	if err != nil {
		return fail(err, "cli.demo.removefailed")
	}
	// The demo's publications go too: its periods become free for the
	// office's own data.
	pubs, err := st.RemoveDemoPublications(ctx)
	if err != nil {
		return fail(err, "cli.demo.removefailed")
	}
	e := cliActor.Entry(models.ActionDemoRemove, "demo", map[string]int{"units": n, "publications": pubs})
	if err := st.AppendAudit(ctx, &e); err != nil {
		return fail(err, "cli.demo.removefailed")
	}
	t.say("cli.demo.removed", present.Int(t.l, int64(n)), present.Int(t.l, int64(pubs)))
	return nil
}
