package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"gorm.io/gorm"

	"scorecard/scoring"
)

// Scores kept per period. A period's scores read the counts of the period
// and of its months only, so a write that touches some periods leaves the
// others' scores as they were. Two records say which:
//
//   - data_state.scores_epoch is the data version of the latest write that
//     may change every period (units, dossiers, the portal's figures, a
//     restore): bumpVersion moves it with the version;
//   - score_periods holds, per period, the data version of the latest
//     write that changed its counts (bumpVersionFor, for a counts import).
//
// A period's score version is the later of the two (ScoreVersions.Of):
// scores computed at that version stay right until it moves, whatever
// else is imported. period_scores keeps computed scores under it, for
// every process on the database.

// ScoreVersions is the score version of every period.
type ScoreVersions struct {
	// Epoch is the version of the latest write that may change every
	// period's scores; Periods the version of the latest write that
	// changed one period's counts.
	Epoch   int64
	Periods map[string]int64
}

// Of is the score version of period (canonical form).
func (v ScoreVersions) Of(period string) int64 {
	return max(v.Epoch, v.Periods[period])
}

// Frame is what a scores service needs before scoring any period: the
// units, their changes, the periods with counts, every period's score
// version and whether demo data is loaded, read together.
type Frame struct {
	Units    []scoring.Unit
	Changes  []scoring.Change
	Periods  []string
	Versions ScoreVersions
	Demo     bool
}

// ScoreFrame reads the frame in one read-only transaction: a few small
// queries, whatever the number of counts.
func (s *Store) ScoreFrame(ctx context.Context) (*Frame, error) {
	f := &Frame{}
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var err error
		if f.Units, f.Changes, err = unitsOverTime(tx); err != nil {
			return err
		}
		if f.Periods, err = periodsWithCounts(tx); err != nil {
			return err
		}
		if f.Versions, err = scoreVersions(tx); err != nil {
			return err
		}
		f.Demo, err = hasDemo(tx)
		return err
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, fmt.Errorf("store: score frame: %w", dbErr(err))
	}
	return f, nil
}

// ScoreVersions reads every period's score version.
func (s *Store) ScoreVersions(ctx context.Context) (ScoreVersions, error) {
	v, err := scoreVersions(s.r.WithContext(ctx))
	if err != nil {
		return ScoreVersions{}, fmt.Errorf("store: %w", dbErr(err))
	}
	return v, nil
}

func scoreVersions(tx *gorm.DB) (ScoreVersions, error) {
	v := ScoreVersions{Periods: map[string]int64{}}
	if err := tx.Raw("SELECT scores_epoch FROM data_state WHERE id = 1").Row().Scan(&v.Epoch); err != nil {
		return ScoreVersions{}, fmt.Errorf("score epoch: %w", err)
	}
	rows, err := tx.Raw("SELECT period, version FROM score_periods").Rows()
	if err != nil {
		return ScoreVersions{}, fmt.Errorf("score versions: %w", err)
	}
	for rows.Next() {
		var p string
		var n int64
		if err := rows.Scan(&p, &n); err != nil {
			_ = rows.Close()
			return ScoreVersions{}, fmt.Errorf("score versions: %w", err)
		}
		v.Periods[p] = n
	}
	if err := closeRows(rows); err != nil {
		return ScoreVersions{}, fmt.Errorf("score versions: %w", err)
	}
	return v, nil
}

// periodsWithCounts lists the distinct periods of the counts and derived
// counts. Each is found by one look-up in the table's index on period (a
// loose index scan written as a recursive query), not by reading every
// row: two dozen look-ups for two years of months, however many counts.
func periodsWithCounts(tx *gorm.DB) ([]string, error) {
	var out []string
	for _, table := range []string{"metric_counts", "derived_counts"} {
		var list []string
		q := `WITH RECURSIVE p (period) AS (
				SELECT MIN(period) FROM ` + table + `
				UNION ALL
				SELECT (SELECT MIN(c.period) FROM ` + table + ` c WHERE c.period > p.period) FROM p WHERE p.period IS NOT NULL
			) SELECT period FROM p WHERE period IS NOT NULL`
		if err := tx.Raw(q).Scan(&list).Error; err != nil {
			return nil, fmt.Errorf("periods of %s: %w", table, err)
		}
		out = append(out, list...)
	}
	return out, nil
}

// PeriodCounts reads the counts that p's scores read (own and derived, of
// p and of its months) and p's score version, together.
func (s *Store) PeriodCounts(ctx context.Context, p scoring.Period) (*scoring.Dataset, int64, error) {
	names := []string{p.String()}
	if p.Kind != scoring.Month {
		for _, m := range p.Months() {
			names = append(names, m.String())
		}
	}
	ds := &scoring.Dataset{Own: map[scoring.Key]scoring.Counts{}, Dossier: map[scoring.Key]scoring.Counts{}}
	var version int64
	err := s.r.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		v, err := periodScoreVersion(tx, p.String())
		if err != nil {
			return err
		}
		version = v
		str := interner{}.str
		if err := s.scanCounts(tx, "period IN ?", []any{names}, ds.Own, str); err != nil {
			return err
		}
		return s.scanDerived(tx, "period IN ?", []any{names}, ds.Dossier, str)
	}, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return nil, 0, fmt.Errorf("store: counts of %s: %w", p, dbErr(err))
	}
	return ds, version, nil
}

// periodScoreVersion is one period's score version.
func periodScoreVersion(tx *gorm.DB, period string) (int64, error) {
	var v int64
	err := tx.Raw(`SELECT CASE WHEN d.scores_epoch > COALESCE(p.version, 0) THEN d.scores_epoch ELSE p.version END
		FROM data_state d LEFT JOIN score_periods p ON p.period = ? WHERE d.id = 1`, period).Row().Scan(&v)
	if err != nil {
		return 0, fmt.Errorf("score version of %s: %w", period, err)
	}
	return v, nil
}

