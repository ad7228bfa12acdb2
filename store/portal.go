package store

import (
	"bytes"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
	"scorecard/scoring"
)

// Captures of the national portal's published index (portal.md): what the
// portal said about each unit of a province for one period at one moment.
//
// Four things are kept, for four uses:
//   - the period's figures, from its latest capture: counts in
//     metric_counts (what the engine scores) and the portal's own scores
//     and data-quality flags in official_scores (what pages show beside
//     our recomputation, never overwritten by it);
//   - every earlier capture as snapshots (portal_snapshots), one row per
//     unit and group only when its figures changed since the capture
//     before, so that a running year captured daily stays small; the
//     latest row of each (period, unit, group) is marked in portal_heads;
//   - the raw files, byte for byte (gzip-compressed, deduplicated by
//     SHA-256), as the evidence of each import (portal_files);
//   - the units, keyed by code, with the portal's department id; a unit
//     missing from the province's latest complete capture is inactive
//     from the first complete capture that missed it.

// PortalCapture is a checked capture to store (portal.Build makes it).
type PortalCapture struct {
	// Name is the folder, zip or first response file.
	Name string
	// Fingerprint identifies the content: the same capture imported
	// again changes nothing.
	Fingerprint  string
	ProvinceID   string
	ProvinceCode string
	Period       string // canonical
	AsOf         time.Time
	// Complete: the six endpoints, every unit of the province. Only a
	// complete capture marks units that are missing as inactive.
	Complete bool
	// Groups lists the groups captured (one per endpoint).
	Groups []string
	// Units are the province and its units, the province first.
	Units   []PortalUnit
	Figures []PortalFigures
	Files   []PortalFile
}

// PortalUnit is a unit as a capture names it.
type PortalUnit struct {
	Code, Name, Kind string
	ParentCode       string // "" for the province
	PortalID         string // departmentId
}

// PortalFigures is one group of one unit as the portal published it: the
// group's score and each metric's counts and score. A metric absent from
// Metrics has no counts from the portal (the online-services group of a
// child unit is published as a score only: official only).
type PortalFigures struct {
	Unit, Group       string
	Score, Max, Ratio *scoring.Cents
	Metrics           []PortalMetric
	Extras            []PortalExtra
}

// PortalMetric is one metric: counts (both nil: "no counts", the portal's
// null), the published score, ratio and data-quality flag.
type PortalMetric struct {
	Code                    string
	Num, Den                *int64
	Score, Max, Ratio       *scoring.Cents
	Quality, QualityMessage string
}

// PortalExtra is another published figure, in hundredths.
type PortalExtra struct {
	Name  string
	Value scoring.Cents
}

// PortalFile is a raw file of a capture.
type PortalFile struct {
	Name     string
	Endpoint string // "" for the manifest
	Page     int
	Data     []byte
}

// PortalResult says what storing a capture did.
type PortalResult struct {
	ImportID  uint
	CaptureID uint
	// Already: the same capture (same fingerprint) was imported before,
	// as ImportID; nothing changed.
	Already bool
	// Current: the capture is the period's latest for at least one group,
	// and its figures are now the period's.
	Current bool
	// Figures are the unit × group figures of the capture: Inserted new,
	// Updated changed since the previous snapshot, Unchanged the same.
	Figures, Inserted, Updated, Unchanged int
	// Snapshots is how many snapshot rows were written.
	Snapshots int
	// NewUnits and RenamedUnits count units created and units whose name,
	// kind or parent changed; Inactive the units now inactive.
	NewUnits, RenamedUnits, Inactive int
	Periods                          []string
}

// PortalIDConflict refuses a capture whose department id is stored for a
// unit of another code, or whose code is stored with another id: codes
// and ids are the identity of a unit, and the office must decide.
type PortalIDConflict struct {
	PortalID, Code           string
	StoredCode, StoredPortal string
}

func (e *PortalIDConflict) Error() string {
	return fmt.Sprintf("store: department id %s is stored for unit %s, not %s", e.PortalID, e.StoredCode, e.Code)
}

// Unix seconds: captures are compared and ordered by time, which is
// exact and portable as an integer (SQLite keeps timestamps as text).
func unix(t time.Time) int64 { return t.Unix() }

func fromUnix(s int64) time.Time { return time.Unix(s, 0).UTC() }

// ImportPortalCapture stores a capture in one transaction. imp is the
// import log row (FileName, SHA256, Source set by the caller; Kind, Rows,
// Inserted, Updated and Periods filled in).
func (s *Store) ImportPortalCapture(ctx context.Context, imp *models.Import, c *PortalCapture) (PortalResult, error) {
	if err := checkPortalCapture(c); err != nil {
		return PortalResult{}, fmt.Errorf("store: import portal capture: %w", err)
	}
	var res PortalResult
	err := s.write(ctx, func(tx *gorm.DB) error {
		var prev struct {
			ID       uint
			ImportID uint
		}
		if err := tx.Raw("SELECT id, import_id FROM portal_captures WHERE fingerprint = ?", c.Fingerprint).Scan(&prev).Error; err != nil {
			return fmt.Errorf("look up capture: %w", err)
		}
		if prev.ID != 0 {
			res = PortalResult{Already: true, ImportID: prev.ImportID, CaptureID: prev.ID, Figures: len(c.Figures), Unchanged: len(c.Figures)}
			return nil
		}
		w := &portalWrite{tx: tx, c: c, asOf: unix(c.AsOf), now: tx.NowFunc(), res: &res}
		return w.run(imp)
	})
	if err != nil {
		imp.ID = 0
		var conflict *PortalIDConflict
		var pub *PublishedError
		if errors.As(err, &conflict) || errors.As(err, &pub) {
			return PortalResult{}, fmt.Errorf("store: import portal capture: %w", err)
		}
		return PortalResult{}, fmt.Errorf("store: import portal capture: %w", dbErr(err))
	}
	return res, nil
}

