package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/internal/auditview"
)

// errAuditBroken: `audit verify` found the trail changed or unprotected
// (exit status 1, after saying where).
var errAuditBroken = errors.New("cli: the audit trail is not intact")

// auditCmd is `scorecard audit verify`: it checks every row of the audit
// trail against its hash and the row before it, and that the database's
// protections of the trail are in place, and says so in both languages;
// the exit status is 1 when the trail is not intact.
func auditCmd(ctx context.Context, cfg config.Config, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "Dùng / use: scorecard audit verify [--db PATH]")
		return errUsage
	}
	fs := flags("audit verify", &cfg, stdout, stderr)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "Tham số thừa / unexpected arguments: %v\n", fs.Args())
		return errUsage
	}
	st, _, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.VerifyAudit(ctx)
	if err != nil {
		return fmt.Errorf("cli: %w", err)
	}
	for _, l := range []i18n.Lang{i18n.VI, i18n.EN} {
		fmt.Fprintln(stdout, strings.Join(auditview.Lines(l, c), "\n"))
	}
	if !c.Intact() {
		return errAuditBroken
	}
	return nil
}
