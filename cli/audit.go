package cli

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"scorecard/config"
	"scorecard/internal/auditview"
)

// errAuditBroken: `audit verify` found the trail changed or unprotected
// (exit status 1, after saying where).
var errAuditBroken = errors.New("cli: the audit trail is not intact")

// auditCmd is `scorecard audit verify`: it checks every row of the audit
// trail against its hash and the row before it, and that the database's
// protections of the trail are in place, and says so; the exit status is 1
// when the trail is not intact.
func auditCmd(ctx context.Context, t *console, cfg config.Config, args []string) error {
	action, err := subcommand(t, "audit", args, "verify")
	if err != nil {
		return err
	}
	fs := flags(t, "audit "+action, &cfg)
	if err := parse(t, fs, args[1:]); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return t.extraArgs(fs.Args())
	}
	st, _, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer st.Close()
	c, err := st.VerifyAudit(ctx)
	if err != nil {
		return fail(err, "cli.audit.verifyfailed")
	}
	fmt.Fprintln(t.stdout, strings.Join(auditview.Lines(t.l, c), "\n"))
	if !c.Intact() {
		return errAuditBroken
	}
	return nil
}
