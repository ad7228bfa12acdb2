package handlers

import (
	"context"
	"sync"
	"time"

	"scorecard/i18n"
	"scorecard/internal/auditview"
	"scorecard/models"
	"scorecard/scoring"
)

// The admin's audit page shows whether the trail is intact: its chain of
// hashes and the database's protections (store.VerifyAudit). A check reads
// every row, about two seconds for 100 000 rows, too much for every view:
// the latest check is kept for chainFresh, one runs at a time, and a view
// waits at most chainWait for a new one, showing the one before (or that
// the check is under way) meanwhile.

const (
	chainFresh = 5 * time.Minute
	chainWait  = 2 * time.Second
	// chainTimeout bounds a check, which runs off the request.
	chainTimeout = 5 * time.Minute
)

// chainChecker is what the check needs (*store.Store).
type chainChecker interface {
	VerifyAudit(ctx context.Context) (models.AuditChain, error)
}

type chainCheck struct {
	st  chainChecker
	now func() time.Time

	mu      sync.Mutex
	last    models.AuditChain
	err     error
	at      time.Time     // of last; zero before the first check
	running chan struct{} // closed when the check under way ends
}

// state returns the latest check, starting a new one when it is stale and
// waiting for it a little.
func (k *chainCheck) state(ctx context.Context) (models.AuditChain, time.Time, error) {
	k.mu.Lock()
	if !k.at.IsZero() && k.now().Sub(k.at) < chainFresh {
		defer k.mu.Unlock()
		return k.last, k.at, k.err
	}
	if k.running == nil {
		done := make(chan struct{})
		k.running = done
		go func() {
			cctx, cancel := context.WithTimeout(context.Background(), chainTimeout)
			defer cancel()
			c, err := k.st.VerifyAudit(cctx)
			k.mu.Lock()
			k.last, k.err, k.at, k.running = c, err, k.now(), nil
			k.mu.Unlock()
			close(done)
		}()
	}
	done := k.running
	k.mu.Unlock()
	t := time.NewTimer(chainWait)
	defer t.Stop()
	select {
	case <-done:
	case <-t.C:
	case <-ctx.Done():
	}
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.last, k.at, k.err
}

// chainView is the page's panel on the trail's integrity.
type chainView struct {
	OK      bool
	Lines   []string
	Checked string // "Kiểm lúc 21:40 06/12/2026."
}

func (h *handler) chainView(ctx context.Context, l i18n.Lang) chainView {
	c, at, err := h.chain.state(ctx)
	switch {
	case err != nil:
		h.Log.Error("check the audit trail", "err", err)
		return chainView{Lines: []string{l.T("audit.chain.error")}}
	case at.IsZero():
		return chainView{OK: true, Lines: []string{l.T("audit.chain.pending")}}
	}
	return chainView{OK: c.Intact(), Lines: auditview.Lines(l, c),
		Checked: l.T("audit.chain.checked", at.In(scoring.Location).Format("15:04 02/01/2006"))}
}
