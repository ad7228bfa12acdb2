package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"gorm.io/gorm"
)

// The stamp of the data: what the caches of derived results (the scores, the
// pages) key on. Two counters in the data_state row:
//
//   - the data version moves with every write of units, counts, dossiers
//     and the portal's figures (bumpVersion): the scores change;
//   - the publications version moves with every publish, correction and
//     removal of publications (bumpPublications): the scores are the same,
//     but what the public may see of them is not.
//
// Reading the row is one query, cheap but not free at thousands of
// requests a second, so Stamp keeps the last read for StampMaxAge. A write
// through this Store is seen at once (the next Stamp reads the row again);
// a write by another process (the command line, a second server on the
// same database) within StampMaxAge.

// Stamp is the state of the data that derived results depend on.
type Stamp struct {
	// Data is the data version (DataVersion); Publications the
	// publications version.
	Data, Publications int64
	// Modified is when either last moved (zero if never): a page's
	// Last-Modified.
	Modified time.Time
}

// StampMaxAge is how long Stamp trusts its last read when this Store has
// written nothing since: how late a change made by another process may be
// seen.
const StampMaxAge = 250 * time.Millisecond

// stampStaleMax is how old a read may be given while another caller reads
// the row again: past it, callers wait for that read (a change made by
// another process is seen within a second).
const stampStaleMax = time.Second

// stampRead is a Stamp with when it was read and the count of this Store's
// writes before it was read.
type stampRead struct {
	Stamp
	at     time.Time
	writes uint64
}

// ReadStamp reads the stamp from the database.
func (s *Store) ReadStamp(ctx context.Context) (Stamp, error) {
	var st Stamp
	var data, pubs sql.NullTime
	row := s.r.WithContext(ctx).Raw("SELECT version, publications_version, modified_at, publications_modified_at FROM data_state WHERE id = 1").Row()
	if err := row.Scan(&st.Data, &st.Publications, &data, &pubs); err != nil {
		return Stamp{}, fmt.Errorf("store: stamp: %w", dbErr(err))
	}
	if data.Valid {
		st.Modified = data.Time.UTC()
	}
	if pubs.Valid && pubs.Time.After(st.Modified) {
		st.Modified = pubs.Time.UTC()
	}
	return st, nil
}

// Stamp is the stamp as of at most StampMaxAge ago, or as of this Store's
// latest write, whichever is later. One caller at a time reads the row;
// when the last read has only aged (this Store wrote nothing since), the
// others meanwhile take it as it is, up to stampStaleMax, rather than queue
// behind the read: at thousands of requests a second, a read that the
// scheduler or a busy database delays would otherwise stall every request
// (the page cache asks for the stamp on each one).
func (s *Store) Stamp(ctx context.Context) (Stamp, error) {
	r := s.stamp.Load()
	if r != nil && r.writes == s.writes.Load() {
		age := time.Since(r.at)
		if age < StampMaxAge {
			return r.Stamp, nil
		}
		if age < stampStaleMax && !s.stampMu.TryLock() {
			return r.Stamp, nil
		}
		if age >= stampStaleMax {
			s.stampMu.Lock()
		}
	} else {
		s.stampMu.Lock()
	}
	defer s.stampMu.Unlock()
	if r := s.fresh(); r != nil {
		return r.Stamp, nil
	}
	// The writes are counted before the read: a write that commits while
	// the row is being read makes the next call read it again.
	w := s.writes.Load()
	st, err := s.ReadStamp(ctx)
	if err != nil {
		return Stamp{}, err
	}
	s.stamp.Store(&stampRead{Stamp: st, at: time.Now(), writes: w})
	return st, nil
}

// fresh is the last read if it can still be trusted.
func (s *Store) fresh() *stampRead {
	r := s.stamp.Load()
	if r == nil || r.writes != s.writes.Load() || time.Since(r.at) >= StampMaxAge {
		return nil
	}
	return r
}

// bumpPublications moves the publications version on, inside the write
// transaction that published, corrected or removed publications.
func bumpPublications(tx *gorm.DB) error {
	res := tx.Exec("UPDATE data_state SET publications_version = publications_version + 1, publications_modified_at = ? WHERE id = 1", tx.NowFunc())
	if res.Error != nil {
		return fmt.Errorf("bump publications version: %w", res.Error)
	}
	return nil
}
