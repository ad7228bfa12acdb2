package cli

import (
	"context"
	"os"
	"strconv"
	"time"

	"scorecard/config"
	"scorecard/data/demo/dossiergen"
	"scorecard/present"
	"scorecard/scoring"
)

// genDossiersCmd writes generated dossier records of the demo province and
// their procedure catalogue, for trying the dossier import, tests and the
// benchmark (bench/dossiers.sh):
//
//	scorecard gen-dossiers --rows N --months M --seed S [--end YYYY-MM] OUT.csv
//
// OUT.csv gets the dossiers, OUT.catalogue.csv the catalogue; import the
// demo units, then the catalogue, then the dossiers.
func genDossiersCmd(_ context.Context, t *console, _ config.Config, args []string) error {
	fs := plainFlags(t, "gen-dossiers")
	rows := fs.Int("rows", 100_000, "")
	months := fs.Int("months", 12, "")
	seed := fs.Int64("seed", 1, "")
	end := fs.String("end", "2024-04", "")
	if err := parse(t, fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return t.usageErr("cli.gen.out")
	}
	endP, err := scoring.ParsePeriod(*end)
	if err != nil || endP.Kind != scoring.Month {
		return t.usageErr("cli.gen.end", *end)
	}
	if *rows < 0 || *months < 1 {
		return t.usageErr("cli.gen.range")
	}
	out := fs.Arg(0)
	start := time.Now()
	cat, err := dossiergen.GenerateFile(out, dossiergen.GenOptions{Rows: *rows, Months: *months, Seed: *seed, End: endP})
	if err != nil {
		return fail(err, "cli.gen.failed", out)
	}
	size := int64(0)
	if fi, err := os.Stat(out); err == nil {
		size = fi.Size()
	}
	mb := decimal(t.l, strconv.FormatFloat(float64(size)/1e6, 'f', 1, 64))
	secs := decimal(t.l, strconv.FormatFloat(time.Since(start).Seconds(), 'f', 1, 64))
	t.say("cli.gen.done", out, present.Int(t.l, int64(*rows)), *months, endP.String(), mb, secs)
	t.say("cli.gen.catalogue", cat)
	t.say("cli.gen.next", cat, out)
	return nil
}
