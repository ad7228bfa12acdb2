package store

import (
	"context"
	"fmt"

	"scorecard/models"
)

// Imports lists the import log, newest first; limit ≤ 0 means all.
func (s *Store) Imports(ctx context.Context, limit int) ([]models.Import, error) {
	var out []models.Import
	q := s.r.WithContext(ctx).Order("id DESC")
	if limit > 0 {
		q = q.Limit(limit)
	}
	if err := q.Find(&out).Error; err != nil {
		return nil, fmt.Errorf("store: imports: %w", dbErr(err))
	}
	return out, nil
}
