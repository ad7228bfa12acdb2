package store

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"gorm.io/gorm"

	"scorecard/models"
)

// Staged uploads: the files the staff upload through the web, kept in the
// database between their preview and their confirmation, with the job
// that checks or imports them. Every server process on the database sees
// them, so the preview one process showed may be confirmed through
// another, and a job's progress and outcome read through any.

// stagedPartSize is the size of the pieces a staged file is kept in: a
// piece at a time is in memory, however large the file.
const stagedPartSize = 1 << 20

// StageUpload stores u with the bytes r holds (u.Size of them; more or
// fewer is an error), in one transaction. First it deletes the uploads
// expired at now whose job is over or stopped giving signs of life
// before staleBefore (a process that ended mid-job), then the oldest
// beyond keep-1 whose job is over: the staging area stays bounded.
func (s *Store) StageUpload(ctx context.Context, u *models.StagedUpload, r io.Reader, now, staleBefore time.Time, keep int) error {
	if u.ID == "" || u.OwnerID == 0 || u.Size < 0 || u.ExpiresAt.IsZero() {
		return fmt.Errorf("store: stage upload: incomplete upload: %w", ErrInvalid)
	}
	err := s.write(ctx, func(tx *gorm.DB) error {
		if err := sweepStaged(tx, now, staleBefore, keep); err != nil {
			return err
		}
		if err := tx.Create(u).Error; err != nil {
			return fmt.Errorf("insert: %w", err)
		}
		buf := make([]byte, stagedPartSize)
		var total int64
		for n := 0; ; n++ {
			k, err := io.ReadFull(r, buf)
			if k > 0 {
				total += int64(k)
				if total > u.Size {
					return fmt.Errorf("the file is longer than its %d bytes: %w", u.Size, ErrInvalid)
				}
				if err := tx.Create(&models.StagedUploadPart{UploadID: u.ID, N: n, Data: buf[:k]}).Error; err != nil {
					return fmt.Errorf("insert part %d: %w", n, err)
				}
			}
			if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
				break
			}
			if err != nil {
				return fmt.Errorf("read: %w", err)
			}
		}
		if total != u.Size {
			return fmt.Errorf("the file has %d bytes, not %d: %w", total, u.Size, ErrInvalid)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("store: stage upload: %w", dbErr(err))
	}
	return nil
}

// sweepStaged deletes expired and surplus uploads (StageUpload); their
// pieces go with them (ON DELETE CASCADE).
func sweepStaged(tx *gorm.DB, now, staleBefore time.Time, keep int) error {
	err := tx.Where("expires_at <= ? AND (running = ? OR heartbeat_at < ?)", now.UTC(), false, staleBefore.UTC()).
		Delete(&models.StagedUpload{}).Error
	if err != nil {
		return fmt.Errorf("delete expired uploads: %w", err)
	}
	var n int64
	if err := tx.Model(&models.StagedUpload{}).Count(&n).Error; err != nil {
		return fmt.Errorf("count uploads: %w", err)
	}
	if over := int(n) - (keep - 1); over > 0 {
		var ids []string
		err := tx.Model(&models.StagedUpload{}).Where("running = ?", false).Order("created_at, id").Limit(over).Pluck("id", &ids).Error
		if err != nil {
			return fmt.Errorf("oldest uploads: %w", err)
		}
		if len(ids) > 0 {
			if err := tx.Where("id IN ?", ids).Delete(&models.StagedUpload{}).Error; err != nil {
				return fmt.Errorf("delete oldest uploads: %w", err)
			}
		}
	}
	return nil
}

// StagedUpload is the upload id of owner, or ErrNotFound: none such,
// another account's, or expired at now with its job over.
func (s *Store) StagedUpload(ctx context.Context, id string, owner uint, now time.Time) (models.StagedUpload, error) {
	var u models.StagedUpload
	err := s.r.WithContext(ctx).Where("id = ? AND owner_id = ? AND (expires_at > ? OR running = ?)", id, owner, now.UTC(), true).Take(&u).Error
	if err != nil {
		return models.StagedUpload{}, fmt.Errorf("store: staged upload: %w", dbErr(err))
	}
	return u, nil
}

// StagedData writes the bytes of upload id to w, a piece at a time, and
// returns how many it wrote.
func (s *Store) StagedData(ctx context.Context, id string, w io.Writer) (int64, error) {
	rows, err := s.r.WithContext(ctx).Model(&models.StagedUploadPart{}).Select("data").Where("upload_id = ?", id).Order("n").Rows()
	if err != nil {
		return 0, fmt.Errorf("store: staged data: %w", dbErr(err))
	}
	defer func() { _ = rows.Close() }()
	var total int64
	var b []byte
	for rows.Next() {
		if err := rows.Scan(&b); err != nil {
			return total, fmt.Errorf("store: staged data: %w", err)
		}
		k, err := w.Write(b)
		total += int64(k)
		if err != nil {
			return total, fmt.Errorf("store: staged data: %w", err)
		}
	}
	if err := rows.Err(); err != nil {
		return total, fmt.Errorf("store: staged data: %w", dbErr(err))
	}
	return total, nil
}

// ClaimStagedImport starts the import of upload id: owner's, not expired
// at now, checked and waiting for its confirmation (ready). It reports
// false when the upload is not (any longer) in that state: of two
// confirmations, through one process or two at the same moment, one
// claims it. expires is the upload's new end.
func (s *Store) ClaimStagedImport(ctx context.Context, id string, owner uint, now, expires time.Time) (bool, error) {
	res := s.w.WithContext(ctx).Model(&models.StagedUpload{}).
		Where("id = ? AND owner_id = ? AND expires_at > ? AND running = ? AND outcome_kind = ?", id, owner, now.UTC(), false, models.StagedReady).
		Updates(map[string]any{"phase": models.StagedImport, "running": true, "started_at": now.UTC(), "heartbeat_at": now.UTC(),
			"rows_read": 0, "bytes_read": 0, "total_bytes": 0, "seen": false, "read_done": false, "outcome_kind": "", "expires_at": expires.UTC()})
	if res.Error != nil {
		return false, fmt.Errorf("store: claim staged import: %w", dbErr(res.Error))
	}
	return res.RowsAffected == 1, nil
}

// StagedProgress is how far the job of a staged upload has got.
type StagedProgress struct {
	Rows, Bytes, Size int64
	Seen, Done        bool
	At                time.Time // when it was so: the job's sign of life
}

// SetStagedProgress records the progress of upload id's running job.
func (s *Store) SetStagedProgress(ctx context.Context, id string, p StagedProgress) error {
	err := s.w.WithContext(ctx).Model(&models.StagedUpload{}).Where("id = ? AND running = ?", id, true).
		Updates(map[string]any{"rows_read": p.Rows, "bytes_read": p.Bytes, "total_bytes": p.Size, "seen": p.Seen,
			"read_done": p.Done, "heartbeat_at": p.At.UTC()}).Error
	if err != nil {
		return fmt.Errorf("store: staged progress: %w", dbErr(err))
	}
	return nil
}

// FinishStaged records the end of upload id's job: what it found (kind,
// a models.Staged* outcome, and its account) and the upload's new end.
// Unless the file waits for its confirmation (ready), its bytes are of
// no more use and are deleted; the outcome stays to be shown until the
// upload expires.
func (s *Store) FinishStaged(ctx context.Context, id, kind, outcome string, now, expires time.Time) error {
	err := s.w.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		err := tx.Model(&models.StagedUpload{}).Where("id = ?", id).
			Updates(map[string]any{"running": false, "outcome_kind": kind, "outcome": outcome, "heartbeat_at": now.UTC(), "expires_at": expires.UTC()}).Error
		if err != nil {
			return err
		}
		if kind == models.StagedReady {
			return nil
		}
		return tx.Where("upload_id = ?", id).Delete(&models.StagedUploadPart{}).Error
	})
	if err != nil {
		return fmt.Errorf("store: finish staged job: %w", dbErr(err))
	}
	return nil
}

// DeleteStaged deletes upload id and its bytes.
func (s *Store) DeleteStaged(ctx context.Context, id string) error {
	if err := s.w.WithContext(ctx).Where("id = ?", id).Delete(&models.StagedUpload{}).Error; err != nil {
		return fmt.Errorf("store: delete staged upload: %w", dbErr(err))
	}
	return nil
}

// StagedCounts counts the staged uploads and their pieces.
func (s *Store) StagedCounts(ctx context.Context) (uploads, parts int64, err error) {
	if err := s.r.WithContext(ctx).Model(&models.StagedUpload{}).Count(&uploads).Error; err != nil {
		return 0, 0, fmt.Errorf("store: count staged uploads: %w", dbErr(err))
	}
	if err := s.r.WithContext(ctx).Model(&models.StagedUploadPart{}).Count(&parts).Error; err != nil {
		return 0, 0, fmt.Errorf("store: count staged uploads: %w", dbErr(err))
	}
	return uploads, parts, nil
}
