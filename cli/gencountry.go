package cli

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"scorecard/config"
	"scorecard/data/demo/country"
	"scorecard/present"
	"scorecard/scoring"
)

// genCountryCmd writes the national data set (34 provinces with their
// agencies and communes, month by month) into a folder, for trying the
// product at national scale and for the national benchmark:
//
//	scorecard gen-country [--months M] [--end YYYY-MM] [--agencies N] [--communes N] [--seed S] DIR
func genCountryCmd(_ context.Context, t *console, _ config.Config, args []string) error {
	fs := plainFlags(t, "gen-country")
	months := fs.Int("months", 24, "")
	end := fs.String("end", "2026-11", "")
	agencies := fs.Int("agencies", 15, "")
	communes := fs.Int("communes", 100, "")
	seed := fs.Uint64("seed", 1, "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return t.usageErr("cli.gencountry.out")
	}
	endP, err := scoring.ParsePeriod(*end)
	if err != nil || endP.Kind != scoring.Month {
		return t.usageErr("cli.gen.end", *end)
	}
	if *months < 1 || *months > 120 || *agencies < 1 || *agencies > 200 || *communes < 1 || *communes > 2000 {
		return t.usageErr("cli.gencountry.range")
	}
	dir := fs.Arg(0)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fail(err, "cli.gen.failed", dir)
	}
	start := time.Now()
	sum, err := country.Write(dir, country.Options{Months: *months, End: endP, Agencies: *agencies, Communes: *communes, Seed: *seed})
	if err != nil {
		return fail(err, "cli.gen.failed", dir)
	}
	var size int64
	for _, f := range sum.Files {
		if fi, err := os.Stat(f); err == nil {
			size += fi.Size()
		}
	}
	mb := decimal(t.l, strconv.FormatFloat(float64(size)/1e6, 'f', 1, 64))
	secs := decimal(t.l, strconv.FormatFloat(time.Since(start).Seconds(), 'f', 1, 64))
	t.say("cli.gencountry.done", dir, sum.Provinces, present.Int(t.l, int64(sum.Units)), present.Int(t.l, int64(sum.CountRows)),
		present.PeriodShort(sum.First), present.PeriodShort(sum.Last), mb, secs)
	t.say("cli.gencountry.next", sum.Files[0], filepath.Join(dir, "counts-*.csv"))
	return nil
}
