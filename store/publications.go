package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"gorm.io/gorm"

	"scorecard/models"
	"scorecard/scoring"
)

// The publishing workflow. A period is a draft until it is
// published; publishing freezes its scores as revision 1. From then on an
// import that would change the period is refused, unless it is made as a
// correction with a written reason: the import then adds a revision, and
// the earlier revisions stay.
//
// Which periods an import touches (TouchedPeriods): the periods of its rows,
// and for each month also the quarter, half-year and year containing it,
// because the engine derives those from their months (scoring.md §4) and a
// published quarter must not change silently when one of its months is
// re-imported. Rows given for a quarter, a half-year or a year touch that
// period only: nothing else is derived from them.
//
// Units files carry no period and are never refused: renaming a unit or
// adding one changes no published count, and the revisions keep the names
// as they were when frozen.
//
// Longer periods and their months. Publishing a month publishes that month;
// a quarter, half-year or year is published when it ends, that is when its
// last month is published and so is every month of it with data
// (PublishClosing), or explicitly at any time. A longer period published
// while still running (explicitly, or by an older version that published a
// month's quarter with it) keeps growing: an import whose only months in it
// are new to it — drafts later than the latest month it held when its
// current revision was made (Publication.ThroughMonth) — changes nothing it
// showed, so it is not a correction: it adds a revision of kind update,
// without a reason. A change to a month it already held, to a published
// month, or a row for the period itself is a correction.

// SnapshotFunc computes the JSON snapshot of a period's scores (every
// unit's total, band, rank, groups, metric points and counts) from the
// committed data. It returns an error wrapping ErrNoData for a period
// without data, which cannot be published.
type SnapshotFunc func(ctx context.Context, period string) ([]byte, error)

var (
	// ErrNoData: the period has no data to publish.
	ErrNoData = errors.New("store: no data in the period")
	// ErrAlreadyPublished: Publish of a published period (wraps ErrConflict).
	ErrAlreadyPublished = fmt.Errorf("%w: period already published", ErrConflict)
	// ErrNotPublished: Correct of a draft period (wraps ErrNotFound).
	ErrNotPublished = fmt.Errorf("%w: period not published", ErrNotFound)
	// ErrReason: a correction without a usable written reason (wraps ErrInvalid).
	ErrReason = fmt.Errorf("%w: a correction needs a written reason (%d to %d characters)", ErrInvalid, MinReasonLen, MaxReasonLen)
)

// Bounds of a correction's reason, in characters: long enough to say
// something ("sửa số liệu" is not), short enough for a page.
const (
	MinReasonLen = 10
	MaxReasonLen = 2000
)

// Correction marks an import as a correction of published periods.
type Correction struct {
	Reason string
	// By is who corrects; when empty the context's actor (WithActor) is.
	By Actor
}

type correctionKey struct{}

// WithCorrection attaches a correction to ctx: an import written with this
// context into published periods is accepted and adds a revision to each.
func WithCorrection(ctx context.Context, c Correction) context.Context {
	return context.WithValue(ctx, correctionKey{}, c)
}

// CorrectionFrom returns the correction attached to ctx, nil if none.
func CorrectionFrom(ctx context.Context) *Correction { return correctionFrom(ctx) }

func correctionFrom(ctx context.Context) *Correction {
	if ctx == nil {
		return nil
	}
	if c, ok := ctx.Value(correctionKey{}).(Correction); ok {
		return &c
	}
	return nil
}

// CheckReason validates a correction's reason and returns it trimmed.
func CheckReason(reason string) (string, error) {
	r := strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(r); n < MinReasonLen || n > MaxReasonLen || !utf8.ValidString(r) {
		return "", ErrReason
	}
	return r, nil
}

// PublishedError is the refusal of an import into published periods
// without a correction.
type PublishedError struct {
	// Periods are the published periods the import would correct (not
	// those it would only give a new month: see the top of this file).
	Periods []models.Publication
}

func (e *PublishedError) Error() string {
	return fmt.Sprintf("store: published period(s) %s cannot change without a correction and its reason", strings.Join(e.periodList(), ", "))
}

func (e *PublishedError) periodList() []string {
	out := make([]string, len(e.Periods))
	for i, p := range e.Periods {
		out[i] = p.Period
	}
	return out
}

