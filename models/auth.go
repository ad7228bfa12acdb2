package models

import "time"

// Role is what an account may do. Anonymous visitors have no
// account and no role: they see published figures only.
type Role string

// The roles.
const (
	// RoleAdmin manages accounts and units, and may do everything an office
	// account does.
	RoleAdmin Role = "admin"
	// RoleOffice imports, reviews, publishes and corrects.
	RoleOffice Role = "office"
	// RoleUnit is a department head or commune chairman bound to one unit:
	// that unit's draft figures, and the published figures of its peers.
	RoleUnit Role = "unit"
)

// Roles lists the roles, most powerful first. Their names for people are
// the catalogue's (i18n, auth.role.<role>), in the page's language.
var Roles = []Role{RoleAdmin, RoleOffice, RoleUnit}

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleAdmin, RoleOffice, RoleUnit:
		return true
	}
	return false
}

// User is an account. Usernames are stored lower-case (store.NormalizeUsername)
// so that "Admin" and "admin" cannot be two accounts. Accounts are never
// deleted, only disabled, so that the audit trail keeps pointing at them.
type User struct {
	ID           uint `gorm:"primaryKey"`
	Username     string
	PasswordHash string // bcrypt; never shown, never logged
	Role         Role
	// UnitCode is the unit a RoleUnit account is bound to; nil for the
	// other roles (a CHECK constraint says so). It is not a foreign key: a
	// unit account must not stop the demo units from being removed, and an
	// account whose unit is gone simply sees no draft.
	UnitCode          *string
	Disabled          bool
	PasswordChangedAt time.Time
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Unit returns the bound unit code, "" for none.
func (u User) Unit() string {
	if u.UnitCode == nil {
		return ""
	}
	return *u.UnitCode
}

// Session is a signed-in browser. The session id itself is only in the
// visitor's cookie; the table keeps its SHA-256 (IDHash, hex), so that a
// copy of the database does not let anyone sign in as somebody else.
type Session struct {
	IDHash string `gorm:"primaryKey;column:id_hash"`
	UserID uint
	// CSRFSecret (hex, 32 random bytes) is what the session's CSRF tokens
	// are made from; it never leaves the server unmasked.
	CSRFSecret string `gorm:"column:csrf_secret"`
	CreatedAt  time.Time
	// LastSeenAt is refreshed at most every few minutes (auth.Options), so
	// page views do not each need a write.
	LastSeenAt time.Time
	// ExpiresAt is the absolute end of the session, whatever the activity.
	ExpiresAt  time.Time
	RemoteAddr string
	UserAgent  string
}

// Audit actions. The list is open: a new action needs no migration.
const (
	ActionLoginSuccess  = "login.success"
	ActionLoginFailure  = "login.failure"
	ActionLoginBlocked  = "login.blocked" // refused by the rate limit, password not checked
	ActionLogout        = "logout"
	ActionImport        = "import"
	ActionImportRefused = "import.refused"
	ActionImportFailed  = "import.failed" // not for the file's content: the disk, the database
	ActionPublish       = "publish"
	ActionCorrection    = "correction"
	ActionUserAdd       = "user.add"
	ActionUserPasswd    = "user.passwd"
	ActionUserDisable   = "user.disable"
	ActionUserEnable    = "user.enable"
	ActionDemoRemove    = "demo.remove"
)

// Actors that are not accounts.
const (
	ActorCLI    = "cli"    // the command line (whoever has the database)
	ActorSystem = "system" // the program itself (the demo data set)
	// ActorUnknown signs a failed login under a name that is no account
	// (what was typed is not kept: it may be a password).
	ActorUnknown = "unknown"
)

// AuditEntry is one row of the audit trail: who did what, when, to what and
// from where. Rows are only ever inserted: the store has no method to
// change or delete them and the database refuses it (triggers); each row
// is chained to the one before by a hash.
type AuditEntry struct {
	ID uint `gorm:"primaryKey"`
	At time.Time
	// Actor is the username, or ActorCLI / ActorSystem / ActorUnknown (a
	// login under a name that is no account).
	Actor   string
	ActorID *uint // the account, when there is one
	Action  string
	// Target is what the action was about: a username, a period, a file.
	Target string
	// Detail is a JSON object with the rest (counts, reasons, revisions).
	Detail     string
	RemoteAddr string
	UserAgent  string
	// PrevHash is the Hash of the row before (by id), "" for the first;
	// Hash is the SHA-256 of PrevHash and this row's content (store's
	// chainHash). A row changed, removed or slipped in breaks the chain
	// at that point, which `scorecard audit verify` and the admin's audit
	// page report.
	PrevHash string
	Hash     string
}

// TableName is "audit": one trail, not a collection of "audit entries".
func (AuditEntry) TableName() string { return "audit" }
