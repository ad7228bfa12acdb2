package cli

import (
	"context"
	"fmt"
	"io"

	"scorecard/config"
	"scorecard/scoring"
)

// publishCmd checks its periods and succeeds: until the publishing workflow
// exists every period is public (formats.md "Command line"). It still opens
// the database so that a wrong --db is reported now, not later.
func publishCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("publish", &cfg, stdout, stderr)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "Cần ít nhất một kỳ / at least one PERIOD is needed (e.g. 2024-04).")
		return errUsage
	}
	var periods []scoring.Period
	for _, a := range fs.Args() {
		p, err := scoring.ParsePeriod(a)
		if err != nil {
			fmt.Fprintf(stderr, "Kỳ không hợp lệ / invalid period %q: dùng YYYY-MM, YYYY-Qn, YYYY-Hn hoặc YYYY.\n", a)
			return errUsage
		}
		periods = append(periods, p)
	}
	st, _, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	for _, p := range periods {
		fmt.Fprintf(stdout, "%s: công khai (mọi kỳ đều công khai cho đến khi có quy trình công bố) / public (every period is public until a publishing workflow exists)\n", p)
	}
	return nil
}
