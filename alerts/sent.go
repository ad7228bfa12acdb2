package alerts

import (
	"context"
	"sync"
	"time"
)

// Sent records which warnings have gone out, so that each is e-mailed once
// however often the check runs and however many processes run it.
//
// The store implements it with a table holding (unit_code, rule, period,
// sent_at) under a unique index on the first three columns:
//
//   - Claim inserts the row (INSERT … ON CONFLICT DO NOTHING) and reports
//     whether this call inserted it. Claiming before sending, atomically,
//     is what stops two runs from both sending.
//   - Release deletes the row, so that a warning whose sending failed is
//     tried again next run rather than lost.
type Sent interface {
	Claim(ctx context.Context, k Key, at time.Time) (bool, error)
	Release(ctx context.Context, k Key) error
}

// MemorySent is Sent in memory, for tests and for a server run without a
// database table; it forgets everything on restart.
type MemorySent struct {
	mu   sync.Mutex
	sent map[Key]time.Time
}

// NewMemorySent returns an empty record.
func NewMemorySent() *MemorySent { return &MemorySent{sent: map[Key]time.Time{}} }

// Claim records k and reports whether it was new.
func (m *MemorySent) Claim(_ context.Context, k Key, at time.Time) (bool, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, ok := m.sent[k]; ok {
		return false, nil
	}
	m.sent[k] = at
	return true, nil
}

// Release forgets k.
func (m *MemorySent) Release(_ context.Context, k Key) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	delete(m.sent, k)
	return nil
}

// SentAt reports when k was claimed.
func (m *MemorySent) SentAt(k Key) (time.Time, bool) {
	m.mu.Lock()
	defer m.mu.Unlock()
	at, ok := m.sent[k]
	return at, ok
}

// Len is the number of warnings recorded.
func (m *MemorySent) Len() int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return len(m.sent)
}
