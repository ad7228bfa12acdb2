package cli

import (
	"context"
	"errors"
	"fmt"

	"scorecard/config"
	"scorecard/models"
	"scorecard/present"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// cliActor is who the command line acts as in the audit trail: whoever can
// run it has the database file anyway.
var cliActor = store.Actor{Name: models.ActorCLI}

// publishCmd publishes periods: each is frozen as revision 1 of its
// publication. A month that ends a quarter, half-year or year (its last
// month, with every month of it with data published) publishes that period
// too; a quarter, half-year or year named here is published as it is, even
// while running. A period already published is left as it was (and said
// so); a period without data cannot be published.
func publishCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	fs := scoringFlags(t, "publish", &cfg)
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return t.usageErr("cli.publish.noperiod")
	}
	var periods []string
	for _, a := range fs.Args() {
		p, err := scoring.ParsePeriod(a)
		if err != nil {
			return t.usageErr("cli.period.invalid", a)
		}
		periods = append(periods, p.String())
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return publishPeriods(ctx, t, st, snapshotFunc(scorecache.New(st, schemes)), periods)
}

// publishPeriods publishes each period, reporting each; it goes on after a
// failure and returns the first.
func publishPeriods(ctx context.Context, t *console, st *store.Store, snap store.SnapshotFunc, periods []string) error {
	var first error
	for _, p := range periods {
		revs, err := st.PublishClosing(ctx, p, cliActor, snap)
		switch {
		case err == nil:
			for i, rev := range revs {
				if i == 0 {
					t.say("cli.publish.done", p, rev.Revision)
				} else {
					t.say("cli.publish.ended", rev.Period, p)
				}
			}
		case errors.Is(err, store.ErrAlreadyPublished):
			pub, perr := st.Publication(ctx, p)
			if perr != nil {
				return fail(perr, "cli.db.read")
			}
			t.say("cli.publish.already", p, present.Date(t.l, pub.PublishedAt))
		case errors.Is(err, store.ErrNoData):
			t.say("cli.publish.nodata", p)
			if first == nil {
				first = fmt.Errorf("cli: publish %s: %w", p, errPrinted)
			}
		default:
			return fail(err, "cli.publish.failed", p)
		}
	}
	return first
}

// snapshotFunc computes snapshots with the scores service: the same
// function the staff pages publish with (scorecache.SnapshotFunc).
func snapshotFunc(svc *scorecache.Service) store.SnapshotFunc { return scorecache.SnapshotFunc(svc) }
