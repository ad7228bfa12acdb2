package models

import "time"

// StagedUpload is a file the staff uploaded through the web, kept between
// its preview and its confirmation, with the job (the check, then the
// import) that runs on it. It lives in the database, not in one server
// process, so that several processes behind one address share it: the
// preview shown by one is confirmed through another, and any of them
// shows the job's progress and outcome. The file's bytes are in
// StagedUploadPart rows.
type StagedUpload struct {
	// ID is the random token of the upload's pages (/staff/import/{id}).
	ID      string `gorm:"primaryKey"`
	OwnerID uint   // the account that uploaded it; nobody else sees it
	// FileName is the file's name as sent (for the messages and the
	// audit trail); Size its length in bytes.
	FileName string
	Size     int64
	// Portal is "" for a table, StagedCapture or StagedBare for a file of
	// the national portal; a bare answer has the period and moment typed
	// into the form with it.
	Portal       string
	PortalPeriod string
	PortalAsOf   *time.Time
	CreatedAt    time.Time
	// ExpiresAt: past it the upload is gone (moved on when a job ends,
	// so that its outcome can still be shown).
	ExpiresAt time.Time

	// The job: Phase (StagedPreview, StagedImport), Running while it is
	// not over, StartedAt and HeartbeatAt (the last time the process
	// running it said it was alive).
	Phase       string
	Running     bool
	StartedAt   time.Time
	HeartbeatAt time.Time
	// Its progress: rows and bytes read of TotalBytes; Seen once the
	// first report came, ReadDone once the whole file is read.
	RowsRead, BytesRead, TotalBytes int64
	Seen, ReadDone                  bool
	// OutcomeKind says what the last job found (Staged* outcomes, "" while
	// one runs); Outcome is its account (JSON, the web import's own).
	OutcomeKind string
	Outcome     string
}

// StagedUploadPart is one piece of a staged file's bytes, in order of N.
// Pieces of bounded size keep the memory of storing and reading a large
// file bounded, on either database.
type StagedUploadPart struct {
	UploadID string `gorm:"primaryKey"`
	N        int    `gorm:"primaryKey"`
	Data     []byte
}

// Values of StagedUpload's fields.
const (
	StagedCapture = "capture"
	StagedBare    = "bare"

	StagedPreview = "preview"
	StagedImport  = "import"

	// StagedReady: checked and fine, waiting for its confirmation.
	StagedReady = "ready"
	// StagedRefused, StagedFailed, StagedDone: the story is over once
	// shown.
	StagedRefused = "refused"
	StagedFailed  = "failed"
	StagedDone    = "done"
)
