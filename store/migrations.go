package store

import (
	"context"
	"fmt"
	"strings"

	"github.com/go-gormigrate/gormigrate/v2"
	"gorm.io/gorm"

	"scorecard/scoring"
)

// migrationsTable records the IDs of the applied migrations.
const migrationsTable = "migrations"

// migration is one schema step in plain SQL. The statements are written once
// for both databases; the few words that differ are placeholders:
//
//	{{pk}}  an auto-incrementing integer primary key
//	{{ts}}  a timestamp
//	{{blob}} bytes
//
// Plain SQL rather than AutoMigrate: the schema a database has is exactly
// the list of steps it recorded, and a change to a Go struct never alters a
// table behind our back.
type migration struct {
	id    string
	stmts []string
	// driver, when set, limits the step to one database (DriverSQLite or
	// DriverPostgres): on the other it is recorded as applied but runs
	// nothing. For the few statements (triggers) whose syntax cannot be
	// shared; each such step comes with its twin for the other database.
	driver string
	// run, when set, runs after the statements, in the same transaction:
	// for a step SQL alone cannot take (a hash computed over existing
	// rows). It is given the driver.
	run func(tx *gorm.DB, driver string) error
}

// migrations is append-only: never edit or reorder a step that has shipped;
// add a new one with a later ID.
var migrations = []migration{
	{
		id: "202601150001_units_imports_counts",
		stmts: []string{
			`CREATE TABLE imports (
				id {{pk}},
				kind VARCHAR(16) NOT NULL,
				file_name TEXT NOT NULL,
				sha256 VARCHAR(64) NOT NULL,
				row_count INTEGER NOT NULL,
				inserted INTEGER NOT NULL DEFAULT 0,
				updated INTEGER NOT NULL DEFAULT 0,
				source VARCHAR(8) NOT NULL,
				demo BOOLEAN NOT NULL DEFAULT FALSE,
				periods TEXT NOT NULL DEFAULT '',
				created_at {{ts}} NOT NULL
			)`,
			// code is UNIQUE so that parent_code and metric_counts.unit_code
			// can reference it. A province has no parent; every other kind
			// has one (checked here too, not only by the importer).
			`CREATE TABLE units (
				id {{pk}},
				code VARCHAR(64) NOT NULL,
				name TEXT NOT NULL,
				kind VARCHAR(16) NOT NULL,
				parent_code VARCHAR(64) REFERENCES units (code),
				import_id BIGINT REFERENCES imports (id),
				demo BOOLEAN NOT NULL DEFAULT FALSE,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL,
				CONSTRAINT units_code_key UNIQUE (code),
				CONSTRAINT units_kind_check CHECK (kind IN ('province', 'agency', 'district', 'commune')),
				CONSTRAINT units_parent_check CHECK ((kind = 'province') = (parent_code IS NULL))
			)`,
			`CREATE INDEX idx_units_parent_code ON units (parent_code)`,
			`CREATE INDEX idx_units_import_id ON units (import_id)`,
			// Both counts empty means "no counts"; otherwise
			// 0 ≤ numerator ≤ denominator (docs/import-files.md).
			`CREATE TABLE metric_counts (
				id {{pk}},
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code),
				metric VARCHAR(64) NOT NULL,
				numerator BIGINT,
				denominator BIGINT,
				import_id BIGINT NOT NULL REFERENCES imports (id),
				updated_at {{ts}} NOT NULL,
				CONSTRAINT metric_counts_key UNIQUE (period, unit_code, metric),
				CONSTRAINT metric_counts_pair_check CHECK ((numerator IS NULL) = (denominator IS NULL)),
				CONSTRAINT metric_counts_range_check CHECK (numerator IS NULL OR (numerator >= 0 AND numerator <= denominator))
			)`,
			// unit_code is indexed so that deleting units (demo removal)
			// checks their references without scanning every count.
			// import_id is not: imports are never deleted and the one
			// query by import (demo removal) is rare, while each index
			// slows every 20 000-row import.
			`CREATE INDEX idx_metric_counts_unit_code ON metric_counts (unit_code)`,
			// One row holding a counter that every write transaction on
			// units or counts increments: the data version caches key on.
			`CREATE TABLE data_state (
				id INTEGER PRIMARY KEY,
				version BIGINT NOT NULL
			)`,
			`INSERT INTO data_state (id, version) VALUES (1, 0)`,
		},
	},
	{
		// Which early warnings have been e-mailed (store/alerts.go),
		// so each goes out once per unit, rule and period however often
		// `scorecard alerts send` runs. No reference to units: the record
		// must not stop a unit (the demo's) from being deleted, and a
		// warning about a unit that is gone is harmless history.
		id: "202611270001_alerts_sent",
		stmts: []string{
			`CREATE TABLE alerts_sent (
				id {{pk}},
				unit_code VARCHAR(64) NOT NULL,
				rule_id VARCHAR(32) NOT NULL,
				period VARCHAR(8) NOT NULL,
				sent_at {{ts}} NOT NULL,
				CONSTRAINT alerts_sent_key UNIQUE (unit_code, rule_id, period)
			)`,
		},
	},
	{
		// Accounts, sessions, the audit trail and the publishing
		// workflow (store/users.go, sessions.go, audit.go, publications.go).
		id: "202612010001_auth_publishing_audit",
		stmts: []string{
			// username is stored lower-case; a unit account names its
			// unit, the others none. No reference to units: see
			// models.User.
			`CREATE TABLE users (
				id {{pk}},
				username VARCHAR(64) NOT NULL,
				password_hash TEXT NOT NULL,
				role VARCHAR(16) NOT NULL,
				unit_code VARCHAR(64),
				disabled BOOLEAN NOT NULL DEFAULT FALSE,
				password_changed_at {{ts}} NOT NULL,
				created_at {{ts}} NOT NULL,
				updated_at {{ts}} NOT NULL,
				CONSTRAINT users_username_key UNIQUE (username),
				CONSTRAINT users_role_check CHECK (role IN ('admin', 'office', 'unit')),
				CONSTRAINT users_unit_check CHECK ((role = 'unit') = (unit_code IS NOT NULL))
			)`,
			// The key is the SHA-256 of the session id, never the id.
			`CREATE TABLE sessions (
				id_hash VARCHAR(64) PRIMARY KEY,
				user_id BIGINT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
				csrf_secret VARCHAR(64) NOT NULL,
				created_at {{ts}} NOT NULL,
				last_seen_at {{ts}} NOT NULL,
				expires_at {{ts}} NOT NULL,
				remote_addr VARCHAR(64) NOT NULL DEFAULT '',
				user_agent TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX idx_sessions_user_id ON sessions (user_id)`,
			`CREATE INDEX idx_sessions_expires_at ON sessions (expires_at)`,
			// Append-only (triggers in the next two steps). The login
			// rate limit counts failures here, by account and by
			// address, hence the two composite indexes.
			`CREATE TABLE audit (
				id {{pk}},
				at {{ts}} NOT NULL,
				actor VARCHAR(128) NOT NULL,
				actor_id BIGINT,
				action VARCHAR(32) NOT NULL,
				target TEXT NOT NULL DEFAULT '',
				detail TEXT NOT NULL DEFAULT '{}',
				remote_addr VARCHAR(64) NOT NULL DEFAULT '',
				user_agent TEXT NOT NULL DEFAULT ''
			)`,
			`CREATE INDEX idx_audit_at ON audit (at)`,
			`CREATE INDEX idx_audit_actor ON audit (actor)`,
			`CREATE INDEX idx_audit_action_target_at ON audit (action, target, at)`,
			`CREATE INDEX idx_audit_action_addr_at ON audit (action, remote_addr, at)`,
			// A period with no row here is a draft.
			`CREATE TABLE publications (
				period VARCHAR(8) PRIMARY KEY,
				revision INTEGER NOT NULL,
				published_at {{ts}} NOT NULL,
				published_by VARCHAR(128) NOT NULL,
				corrected_at {{ts}},
				demo BOOLEAN NOT NULL DEFAULT FALSE
			)`,
			// snapshot is NULL only while a correction's scores are
			// being computed (models.Revision).
			`CREATE TABLE publication_revisions (
				id {{pk}},
				period VARCHAR(8) NOT NULL REFERENCES publications (period) ON DELETE CASCADE,
				revision INTEGER NOT NULL,
				kind VARCHAR(16) NOT NULL,
				reason TEXT NOT NULL DEFAULT '',
				actor VARCHAR(128) NOT NULL,
				actor_id BIGINT,
				import_id BIGINT REFERENCES imports (id),
				data_version BIGINT,
				snapshot TEXT,
				created_at {{ts}} NOT NULL,
				CONSTRAINT publication_revisions_key UNIQUE (period, revision),
				CONSTRAINT publication_revisions_kind_check CHECK (kind IN ('publish', 'correction')),
				CONSTRAINT publication_revisions_reason_check CHECK (kind = 'publish' OR reason <> '')
			)`,
			// Server-side keys shared by every process on the database
			// (the signing key of the login form's CSRF token).
			`CREATE TABLE secrets (
				name VARCHAR(64) PRIMARY KEY,
				value TEXT NOT NULL,
				created_at {{ts}} NOT NULL
			)`,
		},
	},
	{
		// The audit trail is append-only for the database itself, not
		// only because the application has no method to change it.
		id:     "202612010002_audit_append_only_sqlite",
		driver: DriverSQLite,
		stmts: []string{
			`CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
			BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END`,
			`CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
			BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END`,
		},
	},
	{
		id:     "202612010003_audit_append_only_postgres",
		driver: DriverPostgres,
		stmts: []string{
			`CREATE FUNCTION audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
			BEGIN
				RAISE EXCEPTION 'audit rows are append-only';
			END
			$$`,
			`CREATE TRIGGER audit_no_change BEFORE UPDATE OR DELETE ON audit
			FOR EACH ROW EXECUTE FUNCTION audit_append_only()`,
			`CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
			FOR EACH STATEMENT EXECUTE FUNCTION audit_append_only()`,
		},
	},
	{
		// The procedure catalogue, dossier records and the counts
		// derived from them (store/catalogue.go, store/dossiers.go).
		// Everything hanging off a unit goes with it (ON DELETE CASCADE),
		// so removing the demo units removes their dossiers too.
		id: "202612020001_dossiers",
		stmts: []string{
			// Procedure codes are national (1.001234): one row per code
			// ever seen in a catalogue, so that a dossier row carries a
			// small integer instead of the code. Never deleted.
			`CREATE TABLE procedures (
				id {{pk}},
				code VARCHAR(64) NOT NULL,
				CONSTRAINT procedures_code_key UNIQUE (code)
			)`,
			// A unit's complete catalogue as of a month (docs/import-files.md): the
			// rows of one (unit_code, period) are replaced together.
			`CREATE TABLE catalogue_states (
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				period VARCHAR(7) NOT NULL,
				procedure_code VARCHAR(64) NOT NULL REFERENCES procedures (code),
				name TEXT NOT NULL,
				online_level VARCHAR(8) NOT NULL,
				has_fee BOOLEAN NOT NULL,
				individual_applicant BOOLEAN NOT NULL,
				citizen_data_connected BOOLEAN NOT NULL,
				import_id BIGINT NOT NULL REFERENCES imports (id),
				CONSTRAINT catalogue_states_key PRIMARY KEY (unit_code, period, procedure_code),
				CONSTRAINT catalogue_states_online_check CHECK (online_level IN ('none', 'partial', 'full'))
			)`,
			// One row per dossier, compact: times are Unix seconds
			// (finished_at NULL while open); channel and rating are the
			// codes of models.DossierChannel* and models.DossierRating*;
			// flags is the bitset of models.DossierFlag* (the 0/1 columns
			// of the file). A million rows take about 60 MB, 120 MB with
			// the indexes. procedure_id and import_id name rows that are
			// never deleted and are checked by the importer: no
			// REFERENCES, whose lookups would cost every one of a
			// million inserted rows.
			`CREATE TABLE dossiers (
				id {{pk}},
				code VARCHAR(64) NOT NULL,
				unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
				procedure_id BIGINT NOT NULL,
				received_at BIGINT NOT NULL,
				due_at BIGINT NOT NULL,
				finished_at BIGINT,
				channel SMALLINT NOT NULL,
				flags INTEGER NOT NULL,
				supplement_requests INTEGER NOT NULL,
				rating SMALLINT NOT NULL,
				import_id BIGINT NOT NULL,
				CONSTRAINT dossiers_code_key UNIQUE (code),
				CONSTRAINT dossiers_times_check CHECK (due_at >= received_at AND (finished_at IS NULL OR finished_at >= received_at)),
				CONSTRAINT dossiers_channel_check CHECK (channel IN (0, 1, 2)),
				CONSTRAINT dossiers_rating_check CHECK (rating IN (0, 1, 2)),
				CONSTRAINT dossiers_supplements_check CHECK (supplement_requests >= 0)
			)`,
			// The one secondary index: a unit's dossiers by time serve
			// both the drill-down lists and re-deriving a unit's periods
			// (and the ON DELETE CASCADE from units). Every further index
			// would slow every million-row import.
			`CREATE INDEX idx_dossiers_unit_received ON dossiers (unit_id, received_at)`,
			// Each unit's dossier counters (dossier.Deriver.EncodeUnit:
			// received counts per month, handled counts as difference
			// arrays, per procedure and month what the catalogue
			// metrics need), a few kilobytes, and the months of its
			// dossiers. An import adds its changes to them and derives
			// the periods it touches without reading stored dossiers
			// back. BYTEA is PostgreSQL's bytes; SQLite stores the
			// bytes as they are.
			`CREATE TABLE dossier_units (
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				first_month INTEGER NOT NULL,
				last_month INTEGER NOT NULL,
				state BYTEA NOT NULL,
				CONSTRAINT dossier_units_key PRIMARY KEY (unit_code)
			)`,
			// Counts derived from the catalogue and the dossiers, per
			// unit (never a province: the engine pools those), replaced
			// for the (unit, period) pairs an import affects.
			`CREATE TABLE derived_counts (
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				period VARCHAR(8) NOT NULL,
				metric VARCHAR(64) NOT NULL,
				numerator BIGINT NOT NULL,
				denominator BIGINT NOT NULL,
				CONSTRAINT derived_counts_key PRIMARY KEY (unit_code, period, metric),
				CONSTRAINT derived_counts_range_check CHECK (numerator >= 0 AND numerator <= denominator)
			)`,
		},
	},
	{
		// The results the national portal published (an optional
		// import, official.go): one row per (period, unit), replaced by
		// a re-import. The total is in hundredths of a point, like
		// scoring.Cents. And the time the data last changed, moved with
		// the data version (bumpVersion), for open data's Last-Modified;
		// an existing database starts from its latest import.
		id: "202612030009_official_results",
		stmts: []string{
			`CREATE TABLE official_results (
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				total_cents BIGINT NOT NULL,
				rank_no INTEGER NOT NULL,
				rank_of INTEGER NOT NULL,
				import_id BIGINT NOT NULL REFERENCES imports (id),
				updated_at {{ts}} NOT NULL,
				CONSTRAINT official_results_key PRIMARY KEY (period, unit_code),
				CONSTRAINT official_results_total_check CHECK (total_cents >= 0 AND total_cents <= 10000),
				CONSTRAINT official_results_rank_check CHECK (rank_no >= 1 AND rank_no <= rank_of)
			)`,
			`ALTER TABLE data_state ADD COLUMN modified_at {{ts}}`,
			`UPDATE data_state SET modified_at = (SELECT MAX(created_at) FROM imports) WHERE id = 1`,
		},
	},
	{
		// The dossiers table again, cheaper to write on SQLite (measured
		// with bench/dossiers.sh, a million rows): a CHECK of
		// "x IN (0, 1, 2)" builds an ephemeral lookup table for every
		// row checked, and the two of them took a third of the time of
		// the INSERT; three comparisons say exactly the same (BETWEEN
		// would let 1.5 through: SQLite keeps a REAL in an INTEGER
		// column) and cost next to nothing. And no
		// AUTOINCREMENT: nothing keeps a dossier's id across imports (the
		// code is its identity), so the rowid needs no sqlite_sequence
		// bookkeeping on every insert. SQLite cannot alter a constraint,
		// hence the copy. PostgreSQL evaluates such a list as it goes and
		// keeps its table.
		id:     "202612030010_dossiers_cheaper_checks",
		driver: DriverSQLite,
		stmts: []string{
			`CREATE TABLE dossiers_new (
				id INTEGER PRIMARY KEY,
				code VARCHAR(64) NOT NULL,
				unit_id BIGINT NOT NULL REFERENCES units (id) ON DELETE CASCADE,
				procedure_id BIGINT NOT NULL,
				received_at BIGINT NOT NULL,
				due_at BIGINT NOT NULL,
				finished_at BIGINT,
				channel SMALLINT NOT NULL,
				flags INTEGER NOT NULL,
				supplement_requests INTEGER NOT NULL,
				rating SMALLINT NOT NULL,
				import_id BIGINT NOT NULL,
				CONSTRAINT dossiers_code_key UNIQUE (code),
				CONSTRAINT dossiers_times_check CHECK (due_at >= received_at AND (finished_at IS NULL OR finished_at >= received_at)),
				CONSTRAINT dossiers_channel_check CHECK (channel = 0 OR channel = 1 OR channel = 2),
				CONSTRAINT dossiers_rating_check CHECK (rating = 0 OR rating = 1 OR rating = 2),
				CONSTRAINT dossiers_supplements_check CHECK (supplement_requests >= 0)
			)`,
			`INSERT INTO dossiers_new (id, code, unit_id, procedure_id, received_at, due_at, finished_at, channel, flags,
				supplement_requests, rating, import_id)
			SELECT id, code, unit_id, procedure_id, received_at, due_at, finished_at, channel, flags,
				supplement_requests, rating, import_id FROM dossiers ORDER BY id`,
			`DROP TABLE dossiers`,
			`ALTER TABLE dossiers_new RENAME TO dossiers`,
			`CREATE INDEX idx_dossiers_unit_received ON dossiers (unit_id, received_at)`,
		},
	},
	{
		// Captures of the national portal (store/portal.go). Moments
		// (as_of) are Unix seconds: compared and ordered exactly on both
		// databases. A unit the portal names keeps its department id;
		// several units without one are allowed (NULLs are distinct in a
		// UNIQUE index on both databases).
		id: "202612140001_portal_captures",
		stmts: []string{
			`ALTER TABLE units ADD COLUMN portal_id VARCHAR(64)`,
			`ALTER TABLE units ADD COLUMN last_seen_at {{ts}}`,
			`ALTER TABLE units ADD COLUMN inactive_from {{ts}}`,
			`CREATE UNIQUE INDEX units_portal_id_key ON units (portal_id)`,
			// Raw files, gzip-compressed, once per content.
			`CREATE TABLE portal_files (
				sha256 VARCHAR(64) PRIMARY KEY,
				size BIGINT NOT NULL,
				content BYTEA NOT NULL,
				created_at {{ts}} NOT NULL
			)`,
			`CREATE TABLE portal_captures (
				id {{pk}},
				import_id BIGINT NOT NULL REFERENCES imports (id),
				fingerprint VARCHAR(64) NOT NULL,
				name TEXT NOT NULL,
				province_id VARCHAR(64) NOT NULL,
				province_code VARCHAR(64) NOT NULL,
				period VARCHAR(8) NOT NULL,
				as_of BIGINT NOT NULL,
				complete BOOLEAN NOT NULL,
				groups_captured VARCHAR(64) NOT NULL,
				created_at {{ts}} NOT NULL,
				CONSTRAINT portal_captures_fingerprint_key UNIQUE (fingerprint)
			)`,
			`CREATE INDEX idx_portal_captures_period ON portal_captures (province_code, period, as_of)`,
			`CREATE TABLE portal_capture_files (
				capture_id BIGINT NOT NULL REFERENCES portal_captures (id),
				name TEXT NOT NULL,
				endpoint VARCHAR(48) NOT NULL DEFAULT '',
				page INTEGER NOT NULL DEFAULT 0,
				sha256 VARCHAR(64) NOT NULL REFERENCES portal_files (sha256),
				CONSTRAINT portal_capture_files_key PRIMARY KEY (capture_id, name)
			)`,
			// The strings of snapshot states (codes, flags, messages).
			`CREATE TABLE portal_words (
				id BIGINT PRIMARY KEY,
				word TEXT NOT NULL,
				CONSTRAINT portal_words_word_key UNIQUE (word)
			)`,
			// A unit's group, as published, from as_of on.
			`CREATE TABLE portal_snapshots (
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				group_code VARCHAR(16) NOT NULL,
				as_of BIGINT NOT NULL,
				state BYTEA NOT NULL,
				CONSTRAINT portal_snapshots_key PRIMARY KEY (period, unit_code, group_code, as_of)
			)`,
			// The latest snapshot of each (period, unit, group).
			`CREATE TABLE portal_heads (
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				group_code VARCHAR(16) NOT NULL,
				as_of BIGINT NOT NULL,
				CONSTRAINT portal_heads_key PRIMARY KEY (period, unit_code, group_code)
			)`,
			// The portal's own scores as of the period's latest capture:
			// a group's (is_group, item = group_code) or a metric's, and
			// its data-quality flag. NULL where not published.
			`CREATE TABLE official_scores (
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				item VARCHAR(64) NOT NULL,
				group_code VARCHAR(16) NOT NULL,
				is_group BOOLEAN NOT NULL,
				score_cents BIGINT,
				max_cents BIGINT,
				ratio_cents BIGINT,
				quality VARCHAR(64) NOT NULL DEFAULT '',
				quality_message TEXT NOT NULL DEFAULT '',
				as_of BIGINT NOT NULL,
				import_id BIGINT NOT NULL REFERENCES imports (id),
				CONSTRAINT official_scores_key PRIMARY KEY (period, unit_code, item)
			)`,
		},
	},
	{
		// Units over time: the days a unit exists (ISO dates, compared as
		// text: 2025-07-01 < 2025-12-31 on both databases) and how units
		// became others (mergers, splits, new codes).
		id: "202612150001_unit_history",
		stmts: []string{
			`ALTER TABLE units ADD COLUMN valid_from VARCHAR(10)`,
			`ALTER TABLE units ADD COLUMN valid_to VARCHAR(10)`,
			`CREATE TABLE unit_changes (
				code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				successor_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				change_kind VARCHAR(16) NOT NULL,
				effective_from VARCHAR(10) NOT NULL,
				import_id BIGINT NOT NULL REFERENCES imports (id),
				CONSTRAINT unit_changes_key PRIMARY KEY (code, successor_code),
				CONSTRAINT unit_changes_kind_check CHECK (change_kind = 'merged' OR change_kind = 'split' OR change_kind = 'renamed'),
				CONSTRAINT unit_changes_not_self CHECK (code <> successor_code)
			)`,
			`CREATE INDEX idx_unit_changes_successor ON unit_changes (successor_code)`,
		},
	},
	{
		// The audit trail chained by hashes (audit_chain.go): each row
		// holds the hash of the row before and its own, computed here for
		// the rows already written. And a row can now only be added after
		// the last one, with a higher id and the last row's hash: SQLite's
		// INSERT OR REPLACE of an existing id (which removed the old row
		// without running the delete trigger) is refused, as is a row
		// slipped in anywhere else.
		id: "202612160001_audit_chain",
		stmts: []string{
			`ALTER TABLE audit ADD COLUMN prev_hash VARCHAR(64) NOT NULL DEFAULT ''`,
			`ALTER TABLE audit ADD COLUMN hash VARCHAR(64) NOT NULL DEFAULT ''`,
		},
		run: chainExisting,
	},
	{
		id:     "202612160002_audit_chain_sqlite",
		driver: DriverSQLite,
		stmts: []string{
			`CREATE TRIGGER audit_chain_insert BEFORE INSERT ON audit
			WHEN NEW.id IS NULL OR NEW.id <= COALESCE((SELECT MAX(id) FROM audit), 0)
				OR NEW.prev_hash IS NOT COALESCE((SELECT hash FROM audit ORDER BY id DESC LIMIT 1), '')
				OR length(NEW.hash) <> 64
			BEGIN SELECT RAISE(ABORT, 'audit rows are append-only: a new row follows the last one, with its hash'); END`,
		},
	},
	{
		id:     "202612160003_audit_chain_postgres",
		driver: DriverPostgres,
		stmts: []string{
			`CREATE FUNCTION audit_chain_insert() RETURNS trigger LANGUAGE plpgsql AS $$
			DECLARE
				last_id BIGINT;
				last_hash TEXT;
			BEGIN
				SELECT id, hash INTO last_id, last_hash FROM audit ORDER BY id DESC LIMIT 1;
				IF NEW.id IS NULL OR NEW.id <= COALESCE(last_id, 0)
					OR NEW.prev_hash IS DISTINCT FROM COALESCE(last_hash, '')
					OR length(NEW.hash) <> 64 THEN
					RAISE EXCEPTION 'audit rows are append-only: a new row follows the last one, with its hash';
				END IF;
				RETURN NEW;
			END
			$$`,
			`CREATE TRIGGER audit_chain_insert BEFORE INSERT ON audit
			FOR EACH ROW EXECUTE FUNCTION audit_chain_insert()`,
		},
	},
	{
		// On SQLite, a year of a province's daily snapshots is some
		// 330 000 small rows under a composite key: WITHOUT ROWID keeps
		// them in the key's own B-tree instead of a rowid table plus an
		// index repeating every key (a sixth of the database smaller,
		// measured with BenchmarkPortalYear). PostgreSQL has no such
		// option and keeps its table.
		id:     "202612170001_portal_snapshots_without_rowid",
		driver: DriverSQLite,
		stmts: []string{
			`CREATE TABLE portal_snapshots_new (
				period VARCHAR(8) NOT NULL,
				unit_code VARCHAR(64) NOT NULL REFERENCES units (code) ON DELETE CASCADE,
				group_code VARCHAR(16) NOT NULL,
				as_of BIGINT NOT NULL,
				state BYTEA NOT NULL,
				CONSTRAINT portal_snapshots_key PRIMARY KEY (period, unit_code, group_code, as_of)
			) WITHOUT ROWID`,
			`INSERT INTO portal_snapshots_new (period, unit_code, group_code, as_of, state)
			SELECT period, unit_code, group_code, as_of, state FROM portal_snapshots`,
			`DROP TABLE portal_snapshots`,
			`ALTER TABLE portal_snapshots_new RENAME TO portal_snapshots`,
		},
	},
	{
		// A publication remembers the latest month its period held, so
		// that a new month of a longer period published while running
		// is told from a change of what it showed (publications.go).
		// Existing publications get the latest month their period has
		// data for now.
		id:    "202612180001_publications_through_month",
		stmts: []string{`ALTER TABLE publications ADD COLUMN through_month VARCHAR(8) NOT NULL DEFAULT ''`},
		run:   backfillThroughMonth,
	},
	{
		// Revisions of kind update (a new month, no reason). SQLite
		// cannot change a CHECK constraint: the table is made again.
		id:     "202612180002_revision_update_sqlite",
		driver: DriverSQLite,
		stmts: []string{
			`CREATE TABLE publication_revisions_new (
				id INTEGER PRIMARY KEY AUTOINCREMENT,
				period VARCHAR(8) NOT NULL REFERENCES publications (period) ON DELETE CASCADE,
				revision INTEGER NOT NULL,
				kind VARCHAR(16) NOT NULL,
				reason TEXT NOT NULL DEFAULT '',
				actor VARCHAR(128) NOT NULL,
				actor_id BIGINT,
				import_id BIGINT REFERENCES imports (id),
				data_version BIGINT,
				snapshot TEXT,
				created_at DATETIME NOT NULL,
				CONSTRAINT publication_revisions_key UNIQUE (period, revision),
				CONSTRAINT publication_revisions_kind_check CHECK (kind IN ('publish', 'correction', 'update')),
				CONSTRAINT publication_revisions_reason_check CHECK (kind <> 'correction' OR reason <> '')
			)`,
			`INSERT INTO publication_revisions_new (id, period, revision, kind, reason, actor, actor_id, import_id, data_version, snapshot, created_at)
			SELECT id, period, revision, kind, reason, actor, actor_id, import_id, data_version, snapshot, created_at FROM publication_revisions`,
			`DROP TABLE publication_revisions`,
			`ALTER TABLE publication_revisions_new RENAME TO publication_revisions`,
		},
	},
	{
		id:     "202612180003_revision_update_postgres",
		driver: DriverPostgres,
		stmts: []string{
			`ALTER TABLE publication_revisions DROP CONSTRAINT publication_revisions_kind_check`,
			`ALTER TABLE publication_revisions DROP CONSTRAINT publication_revisions_reason_check`,
			`ALTER TABLE publication_revisions ADD CONSTRAINT publication_revisions_kind_check CHECK (kind IN ('publish', 'correction', 'update'))`,
			`ALTER TABLE publication_revisions ADD CONSTRAINT publication_revisions_reason_check CHECK (kind <> 'correction' OR reason <> '')`,
		},
	},
	{
		// Publishing changes what the public sees without changing the
		// data: a second counter, moved by every publish, correction and
		// removal of publications, and its time, so that the page cache
		// can key on both (stamp.go).
		id: "202612190001_publications_version",
		stmts: []string{
			`ALTER TABLE data_state ADD COLUMN publications_version BIGINT NOT NULL DEFAULT 0`,
			`ALTER TABLE data_state ADD COLUMN publications_modified_at {{ts}}`,
		},
	},
	{
		// The boundaries of units an office supplies (a GeoJSON file keyed
		// by unit code), for the map: each unit's geometry as the checked
		// GeoJSON text, replaced by a later import of the same unit.
		id: "202612200007_unit_boundaries",
		stmts: []string{
			`CREATE TABLE unit_boundaries (
				unit_code VARCHAR(64) NOT NULL PRIMARY KEY REFERENCES units (code) ON DELETE CASCADE,
				geometry TEXT NOT NULL,
				import_id BIGINT NOT NULL REFERENCES imports (id)
			)`,
		},
	},
	{
		// The files the staff upload through the web, between their
		// preview and their confirmation, with the job that checks or
		// imports them and its progress: in the database, so that every
		// server process on it shares them. The bytes are in pieces of
		// bounded size (staged_upload_parts), deleted with their upload.
		id: "202612210001_staged_uploads",
		stmts: []string{
			`CREATE TABLE staged_uploads (
				id VARCHAR(64) NOT NULL PRIMARY KEY,
				owner_id BIGINT NOT NULL,
				file_name TEXT NOT NULL,
				size BIGINT NOT NULL,
				portal VARCHAR(16) NOT NULL DEFAULT '',
				portal_period VARCHAR(16) NOT NULL DEFAULT '',
				portal_as_of {{ts}},
				created_at {{ts}} NOT NULL,
				expires_at {{ts}} NOT NULL,
				phase VARCHAR(16) NOT NULL,
				running BOOLEAN NOT NULL,
				started_at {{ts}} NOT NULL,
				heartbeat_at {{ts}} NOT NULL,
				rows_read BIGINT NOT NULL DEFAULT 0,
				bytes_read BIGINT NOT NULL DEFAULT 0,
				total_bytes BIGINT NOT NULL DEFAULT 0,
				seen BOOLEAN NOT NULL DEFAULT FALSE,
				read_done BOOLEAN NOT NULL DEFAULT FALSE,
				outcome_kind VARCHAR(16) NOT NULL DEFAULT '',
				outcome TEXT NOT NULL DEFAULT '',
				CONSTRAINT staged_uploads_portal_check CHECK (portal IN ('', 'capture', 'bare')),
				CONSTRAINT staged_uploads_phase_check CHECK (phase IN ('preview', 'import')),
				CONSTRAINT staged_uploads_outcome_check CHECK (outcome_kind IN ('', 'ready', 'refused', 'failed', 'done'))
			)`,
			`CREATE INDEX idx_staged_uploads_expires_at ON staged_uploads (expires_at)`,
			`CREATE TABLE staged_upload_parts (
				upload_id VARCHAR(64) NOT NULL REFERENCES staged_uploads (id) ON DELETE CASCADE,
				n INTEGER NOT NULL,
				data {{blob}} NOT NULL,
				PRIMARY KEY (upload_id, n)
			)`,
		},
	},
	{
		// Scores kept per period (scores.go): the score epoch and each
		// period's score version, the scores computed at them, and the
		// indexes that read one period's counts (derived counts were
		// keyed by unit first) and the demo's counts (by import) without
		// reading them all. Every period starts at the current version.
		id: "202612210101_period_scores",
		stmts: []string{
			`ALTER TABLE data_state ADD COLUMN scores_epoch BIGINT NOT NULL DEFAULT 0`,
			`UPDATE data_state SET scores_epoch = version`,
			`CREATE TABLE score_periods (
				period VARCHAR(8) NOT NULL PRIMARY KEY,
				version BIGINT NOT NULL
			)`,
			`CREATE TABLE period_scores (
				period VARCHAR(8) NOT NULL,
				version BIGINT NOT NULL,
				body {{blob}} NOT NULL,
				created_at {{ts}} NOT NULL,
				PRIMARY KEY (period, version)
			)`,
			`CREATE INDEX idx_derived_counts_period ON derived_counts (period)`,
			`CREATE INDEX idx_metric_counts_import_id ON metric_counts (import_id)`,
		},
	},
	{
		// Each kept period's totals and ranks, unit by unit (scores.go):
		// a unit's trend reads a dozen periods' totals without their
		// metrics. The scores kept before have none and are dropped (they
		// are derived: the next Warm keeps them again, with their totals).
		id: "202612220101_period_totals",
		stmts: []string{
			`DELETE FROM period_scores`,
			`ALTER TABLE period_scores ADD COLUMN totals {{blob}}`,
		},
	},
}

