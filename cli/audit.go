package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"

	"scorecard/config"
	"scorecard/i18n"
	"scorecard/scoring"
	"scorecard/store"
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
		fmt.Fprintln(stdout, strings.Join(AuditChainReport(l, c), "\n"))
	}
	if !c.Intact() {
		return errAuditBroken
	}
	return nil
}

// AuditChainReport says the state of the audit trail in l, a sentence a
// line: intact or where it breaks, the protections gone, the last row.
func AuditChainReport(l i18n.Lang, c store.AuditChain) []string {
	n := func(v int64) string {
		if l == i18n.EN {
			return scoring.FormatIntEN(v)
		}
		return scoring.FormatIntVI(v)
	}
	var out []string
	switch {
	case c.Broken != nil:
		out = append(out, l.T("audit.chain.broken."+c.Broken.Reason, n(int64(c.Broken.ID))), l.T("audit.chain.rows", n(c.Rows)))
	case c.Rows == 0:
		out = append(out, l.T("audit.chain.empty"))
	default:
		out = append(out, l.T("audit.chain.intact", n(c.Rows)))
	}
	if len(c.Missing) > 0 {
		out = append(out, l.T("audit.chain.missing", strings.Join(c.Missing, ", ")))
	}
	if c.Rows > 0 {
		out = append(out, l.T("audit.chain.last", n(int64(c.LastID)), c.LastHash))
	}
	return out
}
