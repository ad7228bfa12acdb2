package auth

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sync"
	"time"

	"scorecard/models"
	"scorecard/store"
)

// Attempts refused by the rate limit are not written a row each: a client
// that keeps trying would otherwise write rows as fast as it can send
// requests (300 in 3 s). The first refusal of an account from an address
// is written at once, so that the trail shows when the block began; the
// next ones are counted in memory and written as one row with their count
// once blockedEvery has passed since the last row (at the next refused
// attempt of anyone, at the sweep of sessions, or when the server stops:
// Flush). The counts of at most maxBlockedRuns pairs are kept; beyond,
// refusals are counted together under "*".

const (
	blockedEvery   = time.Minute
	maxBlockedRuns = 4096
)

type blockedKey struct{ target, addr string }

// blockedRun is one account's refusals from one address.
type blockedRun struct {
	last    store.Actor // who and from where, as of the latest refusal
	target  string
	retry   int       // the latest Retry-After, in seconds
	count   int       // refusals since the last row
	first   time.Time // the first of those
	at      time.Time // the latest of those
	written time.Time // when the last row was written
}

type blockedLog struct {
	mu   sync.Mutex
	runs map[blockedKey]*blockedRun
}

func newBlockedLog() *blockedLog { return &blockedLog{runs: map[blockedKey]*blockedRun{}} }

// note records a refused attempt by actor on target. It returns the row
// to write now (the first refusal of the pair, nil otherwise) and the
// counts that have come due, to be written off the request.
func (b *blockedLog) note(actor store.Actor, target string, retry time.Duration, now time.Time) (first *models.AuditEntry, due []models.AuditEntry) {
	b.mu.Lock()
	defer b.mu.Unlock()
	due = b.dueLocked(now)
	k := blockedKey{target, actor.RemoteAddr}
	r, ok := b.runs[k]
	if !ok && len(b.runs) >= maxBlockedRuns {
		k = blockedKey{"*", "*"}
		actor, target = store.Actor{Name: models.ActorUnknown, RemoteAddr: "*"}, "*"
		r, ok = b.runs[k]
	}
	secs := int(retry.Seconds()) + 1
	if !ok {
		b.runs[k] = &blockedRun{last: actor, target: target, written: now}
		e := actor.Entry(models.ActionLoginBlocked, target, map[string]any{"count": 1, "retry_after_s": secs})
		e.At = now
		return &e, due
	}
	if r.count == 0 {
		r.first = now
	}
	r.count++
	r.last, r.retry, r.at = actor, secs, now
	return nil, due
}

// dueLocked takes the counts whose row is due and forgets the pairs that
// have had no refusal for as long.
func (b *blockedLog) dueLocked(now time.Time) []models.AuditEntry {
	var out []models.AuditEntry
	for _, k := range sortedKeys(b.runs) {
		r := b.runs[k]
		if now.Sub(r.written) < blockedEvery {
			continue
		}
		if r.count == 0 {
			delete(b.runs, k)
			continue
		}
		out = append(out, r.row())
		r.count, r.written = 0, now
	}
	return out
}

// due takes the counts whose row is due (the sweep of sessions).
func (b *blockedLog) due(now time.Time) []models.AuditEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.dueLocked(now)
}

// flush takes every count not yet written.
func (b *blockedLog) flush() []models.AuditEntry {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []models.AuditEntry
	for _, k := range sortedKeys(b.runs) {
		if r := b.runs[k]; r.count > 0 {
			out = append(out, r.row())
			r.count = 0
		}
	}
	return out
}

// row is the audit row of a run's counted refusals, dated by the latest.
func (r *blockedRun) row() models.AuditEntry {
	e := r.last.Entry(models.ActionLoginBlocked, r.target, map[string]any{
		"count": r.count, "first": r.first.UTC().Format(time.RFC3339), "retry_after_s": r.retry})
	e.At = r.at
	return e
}

func sortedKeys(m map[blockedKey]*blockedRun) []blockedKey {
	return slices.SortedFunc(maps.Keys(m), func(a, b blockedKey) int {
		return cmp.Or(cmp.Compare(a.target, b.target), cmp.Compare(a.addr, b.addr))
	})
}

// writeBlocked writes counted refusals off the request.
func (s *Service) writeBlocked(rows []models.AuditEntry) {
	for _, e := range rows {
		s.background("audit refused logins", func(ctx context.Context) error {
			return s.st.AppendAudit(ctx, &e)
		})
	}
}

// Flush writes the counts of refused logins not written yet; the server
// calls it when it stops (Wait does too).
func (s *Service) Flush() { s.writeBlocked(s.blocked.flush()) }
