package store

import (
	"context"
	"errors"
	"fmt"
	"syscall"
	"time"

	"github.com/mattn/go-sqlite3"
	"gorm.io/gorm"
)

// ErrDiskFull: a write failed for want of disk space (or of the database's
// quota); its transaction was rolled back and nothing changed. Test with
// errors.Is; the messages for people are in the i18n catalogue
// ("error.diskfull").
var ErrDiskFull = errors.New("store: disk full")

// isDiskFull recognises a full disk on either database and in the
// files written beside them.
func isDiskFull(err error) bool {
	if err == nil {
		return false
	}
	var se sqlite3.Error
	if errors.As(err, &se) && se.Code == sqlite3.ErrFull {
		return true
	}
	// PostgreSQL's disk_full class; pgconn.PgError has SQLState.
	var pg interface{ SQLState() string }
	if errors.As(err, &pg) && pg.SQLState() == "53100" {
		return true
	}
	return errors.Is(err, syscall.ENOSPC)
}

// write runs fn in one write transaction.
//
// A transaction that failed for want of space leaves SQLite's WAL file as
// large as it had grown (a large import's pages), and SQLite would only
// shrink it when the last connection closes, that is when the server
// stops: the disk stays full for every later write and for everything else
// on it. The WAL is therefore checkpointed and truncated at once.
func (s *Store) write(ctx context.Context, fn func(tx *gorm.DB) error) error {
	err := s.w.WithContext(ctx).Transaction(fn)
	s.afterWrite(err)
	return err
}

// afterWrite gives the space of a failed write back (see write), and
// makes the next Stamp read the database again.
func (s *Store) afterWrite(err error) {
	s.writes.Add(1)
	if s.driver == DriverSQLite && isDiskFull(err) {
		_ = s.reclaimWAL()
	}
}

// reclaimWAL copies the WAL's committed pages into the database and
// truncates it to nothing. It waits for readers on an older state (up to
// the busy timeout): the caller's own request has nothing else to do.
func (s *Store) reclaimWAL() error {
	ctx, cancel := context.WithTimeout(context.Background(), sqliteBusyTimeout+5*time.Second)
	defer cancel()
	var busy, logFrames, checkpointed int
	row := s.w.WithContext(ctx).Raw("PRAGMA wal_checkpoint(TRUNCATE)").Row()
	if err := row.Scan(&busy, &logFrames, &checkpointed); err != nil {
		return fmt.Errorf("store: checkpoint after a full disk: %w", err)
	}
	if busy != 0 {
		return errors.New("store: checkpoint after a full disk: readers kept the WAL")
	}
	return nil
}