// Demo reports whether every period refused was published by the demo data
// set (removing the demo frees them).
func (e *PublishedError) Demo() bool {
	for _, p := range e.Periods {
		if !p.Demo {
			return false
		}
	}
	return len(e.Periods) > 0
}

// TouchedPeriods is the set of periods an import of rows for periods
// changes (see the top of this file), oldest first.
func TouchedPeriods(periods []string) []string {
	set := map[string]bool{}
	for _, s := range periods {
		set[s] = true
		if p, err := scoring.ParsePeriod(s); err == nil && p.Kind == scoring.Month {
			for _, k := range scoring.PeriodKinds[1:] {
				set[scoring.Containing(p, k).String()] = true
			}
		}
	}
	return sortedPeriods(set)
}

// canonicalPeriod checks that s is a period in its canonical form.
func canonicalPeriod(s string) error {
	p, err := scoring.ParsePeriod(s)
	if err != nil || p.String() != s {
		return fmt.Errorf("period %q: %w", s, ErrInvalid)
	}
	return nil
}

// sortNewestFirst orders periods as the engine lists them: latest start
// first, then shorter first.
func sortNewestFirst(pubs []models.Publication) {
	sort.SliceStable(pubs, func(i, j int) bool {
		a, errA := scoring.ParsePeriod(pubs[i].Period)
		b, errB := scoring.ParsePeriod(pubs[j].Period)
		if errA != nil || errB != nil {
			return pubs[i].Period > pubs[j].Period
		}
		if !a.Start().Equal(b.Start()) {
			return a.Start().After(b.Start())
		}
		return len(a.Months()) < len(b.Months())
	})
}

// Publications lists the published periods, newest first.
func (s *Store) Publications(ctx context.Context) ([]models.Publication, error) {
	var out []models.Publication
	if err := s.r.WithContext(ctx).Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: publications: %w", dbErr(err))
	}
	sortNewestFirst(out)
	return out, nil
}

// PublishedPeriods is Publications keyed by period, for filtering what the
// public may see.
func (s *Store) PublishedPeriods(ctx context.Context) (map[string]models.Publication, error) {
	list, err := s.Publications(ctx)
	if err != nil {
		return nil, err
	}
	out := make(map[string]models.Publication, len(list))
	for _, p := range list {
		out[p.Period] = p
	}
	return out, nil
}

// Publication returns a period's publication, or an error wrapping
// ErrNotFound for a draft.
func (s *Store) Publication(ctx context.Context, period string) (models.Publication, error) {
	var p models.Publication
	if err := s.r.WithContext(ctx).Where("period = ?", period).Take(&p).Error; err != nil {
		return models.Publication{}, fmt.Errorf("store: publication of %s: %w", period, dbErr(err))
	}
	return p, nil
}

// PublishedAmong returns the published periods an import of a file of kind
// (models.ImportCounts, …) with rows for periods would correct, newest
// first: the web preview shows them before the office confirms, and asks
// for a reason. A running longer period that would only get a new month is
// not among them (see the top of this file).
func (s *Store) PublishedAmong(ctx context.Context, kind string, periods []string) ([]models.Publication, error) {
	out, _, err := publishedAmong(s.r.WithContext(ctx), kind, periods)
	if err != nil {
		return nil, fmt.Errorf("store: published periods: %w", dbErr(err))
	}
	return out, nil
}

// publishedAmong splits the published periods an import of kind with rows
// for periods changes (TouchedPeriods) into those it corrects and those it
// only gives new months (longer periods still running), each newest first.
// The longer periods of a dossier or catalogue import are derived from its
// months (their counts change because the months' do); those of a counts,
// results or portal import are rows of their own.
func publishedAmong(db *gorm.DB, kind string, periods []string) (corrected, extended []models.Publication, err error) {
	touched := TouchedPeriods(periods)
	if len(touched) == 0 {
		return nil, nil, nil
	}
	var pubs []models.Publication
	if err := db.Where("period IN ?", touched).Find(&pubs).Error; err != nil {
		return nil, nil, err
	}
	sortNewestFirst(pubs)
	derived := kind == models.ImportDossiers || kind == models.ImportCatalogue
	own := map[string]bool{}
	for _, s := range periods {
		if p, err := scoring.ParsePeriod(s); err == nil && (p.Kind == scoring.Month || !derived) {
			own[s] = true
		}
	}
	published := map[string]bool{}
	for _, p := range pubs {
		published[p.Period] = true
	}
	for _, pub := range pubs {
		if newMonthsOnly(pub, periods, own, published) {
			extended = append(extended, pub)
		} else {
			corrected = append(corrected, pub)
		}
	}
	return corrected, extended, nil
}