func checkPortalCapture(c *PortalCapture) error {
	if c.Fingerprint == "" || c.ProvinceCode == "" || c.ProvinceID == "" || c.AsOf.IsZero() {
		return fmt.Errorf("fingerprint, province and time are required: %w", ErrInvalid)
	}
	if p, err := scoring.ParsePeriod(c.Period); err != nil || p.String() != c.Period {
		return fmt.Errorf("period %q: %w", c.Period, ErrInvalid)
	}
	if len(c.Units) == 0 || c.Units[0].Code != c.ProvinceCode || c.Units[0].Kind != models.KindProvince {
		return fmt.Errorf("the province must come first among the units: %w", ErrInvalid)
	}
	units := map[string]bool{}
	for _, u := range c.Units {
		if units[u.Code] {
			return fmt.Errorf("unit %s twice: %w", u.Code, ErrConflict)
		}
		units[u.Code] = true
	}
	seen := map[[2]string]bool{}
	for _, f := range c.Figures {
		k := [2]string{f.Unit, f.Group}
		if seen[k] || !units[f.Unit] {
			return fmt.Errorf("figures of %s/%s twice or of an unknown unit: %w", f.Unit, f.Group, ErrConflict)
		}
		seen[k] = true
		for _, m := range f.Metrics {
			if (m.Num == nil) != (m.Den == nil) || (m.Num != nil && (*m.Num < 0 || *m.Num > *m.Den)) {
				return fmt.Errorf("%s/%s: need both counts empty or 0 ≤ numerator ≤ denominator: %w", f.Unit, m.Code, ErrInvalid)
			}
		}
	}
	return nil
}

// portalWrite is one capture being written.
type portalWrite struct {
	tx   *gorm.DB
	c    *PortalCapture
	asOf int64
	now  time.Time
	res  *PortalResult
	ws   *words
	// current lists the groups for which this capture is the latest, so
	// that its figures become the period's.
	current map[string]bool
	// counts and official are the period's figures as stored before the
	// capture, for the units it names: only what changes is written.
	counts   map[[2]string]countPair
	official map[[2]string]officialVal
}

func (w *portalWrite) run(imp *models.Import) error {
	if err := w.loadWords(); err != nil {
		return err
	}
	if err := w.whichCurrent(); err != nil {
		return err
	}
	changed, err := w.currentChanges()
	if err != nil {
		return err
	}
	imp.Kind = models.ImportPortal
	if changed {
		imp.Periods = w.c.Period
		w.res.Periods = []string{w.c.Period}
	}
	// The log row goes first (the rows name it); its guard, which refuses
	// a change to a published period unless made as a correction, and its
	// audit row go last: on PostgreSQL appending to the audit trail takes
	// a lock held until commit, which would make every login wait for the
	// whole capture.
	imp.Rows = len(w.c.Figures)
	if err := openImport(w.tx, imp); err != nil {
		return err
	}
	w.res.ImportID = imp.ID
	if err := w.units(imp.ID); err != nil {
		return err
	}
	if err := w.capture(imp.ID); err != nil {
		return err
	}
	if err := w.snapshots(); err != nil {
		return err
	}
	if err := w.currentFigures(imp.ID); err != nil {
		return err
	}
	if err := w.saveWords(); err != nil {
		return err
	}
	if w.c.Complete {
		if err := w.inactive(); err != nil {
			return err
		}
	}
	w.res.Figures = len(w.c.Figures)
	imp.Inserted, imp.Updated = w.res.Inserted, w.res.Updated
	if err := w.tx.Model(imp).Updates(map[string]any{"inserted": imp.Inserted, "updated": imp.Updated}).Error; err != nil {
		return fmt.Errorf("log import: %w", err)
	}
	if err := guardImport(w.tx, imp); err != nil {
		return err
	}
	return bumpVersion(w.tx)
}

func (w *portalWrite) loadWords() error {
	w.ws = newWords()
	rows, err := w.tx.Raw("SELECT id, word FROM portal_words").Rows()
	if err != nil {
		return fmt.Errorf("load words: %w", err)
	}
	for rows.Next() {
		var id int64
		var s string
		if err := rows.Scan(&id, &s); err != nil {
			_ = rows.Close()
			return fmt.Errorf("load words: %w", err)
		}
		w.ws.add(id, s)
	}
	return closeRows(rows)
}

func (w *portalWrite) saveWords() error {
	if len(w.ws.fresh) == 0 {
		return nil
	}
	return upsert(w.tx, "portal_words", []string{"id", "word"}, "id", "word = excluded.word", len(w.ws.fresh),
		func(i int, args []any) []any { s := w.ws.fresh[i]; return append(args, w.ws.ids[s], s) })
}

// whichCurrent decides, per group, whether this capture is the period's
// latest: no earlier import has a later moment for that group.
func (w *portalWrite) whichCurrent() error {
	latest, err := w.captureTimes()
	if err != nil {
		return err
	}
	w.current = map[string]bool{}
	for _, g := range w.c.Groups {
		times := latest[g]
		if len(times) == 0 || times[len(times)-1] <= w.asOf {
			w.current[g] = true
			w.res.Current = true
		}
	}
	return nil
}

// captureTimes lists, per group, the moments of the province's earlier
// captures of the period, oldest first.
func (w *portalWrite) captureTimes() (map[string][]int64, error) {
	rows, err := w.tx.Raw("SELECT as_of, groups_captured FROM portal_captures WHERE province_code = ? AND period = ? ORDER BY as_of",
		w.c.ProvinceCode, w.c.Period).Rows()
	if err != nil {
		return nil, fmt.Errorf("capture times: %w", err)
	}
	out := map[string][]int64{}
	for rows.Next() {
		var at int64
		var groups string
		if err := rows.Scan(&at, &groups); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("capture times: %w", err)
		}
		for _, g := range strings.Split(groups, ",") {
			out[g] = append(out[g], at)
		}
	}
	return out, closeRows(rows)
}