// SavedScores is what SaveScores kept for period at score version
// version; ErrNotFound when nothing was.
func (s *Store) SavedScores(ctx context.Context, period string, version int64) ([]byte, error) {
	var body []byte
	err := s.r.WithContext(ctx).Raw("SELECT body FROM period_scores WHERE period = ? AND version = ?", period, version).Row().Scan(&body)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, fmt.Errorf("store: saved scores of %s: %w", period, dbErr(err))
	}
	return body, nil
}

// SaveScores keeps body, the scores of period computed at score version
// version, with totals (their units' totals and ranks, read apart by
// SavedTotals), and forgets those of earlier versions. Scores computed by
// two processes for the same version are the same: the first one kept
// stays, unless it kept no totals or totals that differ from these. From
// the same data they differ only in form: totals kept by an earlier
// version of the program, which an upgraded one writes again in its own.
func (s *Store) SaveScores(ctx context.Context, period string, version int64, body, totals []byte) error {
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := tx.Exec("DELETE FROM period_scores WHERE period = ? AND version < ?", period, version).Error; err != nil {
			return fmt.Errorf("forget older scores: %w", err)
		}
		if err := tx.Exec("INSERT INTO period_scores (period, version, body, totals, created_at) VALUES (?, ?, ?, ?, ?) "+
			"ON CONFLICT (period, version) DO UPDATE SET body = excluded.body, totals = excluded.totals, created_at = excluded.created_at "+
			"WHERE excluded.totals IS NOT NULL AND (period_scores.totals IS NULL OR period_scores.totals <> excluded.totals)",
			period, version, body, totals, tx.NowFunc()).Error; err != nil {
			return fmt.Errorf("keep scores: %w", err)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: save scores of %s: %w", period, dbErr(err))
	}
	return nil
}

// SavedTotals is what SaveScores kept as the totals of each period of
// versions (canonical form → score version) at that version, in one
// query; a period without them is not in the result.
func (s *Store) SavedTotals(ctx context.Context, versions map[string]int64) (map[string][]byte, error) {
	out := map[string][]byte{}
	if len(versions) == 0 {
		return out, nil
	}
	names := make([]string, 0, len(versions))
	for p := range versions {
		names = append(names, p)
	}
	rows, err := s.r.WithContext(ctx).Raw("SELECT period, version, totals FROM period_scores WHERE period IN ? AND totals IS NOT NULL", names).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: saved totals: %w", dbErr(err))
	}
	for rows.Next() {
		var p string
		var v int64
		var body []byte
		if err := rows.Scan(&p, &v, &body); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: saved totals: %w", dbErr(err))
		}
		if versions[p] == v {
			out[p] = body
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: saved totals: %w", dbErr(err))
	}
	return out, nil
}

// KeptPeriods says which periods of versions (canonical form → score
// version) SaveScores kept, with totals starting with form, at that
// version: what a process need not score nor keep again. Totals of another
// form (kept by an earlier version of the program) do not count, so that
// they are kept again in the form that is read whole.
func (s *Store) KeptPeriods(ctx context.Context, versions map[string]int64, form []byte) (map[string]bool, error) {
	out := map[string]bool{}
	if len(versions) == 0 {
		return out, nil
	}
	names := make([]string, 0, len(versions))
	for p := range versions {
		names = append(names, p)
	}
	rows, err := s.r.WithContext(ctx).Raw("SELECT period, version FROM period_scores WHERE period IN ? AND substr(totals, 1, ?) = ?", names, len(form), form).Rows()
	if err != nil {
		return nil, fmt.Errorf("store: kept periods: %w", dbErr(err))
	}
	for rows.Next() {
		var p string
		var v int64
		if err := rows.Scan(&p, &v); err != nil {
			_ = rows.Close()
			return nil, fmt.Errorf("store: kept periods: %w", dbErr(err))
		}
		if versions[p] == v {
			out[p] = true
		}
	}
	if err := closeRows(rows); err != nil {
		return nil, fmt.Errorf("store: kept periods: %w", dbErr(err))
	}
	return out, nil
}

// bumpVersionFor moves the data version on for a write that changed the
// counts of periods only (canonical forms): their score versions move
// with it, with those of the longer periods that contain them, and every
// other period keeps its scores.
func bumpVersionFor(tx *gorm.DB, periods []string) error {
	res := tx.Exec("UPDATE data_state SET version = version + 1, modified_at = ? WHERE id = 1", tx.NowFunc())
	if res.Error != nil {
		return fmt.Errorf("bump data version: %w", res.Error)
	}
	if res.RowsAffected != 1 {
		return errors.New("bump data version: data_state row missing")
	}
	var v int64
	if err := tx.Raw("SELECT version FROM data_state WHERE id = 1").Row().Scan(&v); err != nil {
		return fmt.Errorf("bump data version: %w", err)
	}
	touched := map[string]bool{}
	for _, name := range periods {
		touched[name] = true
		p, err := scoring.ParsePeriod(name)
		if err != nil {
			continue
		}
		for _, k := range scoring.PeriodKinds {
			if q := scoring.Containing(p, k); q.Contains(p) && q != p && len(q.Months()) > len(p.Months()) {
				touched[q.String()] = true
			}
		}
	}
	list := sortedPeriods(touched)
	err := upsert(tx, "score_periods", []string{"period", "version"}, "period", "version = excluded.version",
		len(list), func(i int, args []any) []any { return append(args, list[i], v) })
	if err != nil {
		return fmt.Errorf("bump score versions: %w", err)
	}
	return nil
}