// newMonthsOnly reports whether an import of rows for periods (own, as a
// set) changes the published longer period pub only by months new to it:
// draft months later than the latest it held. Months compare as their
// canonical text (YYYY-MM), which sorts as they do.
func newMonthsOnly(pub models.Publication, periods []string, own, published map[string]bool) bool {
	p, err := scoring.ParsePeriod(pub.Period)
	if err != nil || p.Kind == scoring.Month || own[pub.Period] {
		return false
	}
	n := 0
	for _, s := range periods {
		m, err := scoring.ParsePeriod(s)
		if err != nil || m.Kind != scoring.Month || !p.Contains(m) {
			continue
		}
		if published[s] || s <= pub.ThroughMonth {
			return false
		}
		n++
	}
	return n > 0
}

// latestMonthWithData is the latest month of p with counts, imported or
// derived from dossiers and catalogues; "" when none has any.
func latestMonthWithData(db *gorm.DB, p scoring.Period) (string, error) {
	months := monthNames(p)
	var latest sql.NullString
	err := db.Raw(`SELECT MAX(period) FROM (
			SELECT period FROM metric_counts WHERE period IN ?
			UNION SELECT period FROM derived_counts WHERE period IN ?) m`, months, months).Row().Scan(&latest)
	if err != nil {
		return "", fmt.Errorf("months of %s with data: %w", p, err)
	}
	return latest.String, nil
}

// monthsWithData lists the months of p with counts, imported or derived.
func monthsWithData(db *gorm.DB, p scoring.Period) ([]string, error) {
	months := monthNames(p)
	var out []string
	err := db.Raw(`SELECT period FROM metric_counts WHERE period IN ?
		UNION SELECT period FROM derived_counts WHERE period IN ?`, months, months).Scan(&out).Error
	if err != nil {
		return nil, fmt.Errorf("months of %s with data: %w", p, err)
	}
	return out, nil
}

func monthNames(p scoring.Period) []string {
	ms := p.Months()
	out := make([]string, len(ms))
	for i, m := range ms {
		out[i] = m.String()
	}
	return out
}

// Revisions lists a period's revisions, oldest first, with their snapshots;
// none for a draft.
func (s *Store) Revisions(ctx context.Context, period string) ([]models.Revision, error) {
	var out []models.Revision
	if err := s.r.WithContext(ctx).Where("period = ?", period).Order("revision").Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: revisions of %s: %w", period, dbErr(err))
	}
	return out, nil
}

// Revision returns one revision of a period, or ErrNotFound.
func (s *Store) Revision(ctx context.Context, period string, n int) (models.Revision, error) {
	var r models.Revision
	if err := s.r.WithContext(ctx).Where("period = ? AND revision = ?", period, n).Take(&r).Error; err != nil {
		return models.Revision{}, fmt.Errorf("store: revision %d of %s: %w", n, period, dbErr(err))
	}
	return r, nil
}

// Publish makes a draft period official: it freezes snap's scores as
// revision 1 and appends the audit row (publish), in one transaction. An
// already published period gives ErrAlreadyPublished and changes nothing.
// A month that ends longer periods publishes them too (PublishClosing).
func (s *Store) Publish(ctx context.Context, period string, by Actor, snap SnapshotFunc) (models.Revision, error) {
	revs, err := s.publishClosing(ctx, period, by, false, snap)
	if err != nil {
		return models.Revision{}, err
	}
	return revs[0], nil
}

// PublishClosing publishes period as Publish does and returns its revision
// first, then those of the longer periods it ended: a quarter, half-year
// or year whose last month is now published, as is every month of it with
// data. A longer period still running is left a draft.
func (s *Store) PublishClosing(ctx context.Context, period string, by Actor, snap SnapshotFunc) ([]models.Revision, error) {
	return s.publishClosing(ctx, period, by, false, snap)
}

