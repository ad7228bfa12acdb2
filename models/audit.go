package models

// AuditChain is the state of the audit trail, as the store verifies it
// (store.VerifyAudit): its chain of hashes and the database's own
// protections of it. It is here, not in the store, so that what only says
// it in words (internal/auditview) needs no database.
type AuditChain struct {
	Rows int64
	// LastID and LastHash are the newest row's: written down or sent
	// elsewhere, they let a later check show that no row was cut off the
	// end either (which no chain can show by itself).
	LastID   uint
	LastHash string
	// Broken is the first row at which the chain does not hold; nil when
	// it holds throughout.
	Broken *AuditBreak
	// Missing names the protections (triggers) that are gone or disabled:
	// without them the trail can be changed, even if it has not been yet.
	Missing []string
}

// Intact: the chain holds and the protections are in place.
func (c AuditChain) Intact() bool { return c.Broken == nil && len(c.Missing) == 0 }

// AuditBreak is where the chain fails.
type AuditBreak struct {
	ID     uint
	Reason string // BreakContent or BreakLink
}

// Why a row breaks the chain.
const (
	// BreakContent: the row's content no longer gives its hash: it was
	// changed (or written without the chain).
	BreakContent = "content"
	// BreakLink: the row does not follow the row before it: a row in
	// between was removed, or the row before was replaced.
	BreakLink = "link"
)