type countPair struct{ num, den sql.NullInt64 }

type officialVal struct {
	score, max, ratio sql.NullInt64
	quality, message  string
	group             string // the group the row belongs to (as stored)
}

// currentChanges reports whether writing the capture's figures as the
// period's would change a count or an official score: only then is the
// period "touched" (a published period refuses the import unless it is a
// correction; a capture that repeats the published figures is not one).
func (w *portalWrite) currentChanges() (bool, error) {
	var err error
	if w.counts, err = w.loadCounts(); err != nil {
		return false, err
	}
	if w.official, err = w.loadOfficial(); err != nil {
		return false, err
	}
	for _, f := range w.c.Figures {
		if !w.current[f.Group] {
			continue
		}
		if o, ok := w.official[[2]string{f.Unit, f.Group}]; !ok || o != groupVal(f) {
			return true, nil
		}
		for _, m := range f.Metrics {
			if c, ok := w.counts[[2]string{f.Unit, m.Code}]; !ok || !countVal(c).same(m.Num, m.Den) {
				return true, nil
			}
			if o, ok := w.official[[2]string{f.Unit, m.Code}]; !ok || o != metricVal(m, f.Group) {
				return true, nil
			}
		}
	}
	return false, nil
}

func nullCents(c *scoring.Cents) sql.NullInt64 {
	if c == nil {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: int64(*c), Valid: true}
}

func groupVal(f PortalFigures) officialVal {
	return officialVal{score: nullCents(f.Score), max: nullCents(f.Max), ratio: nullCents(f.Ratio), group: f.Group}
}

func metricVal(m PortalMetric, group string) officialVal {
	return officialVal{score: nullCents(m.Score), max: nullCents(m.Max), ratio: nullCents(m.Ratio), quality: m.Quality, message: m.QualityMessage, group: group}
}

func (w *portalWrite) unitCodes() []string {
	out := make([]string, len(w.c.Units))
	for i, u := range w.c.Units {
		out[i] = u.Code
	}
	return out
}

// inChunks runs fn over codes in slices small enough for a statement's
// bound variables.
func inChunks(codes []string, fn func([]string) error) error {
	for start := 0; start < len(codes); start += upsertBatch {
		if err := fn(codes[start:min(start+upsertBatch, len(codes))]); err != nil {
			return err
		}
	}
	return nil
}

func (w *portalWrite) loadCounts() (map[[2]string]countPair, error) {
	out := map[[2]string]countPair{}
	err := inChunks(w.unitCodes(), func(codes []string) error {
		rows, err := w.tx.Raw("SELECT unit_code, metric, numerator, denominator FROM metric_counts WHERE period = ? AND unit_code IN ?",
			w.c.Period, codes).Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var u, m string
			var p countPair
			if err := rows.Scan(&u, &m, &p.num, &p.den); err != nil {
				_ = rows.Close()
				return err
			}
			out[[2]string{u, m}] = p
		}
		return closeRows(rows)
	})
	if err != nil {
		return nil, fmt.Errorf("load counts: %w", err)
	}
	return out, nil
}

func (w *portalWrite) loadOfficial() (map[[2]string]officialVal, error) {
	out := map[[2]string]officialVal{}
	err := inChunks(w.unitCodes(), func(codes []string) error {
		rows, err := w.tx.Raw("SELECT unit_code, item, score_cents, max_cents, ratio_cents, quality, quality_message, group_code FROM official_scores WHERE period = ? AND unit_code IN ?",
			w.c.Period, codes).Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var u, item string
			var v officialVal
			if err := rows.Scan(&u, &item, &v.score, &v.max, &v.ratio, &v.quality, &v.message, &v.group); err != nil {
				_ = rows.Close()
				return err
			}
			out[[2]string{u, item}] = v
		}
		return closeRows(rows)
	})
	if err != nil {
		return nil, fmt.Errorf("load official scores: %w", err)
	}
	return out, nil
}

type storedUnit struct {
	Code, Name, Kind string
	ParentCode       sql.NullString
	PortalID         sql.NullString
	LastSeenAt       sql.NullTime
}