// PublishDemo publishes a period of the demo data set, by the system, and
// the longer periods it ends: the publications go when the demo is removed
// (RemoveDemoPublications).
func (s *Store) PublishDemo(ctx context.Context, period string, snap SnapshotFunc) (models.Revision, error) {
	revs, err := s.publishClosing(ctx, period, Actor{Name: models.ActorSystem}, true, snap)
	if err != nil {
		return models.Revision{}, err
	}
	return revs[0], nil
}

func (s *Store) publishClosing(ctx context.Context, period string, by Actor, demo bool, snap SnapshotFunc) ([]models.Revision, error) {
	rev, err := s.publish(ctx, period, by, demo, snap)
	if err != nil {
		return nil, err
	}
	out := []models.Revision{rev}
	m, err := scoring.ParsePeriod(period)
	if err != nil || m.Kind != scoring.Month {
		return out, nil
	}
	for _, k := range scoring.PeriodKinds[1:] {
		p := scoring.Containing(m, k)
		ended, err := s.ended(ctx, p, "")
		if err != nil {
			return out, fmt.Errorf("store: publish %s: %w", p, dbErr(err))
		}
		if !ended {
			continue
		}
		r, err := s.publish(ctx, p.String(), by, demo, snap)
		switch {
		case errors.Is(err, ErrAlreadyPublished): // published by someone a moment ago
		case err != nil:
			return out, err
		default:
			out = append(out, r)
		}
	}
	return out, nil
}

// Closes lists the longer periods that publishing the draft month would
// publish too (PublishClosing), shortest first: what the office is told
// before it publishes. Nothing for a period that is not a month.
func (s *Store) Closes(ctx context.Context, month string) ([]scoring.Period, error) {
	m, err := scoring.ParsePeriod(month)
	if err != nil || m.Kind != scoring.Month {
		return nil, nil
	}
	var out []scoring.Period
	for _, k := range scoring.PeriodKinds[1:] {
		p := scoring.Containing(m, k)
		ended, err := s.ended(ctx, p, month)
		if err != nil {
			return nil, fmt.Errorf("store: periods %s closes: %w", month, dbErr(err))
		}
		if ended {
			out = append(out, p)
		}
	}
	return out, nil
}

// ended reports whether the longer period p is an unpublished draft whose
// months are all in: its last month published, and every month with data.
// A month named in assume counts as published (Closes asks before it is).
func (s *Store) ended(ctx context.Context, p scoring.Period, assume string) (bool, error) {
	db := s.r.WithContext(ctx)
	months := monthNames(p)
	var pubs []string
	if err := db.Model(&models.Publication{}).Where("period IN ?", append(months, p.String())).Pluck("period", &pubs).Error; err != nil {
		return false, fmt.Errorf("publications of %s: %w", p, err)
	}
	published := map[string]bool{}
	for _, s := range pubs {
		published[s] = true
	}
	if assume != "" {
		published[assume] = true
	}
	if published[p.String()] || !published[months[len(months)-1]] {
		return false, nil
	}
	withData, err := monthsWithData(db, p)
	if err != nil {
		return false, err
	}
	for _, m := range withData {
		if !published[m] {
			return false, nil
		}
	}
	return true, nil
}

// snapshotAttempts bounds the retries of Publish and Correct when an import
// commits while the snapshot is being computed.
const snapshotAttempts = 5

// errStale: the data changed between computing the snapshot and writing it.
var errStale = errors.New("the data changed while the snapshot was computed")

// frozen computes a snapshot that matches the data the transaction write
// will see: it reads the data version, computes, and write re-checks the
// version under the write lock, retrying when an import came in between.
// (The snapshot can come from a newer version than the one read first, never
// an older one, so equality under the lock proves they match.)
func (s *Store) frozen(ctx context.Context, period string, snap SnapshotFunc, write func(tx *gorm.DB, snapshot string, version int64) error) error {
	for range snapshotAttempts {
		v, err := s.DataVersion(ctx)
		if err != nil {
			return err
		}
		b, err := snap(ctx, period)
		if err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		if !json.Valid(b) {
			return fmt.Errorf("snapshot of %s is not JSON: %w", period, ErrInvalid)
		}
		err = s.write(ctx, func(tx *gorm.DB) error {
			var now int64
			if err := tx.Raw("SELECT version FROM data_state WHERE id = 1").Scan(&now).Error; err != nil {
				return fmt.Errorf("data version: %w", err)
			}
			if now != v {
				return errStale
			}
			return write(tx, string(b), v)
		})
		if !errors.Is(err, errStale) {
			return err
		}
	}
	return fmt.Errorf("%w (%d attempts); try again when the imports are done", errStale, snapshotAttempts)
}

