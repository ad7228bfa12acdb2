package cli

import (
	"context"
	"fmt"
	"io"
	"os"
	"time"

	"scorecard/config"
	"scorecard/data/demo/dossiergen"
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
func genDossiersCmd(_ context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("gen-dossiers", &cfg, stdout, stderr)
	rows := fs.Int("rows", 100_000, "number of dossiers")
	months := fs.Int("months", 12, "months the dossiers are received in")
	seed := fs.Int64("seed", 1, "seed: the same options write the same files")
	end := fs.String("end", "2024-04", "last month (the demo data's last month by default)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "Cần đúng một tệp đầu ra / exactly one OUT.csv is needed.")
		return errUsage
	}
	endP, err := scoring.ParsePeriod(*end)
	if err != nil || endP.Kind != scoring.Month {
		fmt.Fprintf(stderr, "--end %q: cần một tháng YYYY-MM / a month YYYY-MM is needed.\n", *end)
		return errUsage
	}
	if *rows < 0 || *months < 1 {
		fmt.Fprintln(stderr, "--rows ≥ 0 và / and --months ≥ 1.")
		return errUsage
	}
	out := fs.Arg(0)
	start := time.Now()
	cat, err := dossiergen.GenerateFile(out, dossiergen.GenOptions{Rows: *rows, Months: *months, Seed: *seed, End: endP})
	if err != nil {
		return fmt.Errorf("cli: gen-dossiers: %w", err)
	}
	size := int64(0)
	if fi, err := os.Stat(out); err == nil {
		size = fi.Size()
	}
	fmt.Fprintf(stdout, "%s: %d hồ sơ / dossiers, %d tháng / months đến / to %s, %.1f MB, %.1f s\n%s: danh mục thủ tục / procedure catalogue\n",
		out, *rows, *months, endP, float64(size)/1e6, time.Since(start).Seconds(), cat)
	fmt.Fprintf(stdout, "Nhập / import: scorecard import data/demo/units.csv %s %s\n", cat, out)
	return nil
}
