package models

import (
	"time"
)

// Publication states. A period without a Publication row is a draft.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
)

// Revision kinds.
const (
	RevisionPublish    = "publish"
	RevisionCorrection = "correction"
	// RevisionUpdate: a longer period published while it was running
	// received a new month of its own (a month later than any it held):
	// the period grew as it runs, nothing it showed was wrong, so no
	// reason is asked for.
	RevisionUpdate = "update"
)

// Publication says that a period is official. It is created once, by
// publishing; each later correction adds a Revision and moves Revision and
// CorrectedAt on.
type Publication struct {
	Period      string `gorm:"primaryKey"`
	Revision    int    // the current revision number, 1 at publication
	PublishedAt time.Time
	PublishedBy string
	// CorrectedAt is the time of the latest correction, nil if none: the
	// public page says "đã điều chỉnh ngày …".
	CorrectedAt *time.Time
	// Demo marks publications of the demo data set: they go with it.
	Demo bool
	// ThroughMonth is the latest month of the period that had data when its
	// current revision was made ("2024-04" for a quarter published with
	// April only; "" when none of its months had any): a month after it
	// is new to the period, not a change of what it showed.
	ThroughMonth string
}

// Revision is one frozen version of a published period's scores: revision 1
// at publication, one more per correction or new month. Old revisions are kept.
type Revision struct {
	ID       uint `gorm:"primaryKey"`
	Period   string
	Revision int
	Kind     string // RevisionPublish, RevisionCorrection or RevisionUpdate
	// Reason is the written reason of a correction ("" otherwise).
	Reason   string
	Actor    string
	ActorID  *uint
	ImportID *uint // the import that made the revision, if one did
	// DataVersion is the store's data version the snapshot was computed at.
	DataVersion *int64
	// Snapshot is the JSON of the period's scores (every unit's total,
	// band, rank, groups, metric points and counts). It is nil while a
	// correction's snapshot has not been computed yet: the correction's
	// data is committed in the import's transaction, and the scores can
	// only be computed from committed data (store.CompleteRevisions).
	Snapshot  *string
	CreatedAt time.Time
}

// TableName keeps revisions next to publications.
func (Revision) TableName() string { return "publication_revisions" }

// Pending reports whether the snapshot is still to be computed.
func (r Revision) Pending() bool { return r.Snapshot == nil }