// units inserts the capture's units and updates those it names again. A
// unit keeps its code; its name, kind and parent follow the newest capture
// that names it (an older capture imported later does not rename it back).
func (w *portalWrite) units(importID uint) error {
	var stored []storedUnit
	if err := w.tx.Raw("SELECT code, name, kind, parent_code, portal_id, last_seen_at FROM units").Scan(&stored).Error; err != nil {
		return fmt.Errorf("load units: %w", err)
	}
	byCode := make(map[string]storedUnit, len(stored))
	byID := make(map[string]string, len(stored))
	for _, u := range stored {
		byCode[u.Code] = u
		if u.PortalID.Valid {
			byID[u.PortalID.String] = u.Code
		}
	}
	at := fromUnix(w.asOf)
	type row struct {
		u        PortalUnit
		lastSeen time.Time
		rename   bool
	}
	rows := make([]row, 0, len(w.c.Units))
	for _, u := range w.c.Units {
		if code, ok := byID[u.PortalID]; ok && code != u.Code {
			return &PortalIDConflict{PortalID: u.PortalID, Code: u.Code, StoredCode: code}
		}
		r := row{u: u, lastSeen: at, rename: true}
		if old, ok := byCode[u.Code]; ok {
			if old.PortalID.Valid && old.PortalID.String != u.PortalID {
				return &PortalIDConflict{PortalID: u.PortalID, Code: u.Code, StoredCode: u.Code, StoredPortal: old.PortalID.String}
			}
			if old.LastSeenAt.Valid && old.LastSeenAt.Time.After(at) {
				r.lastSeen, r.rename = old.LastSeenAt.Time.UTC(), false
			}
			if r.rename && (old.Name != u.Name || old.Kind != u.Kind || old.ParentCode.String != u.ParentCode) {
				w.res.RenamedUnits++
			}
			if !r.rename {
				r.u.Name, r.u.Kind, r.u.ParentCode = old.Name, old.Kind, old.ParentCode.String
			}
		} else {
			w.res.NewUnits++
		}
		rows = append(rows, r)
	}
	// Parents first (see ImportUnits).
	sort.SliceStable(rows, func(i, j int) bool { return kindRank(rows[i].u.Kind) < kindRank(rows[j].u.Kind) })
	err := upsert(w.tx, "units", []string{"code", "name", "kind", "parent_code", "portal_id", "last_seen_at", "import_id", "demo", "created_at", "updated_at"},
		"code", "name = excluded.name, kind = excluded.kind, parent_code = excluded.parent_code, portal_id = excluded.portal_id, "+
			"last_seen_at = excluded.last_seen_at, import_id = excluded.import_id, updated_at = excluded.updated_at, demo = FALSE",
		len(rows), func(i int, args []any) []any {
			r := rows[i]
			var parent any
			if r.u.ParentCode != "" {
				parent = r.u.ParentCode
			}
			return append(args, r.u.Code, r.u.Name, r.u.Kind, parent, r.u.PortalID, r.lastSeen, importID, false, w.now, w.now)
		})
	if err != nil {
		return fmt.Errorf("upsert units: %w", err)
	}
	return nil
}