func (s *Store) publish(ctx context.Context, period string, by Actor, demo bool, snap SnapshotFunc) (models.Revision, error) {
	if err := canonicalPeriod(period); err != nil {
		return models.Revision{}, fmt.Errorf("store: publish: %w", err)
	}
	if p, err := s.Publication(ctx, period); err == nil {
		return models.Revision{}, fmt.Errorf("store: publish %s (published %s by %s): %w", period, p.PublishedAt.Format(time.RFC3339), p.PublishedBy, ErrAlreadyPublished)
	} else if !errors.Is(err, ErrNotFound) {
		return models.Revision{}, err
	}
	var rev models.Revision
	err := s.frozen(ctx, period, snap, func(tx *gorm.DB, snapshot string, version int64) error {
		var n int64
		if err := tx.Model(&models.Publication{}).Where("period = ?", period).Count(&n).Error; err != nil {
			return fmt.Errorf("check publication: %w", err)
		}
		if n > 0 {
			return ErrAlreadyPublished
		}
		through, err := latestMonthWithData(tx, scoring.MustPeriod(period))
		if err != nil {
			return err
		}
		now := tx.NowFunc()
		pub := models.Publication{Period: period, Revision: 1, PublishedAt: now, PublishedBy: by.name(), Demo: demo, ThroughMonth: through}
		if err := tx.Create(&pub).Error; err != nil {
			return fmt.Errorf("insert publication: %w", err)
		}
		rev = models.Revision{Period: period, Revision: 1, Kind: models.RevisionPublish, Actor: by.name(), ActorID: by.UserID,
			DataVersion: &version, Snapshot: &snapshot, CreatedAt: now}
		if err := tx.Create(&rev).Error; err != nil {
			return fmt.Errorf("insert revision: %w", err)
		}
		if err := bumpPublications(tx); err != nil {
			return err
		}
		e := by.Entry(models.ActionPublish, period, map[string]any{"revision": 1, "data_version": version, "demo": demo})
		return insertAudit(tx, &e)
	})
	if err != nil {
		return models.Revision{}, fmt.Errorf("store: publish %s: %w", period, dbErr(err))
	}
	return rev, nil
}

// Correct adds a revision to a published period without an import: for
// figures that changed for another reason (units moved between provinces, a
// corrected scheme file). reason is required (CheckReason). Corrections made
// by importing a file add their revision themselves (WithCorrection).
func (s *Store) Correct(ctx context.Context, period string, by Actor, reason string, snap SnapshotFunc) (models.Revision, error) {
	reason, err := CheckReason(reason)
	if err != nil {
		return models.Revision{}, fmt.Errorf("store: correct %s: %w", period, err)
	}
	if _, err := s.Publication(ctx, period); errors.Is(err, ErrNotFound) {
		return models.Revision{}, fmt.Errorf("store: correct %s: %w", period, ErrNotPublished)
	} else if err != nil {
		return models.Revision{}, err
	}
	var rev models.Revision
	err = s.frozen(ctx, period, snap, func(tx *gorm.DB, snapshot string, version int64) error {
		through, err := latestMonthWithData(tx, scoring.MustPeriod(period))
		if err != nil {
			return err
		}
		r, err := addRevision(tx, period, by, models.RevisionCorrection, reason, nil, through)
		if err != nil {
			return err
		}
		if err := tx.Model(&models.Revision{}).Where("id = ?", r.ID).
			Updates(map[string]any{"snapshot": snapshot, "data_version": version}).Error; err != nil {
			return fmt.Errorf("store snapshot: %w", err)
		}
		r.Snapshot, r.DataVersion = &snapshot, &version
		rev = r
		return nil
	})
	if err != nil {
		return models.Revision{}, fmt.Errorf("store: correct %s: %w", period, dbErr(err))
	}
	return rev, nil
}

