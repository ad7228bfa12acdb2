package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"scorecard/config"
	"scorecard/importer"
	"scorecard/models"
)

// importCmd imports the files in order, each in its own transaction. On the
// first refused file it prints every problem of that file, imports no further
// file and fails (formats.md).
func importCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	fs := flags("import", &cfg, stdout, stderr)
	publish := fs.Bool("publish", false, "publish the periods the import touched")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		fmt.Fprintln(stderr, "Cần ít nhất một tệp / at least one FILE is needed.")
		return errUsage
	}
	st, schemes, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	imp := importer.New(st, schemes)
	var touched []string
	for _, path := range fs.Args() {
		rep, err := imp.ImportFile(ctx, path, models.SourceCLI)
		if err != nil {
			var pe *importer.ProblemsError
			if errors.As(err, &pe) {
				fmt.Fprintf(stderr, "%s: bị từ chối, không có gì thay đổi / refused, nothing changed (%d lỗi / problems):\n", path, pe.Total)
				for _, p := range pe.Problems {
					fmt.Fprintln(stderr, "  "+p.String())
				}
				return err
			}
			return fmt.Errorf("cli: import %s: %w", path, err)
		}
		fmt.Fprintln(stdout, rep.String())
		touched = append(touched, rep.Periods...)
	}
	if *publish && len(touched) > 0 {
		fmt.Fprintf(stdout, "Công bố / published: %v (mọi kỳ đều công khai / every period is public until a publishing workflow exists)\n", touched)
	}
	return nil
}
