// Package auditview says the state of the audit trail (models.AuditChain)
// in words, for the command line (`scorecard audit verify`) and the
// admin's audit page alike.
package auditview

import (
	"strings"

	"scorecard/i18n"
	"scorecard/models"
	"scorecard/present"
)

// Lines is the state in l, a sentence each: intact, or the first row
// where the chain breaks; the protections gone; the last row and its hash.
func Lines(l i18n.Lang, c models.AuditChain) []string {
	n := func(v int64) string {
		if l == i18n.EN {
			return present.Int(i18n.EN, v)
		}
		return present.Int(i18n.VI, v)
	}
	var out []string
	switch {
	case c.Broken != nil:
		out = append(out, l.T("audit.chain.broken."+c.Broken.Reason, n(int64(c.Broken.ID))), l.TN(int(c.Rows), "audit.chain.rows", n(c.Rows)))
	case c.Rows == 0:
		out = append(out, l.T("audit.chain.empty"))
	default:
		out = append(out, l.TN(int(c.Rows), "audit.chain.intact", n(c.Rows)))
	}
	if len(c.Missing) > 0 {
		out = append(out, l.T("audit.chain.missing", strings.Join(c.Missing, ", ")))
	}
	if c.Rows > 0 {
		out = append(out, l.T("audit.chain.last", n(int64(c.LastID)), c.LastHash))
	}
	return out
}