// addRevision appends a revision of kind (RevisionCorrection or
// RevisionUpdate) without its snapshot and moves the publication on, to
// the latest month through, inside tx. A correction also marks the
// publication corrected and appends its audit row (correction); an update
// is recorded in its import's audit row.
func addRevision(tx *gorm.DB, period string, by Actor, kind, reason string, importID *uint, through string) (models.Revision, error) {
	var pub models.Publication
	if err := tx.Where("period = ?", period).Take(&pub).Error; err != nil {
		if errors.Is(err, gorm.ErrRecordNotFound) {
			return models.Revision{}, ErrNotPublished
		}
		return models.Revision{}, fmt.Errorf("load publication: %w", err)
	}
	now := tx.NowFunc()
	rev := models.Revision{Period: period, Revision: pub.Revision + 1, Kind: kind, Reason: reason,
		Actor: by.name(), ActorID: by.UserID, ImportID: importID, CreatedAt: now}
	if err := tx.Create(&rev).Error; err != nil {
		return models.Revision{}, fmt.Errorf("insert revision: %w", err)
	}
	set := map[string]any{"revision": rev.Revision, "through_month": through}
	if kind == models.RevisionCorrection {
		set["corrected_at"] = now
	}
	if err := tx.Model(&models.Publication{}).Where("period = ?", period).Updates(set).Error; err != nil {
		return models.Revision{}, fmt.Errorf("update publication: %w", err)
	}
	if err := bumpPublications(tx); err != nil {
		return models.Revision{}, err
	}
	if kind != models.RevisionCorrection {
		return rev, nil
	}
	detail := map[string]any{"revision": rev.Revision, "reason": reason}
	if importID != nil {
		detail["import_id"] = *importID
	}
	e := by.Entry(models.ActionCorrection, period, detail)
	if err := insertAudit(tx, &e); err != nil {
		return models.Revision{}, err
	}
	return rev, nil
}

// throughAfter is the latest month pub holds once an import of rows for
// periods is in: its own latest month or the import's latest in it.
func throughAfter(pub models.Publication, periods []string) string {
	through := pub.ThroughMonth
	p, err := scoring.ParsePeriod(pub.Period)
	if err != nil {
		return through
	}
	for _, s := range periods {
		if m, err := scoring.ParsePeriod(s); err == nil && m.Kind == scoring.Month && p.Contains(m) && s > through {
			through = s
		}
	}
	return through
}

// CompleteRevisions computes the snapshots of the revisions that imports
// added, corrections and new months (their data is committed with them;
// the scores can only be computed afterwards). Call it after every import,
// and at start-up for any left over by a crash in between; it returns how
// many it completed. A snapshot completed late reflects the data at that
// time.
func (s *Store) CompleteRevisions(ctx context.Context, snap SnapshotFunc) (int, error) {
	var pending []models.Revision
	if err := s.r.WithContext(ctx).Where("snapshot IS NULL").Order("id").Find(&pending).Error; err != nil {
		return 0, fmt.Errorf("store: pending revisions: %w", dbErr(err))
	}
	done := 0
	for _, r := range pending {
		err := s.frozen(ctx, r.Period, snap, func(tx *gorm.DB, snapshot string, version int64) error {
			if err := tx.Model(&models.Revision{}).Where("id = ? AND snapshot IS NULL", r.ID).
				Updates(map[string]any{"snapshot": snapshot, "data_version": version}).Error; err != nil {
				return err
			}
			// The revision's page shows the snapshot.
			return bumpPublications(tx)
		})
		if err != nil {
			return done, fmt.Errorf("store: complete revision %d of %s: %w", r.Revision, r.Period, dbErr(err))
		}
		done++
	}
	return done, nil
}