// backfillThroughMonth sets the through_month of existing publications.
func backfillThroughMonth(tx *gorm.DB, _ string) error {
	var periods []string
	if err := tx.Raw("SELECT period FROM publications").Scan(&periods).Error; err != nil {
		return fmt.Errorf("publications: %w", err)
	}
	for _, s := range periods {
		p, err := scoring.ParsePeriod(s)
		if err != nil {
			continue // not a period: nothing to remember
		}
		through, err := latestMonthWithData(tx, p)
		if err != nil {
			return err
		}
		if err := tx.Exec("UPDATE publications SET through_month = ? WHERE period = ?", through, s).Error; err != nil {
			return fmt.Errorf("publication %s: %w", s, err)
		}
	}
	return nil
}

// sqliteAuditNoUpdate is the trigger of 202612010002, put back by
// chainExisting after it has chained the existing rows.
const sqliteAuditNoUpdate = `CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
			BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END`

// dialectWords fills the placeholders of the migrations.
func dialectWords(driver string) *strings.Replacer {
	if driver == DriverPostgres {
		return strings.NewReplacer("{{pk}}", "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "{{ts}}", "TIMESTAMPTZ", "{{blob}}", "BYTEA")
	}
	// SQLite: INTEGER PRIMARY KEY is the rowid; AUTOINCREMENT keeps ids of
	// deleted rows from being reused, so an import id stays unique forever.
	return strings.NewReplacer("{{pk}}", "INTEGER PRIMARY KEY AUTOINCREMENT", "{{ts}}", "DATETIME", "{{blob}}", "BLOB")
}

// gormMigrations turns the list into gormigrate steps for the driver.
func gormMigrations(driver string) []*gormigrate.Migration {
	words := dialectWords(driver)
	out := make([]*gormigrate.Migration, 0, len(migrations))
	for _, m := range migrations {
		m := m
		out = append(out, &gormigrate.Migration{
			ID: m.id,
			Migrate: func(tx *gorm.DB) error {
				if m.driver != "" && m.driver != driver {
					return nil
				}
				// One statement per Exec: PostgreSQL's extended protocol
				// refuses several statements in one call.
				for i, stmt := range m.stmts {
					if err := tx.Exec(words.Replace(stmt)).Error; err != nil {
						return fmt.Errorf("migration %s, statement %d: %w", m.id, i+1, err)
					}
				}
				if m.run != nil {
					if err := m.run(tx, driver); err != nil {
						return fmt.Errorf("migration %s: %w", m.id, err)
					}
				}
				return nil
			},
		})
	}
	return out
}

// migrate applies the pending migrations, all in one transaction: a failed
// step leaves the database as it was.
func (s *Store) migrate(ctx context.Context) error {
	opts := *gormigrate.DefaultOptions
	opts.TableName = migrationsTable
	opts.UseTransaction = true
	// A database migrated by a newer binary has steps this one does not
	// know; running on it could misread the schema.
	opts.ValidateUnknownMigrations = true
	m := gormigrate.New(s.w.WithContext(ctx), &opts, gormMigrations(s.driver))
	if err := m.Migrate(); err != nil {
		return fmt.Errorf("store: migrate: %w", err)
	}
	return nil
}
