package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"scorecard/config"
	"scorecard/models"
	"scorecard/scorecache"
	"scorecard/scoring"
	"scorecard/store"
)

// cliActor is who the command line acts as in the audit trail: whoever can
// run it has the database file anyway.
var cliActor = store.Actor{Name: models.ActorCLI}

// publishCmd publishes periods (formats.md "Command line"): each is frozen
// as revision 1 of its publication. Publishing a quarter, half-year or year
// publishes that period only. A period already published is left as it was
// (and said so); a period without data cannot be published.
func publishCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("publish", &cfg, stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "Cần ít nhất một kỳ / at least one PERIOD is needed (e.g. 2024-04).")
		return errUsage
	}
	var periods []string
	for _, a := range fs.Args() {
		p, err := scoring.ParsePeriod(a)
		if err != nil {
			fmt.Fprintf(stderr, "Kỳ không hợp lệ / invalid period %q: dùng YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY.\n", a)
			return errUsage
		}
		periods = append(periods, p.String())
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	return publishPeriods(ctx, st, snapshotFunc(scorecache.New(st, schemes)), periods, stdout)
}

// publishPeriods publishes each period, reporting each; it goes on after a
// failure and returns the first.
func publishPeriods(ctx context.Context, st *store.Store, snap store.SnapshotFunc, periods []string, stdout io.Writer) error {
	var first error
	for _, p := range periods {
		revs, err := st.PublishClosing(ctx, p, cliActor, snap)
		switch {
		case err == nil:
			for i, rev := range revs {
				if i == 0 {
					fmt.Fprintf(stdout, "%s: đã công bố (bản %d) / published (revision %d)\n", p, rev.Revision, rev.Revision)
				} else {
					fmt.Fprintf(stdout, "%s: đã công bố, vì %s là tháng cuối / published, as %s is its last month\n", rev.Period, p, p)
				}
			}
		case errors.Is(err, store.ErrAlreadyPublished):
			pub, perr := st.Publication(ctx, p)
			if perr != nil {
				return fmt.Errorf("cli: publish %s: %w", p, perr)
			}
			fmt.Fprintf(stdout, "%s: đã công bố trước đó ngày %s, không thay đổi / already published on %s, unchanged\n",
				p, pub.PublishedAt.In(scoring.Location).Format("02/01/2006"), pub.PublishedAt.Format("2006-01-02"))
		case errors.Is(err, store.ErrNoData):
			fmt.Fprintf(stdout, "%s: chưa có số liệu, không thể công bố / no data, cannot be published\n", p)
			if first == nil {
				first = fmt.Errorf("cli: publish %s: %w", p, err)
			}
		default:
			return fmt.Errorf("cli: publish %s: %w", p, err)
		}
	}
	return first
}

// snapshotFunc computes snapshots with the scores service: the same
// function the staff pages publish with (scorecache.SnapshotFunc).
func snapshotFunc(svc *scorecache.Service) store.SnapshotFunc { return scorecache.SnapshotFunc(svc) }