// RemoveDemoPublications deletes the demo data set's publications and
// their revisions (the demo is not official data, and its periods must
// become free for the office's own imports); it returns how many went.
func (s *Store) RemoveDemoPublications(ctx context.Context) (int, error) {
	var n int64
	err := s.write(ctx, func(tx *gorm.DB) error {
		// Explicit rather than ON DELETE CASCADE alone, so that the
		// result does not depend on foreign_keys being on.
		if err := tx.Exec("DELETE FROM publication_revisions WHERE period IN (SELECT period FROM publications WHERE demo = ?)", true).Error; err != nil {
			return fmt.Errorf("delete revisions: %w", err)
		}
		res := tx.Where("demo = ?", true).Delete(&models.Publication{})
		n = res.RowsAffected
		if res.Error != nil {
			return res.Error
		}
		return bumpPublications(tx)
	})
	if err != nil {
		return 0, fmt.Errorf("store: remove demo publications: %w", dbErr(err))
	}
	return int(n), nil
}

// logImport writes an import's log row and runs its guard in the same
// transaction: the one way an import is recorded (openImport for the
// imports whose periods are known only once their rows are written), so
// that none escapes the publication guard and the audit trail
// (TestImportsAreGuarded).
func logImport(tx *gorm.DB, imp *models.Import) error {
	if err := openImport(tx, imp); err != nil {
		return err
	}
	return guardImport(tx, imp)
}

// openImport writes an import's log row whose guard runs later, once the
// periods it changes are known (finishImport).
func openImport(tx *gorm.DB, imp *models.Import) error {
	if err := tx.Create(imp).Error; err != nil {
		return fmt.Errorf("log import: %w", err)
	}
	return nil
}

// guardImport runs inside every import's transaction, right after its log
// row is written (logImport, finishImport): it refuses an import that would change published
// periods unless the context carries a correction, records the correction
// revisions when it does, and appends the import's audit row. The actor
// comes from the context (WithActor), else from the import's source.
//
// The demo data set may be loaded again over its own publications: it
// writes the same counts.
func guardImport(tx *gorm.DB, imp *models.Import) error {
	ctx := tx.Statement.Context
	db := tx.Session(&gorm.Session{NewDB: true})
	by, ok := actorFrom(ctx)
	if !ok {
		by = Actor{Name: imp.Source}
		if imp.Source == models.SourceDemo {
			by.Name = models.ActorSystem
		}
	}
	periods := imp.PeriodList()
	pubs, extended, err := publishedAmong(db, imp.Kind, periods)
	if err != nil {
		return fmt.Errorf("check published periods: %w", err)
	}
	if imp.Demo && (&PublishedError{Periods: append(append([]models.Publication(nil), pubs...), extended...)}).Demo() {
		pubs, extended = nil, nil
	}
	corr := correctionFrom(ctx)
	id := imp.ID
	var revisions []int
	if len(pubs) > 0 {
		if corr == nil {
			return &PublishedError{Periods: pubs}
		}
		reason, err := CheckReason(corr.Reason)
		if err != nil {
			return err
		}
		cby := corr.By
		if cby.Name == "" {
			cby = by
		}
		for _, p := range pubs {
			r, err := addRevision(db, p.Period, cby, models.RevisionCorrection, reason, &id, throughAfter(p, periods))
			if err != nil {
				return fmt.Errorf("correct %s: %w", p.Period, err)
			}
			revisions = append(revisions, r.Revision)
		}
	}
	for _, p := range extended {
		if _, err := addRevision(db, p.Period, by, models.RevisionUpdate, "", &id, throughAfter(p, periods)); err != nil {
			return fmt.Errorf("new month of %s: %w", p.Period, err)
		}
	}
	detail := map[string]any{
		"import_id": imp.ID, "kind": imp.Kind, "rows": imp.Rows, "inserted": imp.Inserted, "updated": imp.Updated,
		"periods": periods, "sha256": imp.SHA256, "source": imp.Source, "demo": imp.Demo,
	}
	if len(revisions) > 0 {
		detail["correction"] = strings.TrimSpace(corr.Reason)
		corrected := make([]string, len(pubs))
		for i, p := range pubs {
			corrected[i] = p.Period
		}
		detail["corrected_periods"] = corrected
	}
	if len(extended) > 0 {
		names := make([]string, len(extended))
		for i, p := range extended {
			names[i] = p.Period
		}
		detail["updated_periods"] = names
	}
	e := by.Entry(models.ActionImport, imp.FileName, detail)
	return insertAudit(db, &e)
}