// capture logs the capture and keeps its files.
func (w *portalWrite) capture(importID uint) error {
	groups := append([]string(nil), w.c.Groups...)
	sort.Strings(groups)
	var id uint
	err := w.tx.Raw(`INSERT INTO portal_captures (import_id, fingerprint, name, province_id, province_code, period, as_of, complete, groups_captured, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		importID, w.c.Fingerprint, w.c.Name, w.c.ProvinceID, w.c.ProvinceCode, w.c.Period, w.asOf, w.c.Complete, strings.Join(groups, ","), w.now).
		Scan(&id).Error
	if err != nil {
		return fmt.Errorf("log capture: %w", err)
	}
	w.res.CaptureID = id
	type file struct {
		PortalFile
		sum  string
		body []byte
	}
	files := make([]file, 0, len(w.c.Files))
	seen := map[string]bool{}
	for _, f := range w.c.Files {
		s := sha256.Sum256(f.Data)
		sum := hex.EncodeToString(s[:])
		var body []byte
		if !seen[sum] {
			seen[sum] = true
			b, err := gzipBytes(f.Data)
			if err != nil {
				return fmt.Errorf("compress %s: %w", f.Name, err)
			}
			body = b
		}
		files = append(files, file{PortalFile: f, sum: sum, body: body})
	}
	var unique []file
	for _, f := range files {
		if f.body != nil {
			unique = append(unique, f)
		}
	}
	// The same bytes imported twice (an unchanged page) are kept once.
	err = upsertNothing(w.tx, "portal_files", []string{"sha256", "size", "content", "created_at"}, "sha256", len(unique),
		func(i int, args []any) []any {
			f := unique[i]
			return append(args, f.sum, len(f.Data), f.body, w.now)
		})
	if err != nil {
		return fmt.Errorf("store files: %w", err)
	}
	err = upsert(w.tx, "portal_capture_files", []string{"capture_id", "name", "endpoint", "page", "sha256"}, "capture_id, name",
		"sha256 = excluded.sha256", len(files), func(i int, args []any) []any {
			f := files[i]
			return append(args, id, f.Name, f.Endpoint, f.Page, f.sum)
		})
	if err != nil {
		return fmt.Errorf("link files: %w", err)
	}
	return nil
}

// gzipBytes compresses a raw file. The default level makes a year of a
// province's daily captures a quarter smaller than the fastest one (19
// rather than 25 MB), for some 40 ms per capture.
func gzipBytes(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := zw.Write(b); err != nil {
		return nil, err
	}
	if err := zw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// upsertNothing inserts rows, leaving those whose key exists as they are.
func upsertNothing(tx *gorm.DB, table string, cols []string, key string, n int, row func(i int, args []any) []any) error {
	placeholders := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	for start := 0; start < n; start += 100 {
		end := min(start+100, n)
		var b strings.Builder
		b.WriteString("INSERT INTO " + table + " (" + strings.Join(cols, ", ") + ") VALUES ")
		args := make([]any, 0, (end-start)*len(cols))
		for i := start; i < end; i++ {
			if i > start {
				b.WriteString(", ")
			}
			b.WriteString(placeholders)
			args = row(i, args)
		}
		b.WriteString(" ON CONFLICT (" + key + ") DO NOTHING")
		if err := tx.Exec(b.String(), args...).Error; err != nil {
			return err
		}
	}
	return nil
}

type snapRow struct {
	unit, group string
	asOf        int64
	state       []byte
}

// snapshots writes the figures that changed since the capture before. In
// the usual order (each capture newer than the last) the previous state of
// a unit's group is its head. A capture older than one already stored (a
// backfill) is slotted in: its row goes at its moment, and when it differs
// from the state the next capture had inherited, that state is written at
// the next capture's moment so that the series stays true after it.
func (w *portalWrite) snapshots() error {
	times, err := w.captureTimes()
	if err != nil {
		return err
	}
	heads, err := w.loadHeads()
	if err != nil {
		return err
	}
	var rows []snapRow
	headAt := map[[2]string]int64{}
	for _, f := range w.c.Figures {
		k := [2]string{f.Unit, f.Group}
		enc := encodeState(&f, w.ws)
		h, hasHead := heads[k]
		if w.current[f.Group] && (!hasHead || h.asOf <= w.asOf) {
			switch {
			case !hasHead:
				w.res.Inserted++
			case bytes.Equal(h.state, enc):
				w.res.Unchanged++
				continue
			default:
				w.res.Updated++
			}
			rows = append(rows, snapRow{f.Unit, f.Group, w.asOf, enc})
			headAt[k] = w.asOf
			continue
		}
		more, changed, err := w.slotIn(f, enc, times[f.Group])
		if err != nil {
			return err
		}
		switch {
		case !changed:
			w.res.Unchanged++
		case !hasHead:
			w.res.Inserted++
		default:
			w.res.Updated++
		}
		rows = append(rows, more...)
		for _, r := range more {
			if r.asOf > headAt[k] && (!hasHead || r.asOf >= h.asOf) {
				headAt[k] = r.asOf
			}
		}
	}
	err = upsert(w.tx, "portal_snapshots", []string{"period", "unit_code", "group_code", "as_of", "state"},
		"period, unit_code, group_code, as_of", "state = excluded.state", len(rows), func(i int, args []any) []any {
			r := rows[i]
			return append(args, w.c.Period, r.unit, r.group, r.asOf, r.state)
		})
	if err != nil {
		return fmt.Errorf("write snapshots: %w", err)
	}
	w.res.Snapshots = len(rows)
	keys := make([][2]string, 0, len(headAt))
	for k := range headAt {
		keys = append(keys, k)
	}
	err = upsert(w.tx, "portal_heads", []string{"period", "unit_code", "group_code", "as_of"}, "period, unit_code, group_code",
		"as_of = excluded.as_of", len(keys), func(i int, args []any) []any {
			return append(args, w.c.Period, keys[i][0], keys[i][1], headAt[keys[i]])
		})
	if err != nil {
		return fmt.Errorf("write heads: %w", err)
	}
	return nil
}

type head struct {
	asOf  int64
	state []byte
}

func (w *portalWrite) loadHeads() (map[[2]string]head, error) {
	out := map[[2]string]head{}
	err := inChunks(w.unitCodes(), func(codes []string) error {
		rows, err := w.tx.Raw(`SELECT h.unit_code, h.group_code, h.as_of, s.state FROM portal_heads h
			JOIN portal_snapshots s ON s.period = h.period AND s.unit_code = h.unit_code AND s.group_code = h.group_code AND s.as_of = h.as_of
			WHERE h.period = ? AND h.unit_code IN ?`, w.c.Period, codes).Rows()
		if err != nil {
			return err
		}
		for rows.Next() {
			var u, g string
			var h head
			if err := rows.Scan(&u, &g, &h.asOf, &h.state); err != nil {
				_ = rows.Close()
				return err
			}
			out[[2]string{u, g}] = h
		}
		return closeRows(rows)
	})
	if err != nil {
		return nil, fmt.Errorf("load heads: %w", err)
	}
	return out, nil
}

// slotIn places an older capture's figures among the stored snapshots of
// the unit's group; times are the group's earlier capture moments.
func (w *portalWrite) slotIn(f PortalFigures, enc []byte, times []int64) ([]snapRow, bool, error) {
	prev, err := w.stateAt(f.Unit, f.Group, w.asOf)
	if err != nil {
		return nil, false, err
	}
	if prev != nil && bytes.Equal(prev.state, enc) {
		return nil, false, nil
	}
	out := []snapRow{{f.Unit, f.Group, w.asOf, enc}}
	next := int64(-1)
	for _, t := range times {
		if t > w.asOf {
			next = t
			break
		}
	}
	if next < 0 || prev == nil {
		return out, true, nil
	}
	atNext, err := w.stateAt(f.Unit, f.Group, next)
	if err != nil {
		return nil, false, err
	}
	if atNext != nil && atNext.asOf == next {
		return out, true, nil // the next capture has its own row
	}
	// The next capture inherited prev; keep it so, explicitly.
	return append(out, snapRow{f.Unit, f.Group, next, prev.state}), true, nil
}

// stateAt is the unit's group state in force at moment at (the latest row
// at or before it), nil if none.
func (w *portalWrite) stateAt(unit, group string, at int64) (*head, error) {
	var h head
	row := w.tx.Raw(`SELECT as_of, state FROM portal_snapshots WHERE period = ? AND unit_code = ? AND group_code = ? AND as_of <= ?
		ORDER BY as_of DESC LIMIT 1`, w.c.Period, unit, group, at).Row()
	if err := row.Scan(&h.asOf, &h.state); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, nil
		}
		return nil, fmt.Errorf("snapshot state: %w", err)
	}
	return &h, nil
}

// currentFigures writes the capture's figures as the period's, for the
// groups it is the latest of: counts into metric_counts, the portal's
// scores and flags into official_scores. Only rows that change are
// written: a running period captured daily changes some counts of most
// units, but most published scores stay. A published score of the group
// that the capture no longer carries is deleted, so that a metric the
// portal stopped publishing does not linger.
func (w *portalWrite) currentFigures(importID uint) error {
	type count struct {
		unit, metric string
		num, den     *int64
	}
	type official struct {
		unit, item string
		isGroup    bool
		v          officialVal
	}
	var counts []count
	var offs []official
	kept := map[[2]string]bool{}
	for _, f := range w.c.Figures {
		if !w.current[f.Group] {
			continue
		}
		add := func(item string, isGroup bool, v officialVal) {
			k := [2]string{f.Unit, item}
			kept[k] = true
			if o, ok := w.official[k]; !ok || o != v {
				offs = append(offs, official{f.Unit, item, isGroup, v})
			}
		}
		add(f.Group, true, groupVal(f))
		for _, m := range f.Metrics {
			if c, ok := w.counts[[2]string{f.Unit, m.Code}]; !ok || !countVal(c).same(m.Num, m.Den) {
				counts = append(counts, count{f.Unit, m.Code, m.Num, m.Den})
			}
			add(m.Code, false, metricVal(m, f.Group))
		}
	}
	named := map[[2]string]bool{}
	for _, f := range w.c.Figures {
		named[[2]string{f.Unit, f.Group}] = true
	}
	var gone [][2]string
	for k, o := range w.official {
		if w.current[o.group] && !kept[k] && named[[2]string{k[0], o.group}] {
			gone = append(gone, k)
		}
	}
	for _, k := range gone {
		if err := w.tx.Exec("DELETE FROM official_scores WHERE period = ? AND unit_code = ? AND item = ?", w.c.Period, k[0], k[1]).Error; err != nil {
			return fmt.Errorf("delete official score: %w", err)
		}
	}
	err := upsert(w.tx, "metric_counts", []string{"period", "unit_code", "metric", "numerator", "denominator", "import_id", "updated_at"},
		"period, unit_code, metric", "numerator = excluded.numerator, denominator = excluded.denominator, import_id = excluded.import_id, updated_at = excluded.updated_at",
		len(counts), func(i int, args []any) []any {
			c := counts[i]
			return append(args, w.c.Period, c.unit, c.metric, nullable(c.num), nullable(c.den), importID, w.now)
		})
	if err != nil {
		return fmt.Errorf("write counts: %w", err)
	}
	nv := func(v sql.NullInt64) any {
		if !v.Valid {
			return nil
		}
		return v.Int64
	}
	err = upsert(w.tx, "official_scores", []string{"period", "unit_code", "item", "group_code", "is_group", "score_cents", "max_cents",
		"ratio_cents", "quality", "quality_message", "as_of", "import_id"},
		"period, unit_code, item", "group_code = excluded.group_code, is_group = excluded.is_group, score_cents = excluded.score_cents, "+
			"max_cents = excluded.max_cents, ratio_cents = excluded.ratio_cents, quality = excluded.quality, quality_message = excluded.quality_message, "+
			"as_of = excluded.as_of, import_id = excluded.import_id",
		len(offs), func(i int, args []any) []any {
			o := offs[i]
			return append(args, w.c.Period, o.unit, o.item, o.v.group, o.isGroup, nv(o.v.score), nv(o.v.max), nv(o.v.ratio),
				o.v.quality, o.v.message, w.asOf, importID)
		})
	if err != nil {
		return fmt.Errorf("write official scores: %w", err)
	}
	return nil
}

// inactive recomputes which units of the province are inactive: a unit the
// portal named (it has a department id) is inactive from the first
// complete capture of the province after the last capture that named it.
func (w *portalWrite) inactive() error {
	var times []int64
	if err := w.tx.Raw("SELECT DISTINCT as_of FROM portal_captures WHERE province_code = ? AND complete = ? ORDER BY as_of",
		w.c.ProvinceCode, true).Scan(&times).Error; err != nil {
		return fmt.Errorf("complete captures: %w", err)
	}
	var units []struct {
		Code         string
		LastSeenAt   sql.NullTime
		InactiveFrom sql.NullTime
	}
	if err := w.tx.Raw("SELECT code, last_seen_at, inactive_from FROM units WHERE parent_code = ? AND portal_id IS NOT NULL",
		w.c.ProvinceCode).Scan(&units).Error; err != nil {
		return fmt.Errorf("province units: %w", err)
	}
	for _, u := range units {
		var want *time.Time
		if u.LastSeenAt.Valid {
			seen := unix(u.LastSeenAt.Time)
			i := sort.Search(len(times), func(i int) bool { return times[i] > seen })
			if i < len(times) {
				t := fromUnix(times[i])
				want = &t
			}
		}
		if want != nil {
			w.res.Inactive++
		}
		same := (want == nil && !u.InactiveFrom.Valid) || (want != nil && u.InactiveFrom.Valid && u.InactiveFrom.Time.Equal(*want))
		if same {
			continue
		}
		var v any
		if want != nil {
			v = *want
		}
		if err := w.tx.Exec("UPDATE units SET inactive_from = ? WHERE code = ?", v, u.Code).Error; err != nil {
			return fmt.Errorf("mark inactive: %w", err)
		}
	}
	return nil
}

// PortalUnitsByID returns the units the portal named, keyed by department
// id: bare responses name some units by id only.
func (s *Store) PortalUnitsByID(ctx context.Context) (map[string]models.Unit, error) {
	var units []models.Unit
	if err := s.r.WithContext(ctx).Where("portal_id IS NOT NULL").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("store: portal units: %w", dbErr(err))
	}
	out := make(map[string]models.Unit, len(units))
	for _, u := range units {
		out[*u.PortalID] = u
	}
	return out, nil
}

// OfficialScore is a score the portal published for a unit in a period,
// as its latest capture has it: a group's score (IsGroup, Item the group
// code) or a metric's (Item the metric code, GroupCode its group). Score
// is nil where the portal published none. AsOf is the capture that
// published this value: unchanged in the captures since (the period's
// latest capture is PortalCaptures' last).
type OfficialScore struct {
	Period, UnitCode  string
	Item, GroupCode   string
	IsGroup           bool
	Score, Max, Ratio *scoring.Cents
	// Quality and QualityMessage are the portal's data-quality flag.
	Quality, QualityMessage string
	AsOf                    time.Time
}

// OfficialScores lists the published scores of a period (every unit, or
// the units given), by unit, groups before their metrics.
func (s *Store) OfficialScores(ctx context.Context, period string, units ...string) ([]OfficialScore, error) {
	q := s.r.WithContext(ctx).Table("official_scores").
		Select("period, unit_code, item, group_code, is_group, score_cents, max_cents, ratio_cents, quality, quality_message, as_of").
		Where("period = ?", period)
	if len(units) > 0 {
		q = q.Where("unit_code IN ?", units)
	}
	rows, err := q.Order("unit_code, group_code, is_group DESC, item").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: official scores: %w", dbErr(err))
	}
	var out []OfficialScore
	for rows.Next() {
		var o OfficialScore
		var score, maxc, ratio sql.NullInt64
		var at int64
		if err := rows.Scan(&o.Period, &o.UnitCode, &o.Item, &o.GroupCode, &o.IsGroup, &score, &maxc, &ratio, &o.Quality, &o.QualityMessage, &at); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: official scores: %w", err)
		}
		o.Score, o.Max, o.Ratio = centsPtr(score), centsPtr(maxc), centsPtr(ratio)
		o.AsOf = fromUnix(at)
		out = append(out, o)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: official scores: %w", err)
	}
	return out, nil
}

func centsPtr(v sql.NullInt64) *scoring.Cents {
	if !v.Valid {
		return nil
	}
	c := scoring.Cents(v.Int64)
	return &c
}

// PortalCaptureInfo is one capture imported.
type PortalCaptureInfo struct {
	ID, ImportID             uint
	Name                     string
	ProvinceID, ProvinceCode string
	Period                   string
	AsOf                     time.Time
	Complete                 bool
	Groups                   []string
	CreatedAt                time.Time
}

// PortalCaptures lists the captures of a province's period, oldest first
// (period "" for every period).
func (s *Store) PortalCaptures(ctx context.Context, provinceCode, period string) ([]PortalCaptureInfo, error) {
	q := s.r.WithContext(ctx).Table("portal_captures").
		Select("id, import_id, name, province_id, province_code, period, as_of, complete, groups_captured, created_at").
		Where("province_code = ?", provinceCode)
	if period != "" {
		q = q.Where("period = ?", period)
	}
	rows, err := q.Order("as_of, id").Rows()
	if err != nil {
		return nil, fmt.Errorf("store: portal captures: %w", dbErr(err))
	}
	var out []PortalCaptureInfo
	for rows.Next() {
		var c PortalCaptureInfo
		var at int64
		var groups string
		if err := rows.Scan(&c.ID, &c.ImportID, &c.Name, &c.ProvinceID, &c.ProvinceCode, &c.Period, &at, &c.Complete, &groups, &c.CreatedAt); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: portal captures: %w", err)
		}
		c.AsOf, c.Groups = fromUnix(at), strings.Split(groups, ",")
		out = append(out, c)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: portal captures: %w", err)
	}
	return out, nil
}

// PortalSnapshot is a unit's group figures from a moment on.
type PortalSnapshot struct {
	AsOf time.Time
	PortalFigures
}

func (s *Store) loadWords(ctx context.Context) (*words, error) {
	ws := newWords()
	rows, err := s.r.WithContext(ctx).Raw("SELECT id, word FROM portal_words").Rows()
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var id int64
		var w string
		if err := rows.Scan(&id, &w); err != nil {
			_ = rows.Close()
			return nil, err
		}
		ws.add(id, w)
	}
	return ws, closeRows(rows)
}

// PortalSeries lists a unit's snapshots in a period, oldest first: each
// row holds a group's figures from its moment until the next row of that
// group. With PortalCaptures (the moments) it gives a day-by-day series.
func (s *Store) PortalSeries(ctx context.Context, period, unit string) ([]PortalSnapshot, error) {
	ws, err := s.loadWords(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: portal series: %w", dbErr(err))
	}
	rows, err := s.r.WithContext(ctx).Raw(`SELECT group_code, as_of, state FROM portal_snapshots
		WHERE period = ? AND unit_code = ? ORDER BY as_of, group_code`, period, unit).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: portal series: %w", dbErr(err))
	}
	var out []PortalSnapshot
	for rows.Next() {
		var g string
		var at int64
		var state []byte
		if err := rows.Scan(&g, &at, &state); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: portal series: %w", err)
		}
		f, err := decodeState(state, ws)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: portal series %s/%s: %w", unit, g, err)
		}
		f.Unit, f.Group = unit, g
		out = append(out, PortalSnapshot{AsOf: fromUnix(at), PortalFigures: f})
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: portal series: %w", err)
	}
	return out, nil
}

// PortalStateAt is every unit's figures in a period as of moment at: for
// each unit and group, its latest snapshot at or before at (the state a
// capture at that moment had). It reads one row per unit and group, by
// index, however long the series.
func (s *Store) PortalStateAt(ctx context.Context, period string, at time.Time) ([]PortalSnapshot, error) {
	ws, err := s.loadWords(ctx)
	if err != nil {
		return nil, fmt.Errorf("store: portal state: %w", dbErr(err))
	}
	rows, err := s.r.WithContext(ctx).Raw(`SELECT h.unit_code, h.group_code, s.as_of, s.state FROM portal_heads h
		JOIN portal_snapshots s ON s.period = h.period AND s.unit_code = h.unit_code AND s.group_code = h.group_code
		AND s.as_of = (SELECT MAX(x.as_of) FROM portal_snapshots x
			WHERE x.period = h.period AND x.unit_code = h.unit_code AND x.group_code = h.group_code AND x.as_of <= ?)
		WHERE h.period = ? ORDER BY h.unit_code, h.group_code`, unix(at), period).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: portal state: %w", dbErr(err))
	}
	var out []PortalSnapshot
	for rows.Next() {
		var u, g string
		var t int64
		var state []byte
		if err := rows.Scan(&u, &g, &t, &state); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: portal state: %w", err)
		}
		f, err := decodeState(state, ws)
		if err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: portal state %s/%s: %w", u, g, err)
		}
		f.Unit, f.Group = u, g
		out = append(out, PortalSnapshot{AsOf: fromUnix(t), PortalFigures: f})
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: portal state: %w", err)
	}
	return out, nil
}

// PortalFileInfo is a raw file of an imported capture.
type PortalFileInfo struct {
	Name, Endpoint string
	Page           int
	SHA256         string
	Size           int64
}

// PortalCaptureFiles lists the raw files of a capture.
func (s *Store) PortalCaptureFiles(ctx context.Context, captureID uint) ([]PortalFileInfo, error) {
	var out []PortalFileInfo
	rows, err := s.r.WithContext(ctx).Raw(`SELECT c.name, c.endpoint, c.page, c.sha256, f.size FROM portal_capture_files c
		JOIN portal_files f ON f.sha256 = c.sha256 WHERE c.capture_id = ? ORDER BY c.name`, captureID).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: capture files: %w", dbErr(err))
	}
	for rows.Next() {
		var f PortalFileInfo
		if err := rows.Scan(&f.Name, &f.Endpoint, &f.Page, &f.SHA256, &f.Size); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: capture files: %w", err)
		}
		out = append(out, f)
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: capture files: %w", err)
	}
	return out, nil
}

// maxPortalFile bounds a stored file once decompressed (they were checked
// on the way in; this guards against a tampered database).
const maxPortalFile = 1 << 30

// PortalFileBytes returns a raw file, byte for byte, checked against its
// SHA-256; ErrNotFound when no capture holds it.
func (s *Store) PortalFileBytes(ctx context.Context, sum string) ([]byte, error) {
	var gz []byte
	if err := s.r.WithContext(ctx).Raw("SELECT content FROM portal_files WHERE sha256 = ?", sum).Row().Scan(&gz); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: portal file %s: %w", sum, ErrNotFound)
		}
		return nil, fmt.Errorf("store: portal file %s: %w", sum, dbErr(err))
	}
	zr, err := gzip.NewReader(bytes.NewReader(gz))
	if err != nil {
		return nil, fmt.Errorf("store: portal file %s: %w", sum, err)
	}
	b, err := io.ReadAll(io.LimitReader(zr, maxPortalFile))
	if err != nil {
		return nil, fmt.Errorf("store: portal file %s: %w", sum, err)
	}
	got := sha256.Sum256(b)
	if hex.EncodeToString(got[:]) != sum {
		return nil, fmt.Errorf("store: portal file %s: content does not match its SHA-256", sum)
	}
	return b, nil
}

// PortalHistory calls fn with every snapshot of a period, by unit, then
// group, then moment (the table's own order: no sort), streaming: a year
// of daily captures of a province is a few hundred thousand rows, and
// whoever replays them (a day-by-day series) holds one unit at a time.
func (s *Store) PortalHistory(ctx context.Context, period string, fn func(PortalSnapshot) error) error {
	ws, err := s.loadWords(ctx)
	if err != nil {
		return fmt.Errorf("store: portal history: %w", dbErr(err))
	}
	rows, err := s.r.WithContext(ctx).Raw(`SELECT unit_code, group_code, as_of, state FROM portal_snapshots
		WHERE period = ? ORDER BY unit_code, group_code, as_of`, period).Rows()
	if err != nil {
		return fmt.Errorf("store: portal history: %w", dbErr(err))
	}
	str := interner{}.str
	var u, g sql.RawBytes
	for rows.Next() {
		var at int64
		var state []byte
		if err := rows.Scan(&u, &g, &at, &state); err != nil {
			_ = rows.Close()
			return fmt.Errorf("store: portal history: %w", err)
		}
		f, err := decodeState(state, ws)
		if err != nil {
			_ = rows.Close()
			return fmt.Errorf("store: portal history %s/%s: %w", u, g, err)
		}
		f.Unit, f.Group = str(u), str(g)
		if err := fn(PortalSnapshot{AsOf: fromUnix(at), PortalFigures: f}); err != nil {
			_ = rows.Close()
			return err
		}
	}
	if err := closeRows(rows); err != nil {
		return fmt.Errorf("store: portal history: %w", err)
	}
	return nil
}

// PortalFootprint is what the portal's captures take in the database.
type PortalFootprint struct {
	Captures int64
	// Files and FileBytes: the raw files kept, compressed.
	Files, FileBytes int64
	// Snapshots and StateBytes: the snapshot rows and their states.
	Snapshots, StateBytes int64
}

// PortalFootprint measures the room the captures take (for the staff's
// storage figures and the benchmarks).
func (s *Store) PortalFootprint(ctx context.Context) (PortalFootprint, error) {
	var f PortalFootprint
	db := s.r.WithContext(ctx)
	for _, q := range []struct {
		sql  string
		dest []any
	}{
		{"SELECT COUNT(*) FROM portal_captures", []any{&f.Captures}},
		{"SELECT COUNT(*), COALESCE(SUM(LENGTH(content)), 0) FROM portal_files", []any{&f.Files, &f.FileBytes}},
		{"SELECT COUNT(*), COALESCE(SUM(LENGTH(state)), 0) FROM portal_snapshots", []any{&f.Snapshots, &f.StateBytes}},
	} {
		if err := db.Raw(q.sql).Row().Scan(q.dest...); err != nil {
			return PortalFootprint{}, fmt.Errorf("store: portal footprint: %w", dbErr(err))
		}
	}
	return f, nil
}
