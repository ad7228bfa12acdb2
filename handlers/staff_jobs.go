package handlers

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"runtime/debug"
	"strconv"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/present"
	"scorecard/store"
)

// A web import reports its progress. The check of an uploaded
// file (the preview) and its import run in the background, each a job of
// its staged file. The request that starts one waits a moment
// (Options.ImportWait): a file of a few thousand rows is done by then and
// its page is shown as before. A longer one (a month of a province's
// dossiers is a million rows, several seconds) answers with a page that
// follows the job: a progress bar with rows, rows per second and the time
// left, refreshed by js/import.js from GET /staff/import/{token}/progress
// (or by the page reloading itself without JavaScript), replaced by the
// preview or the outcome once the job is over. Leaving the page does not
// stop the job. A job runs in the process that received the request that
// started it; its progress and outcome go to the upload's row, so that
// the page, followed through any process, shows them.

// DefaultImportWait is how long an import request waits for its job
// before answering with the progress page.
const DefaultImportWait = 2 * time.Second

// importJob is the check or the import of a staged file that this
// process runs. What it found is written to the upload's row before done
// is closed; its progress too, every jobBeat or so, for the other
// processes (this one reads it here, as it is).
type importJob struct {
	phase   string // jobPreview or jobImport
	started time.Time
	done    chan struct{} // closed when the job is over and recorded

	mu   sync.Mutex
	prog importer.Progress
	seen bool // prog was reported at least once

	// The outcome, set by the job's function: kind (models.Staged*) and
	// its account; err when the job failed (or panicked).
	kind    string
	outcome *jobOutcome
	err     error

	// record, when set, writes the outcome down; run calls it once the
	// job's function has returned or panicked.
	record func()
	// moved is signalled (without blocking) at every progress report.
	moved chan struct{}
}

const (
	jobPreview = models.StagedPreview
	jobImport  = models.StagedImport
)

// jobBeat is how often a job's progress goes to the database, and at
// least how often its process says it is alive.
const (
	jobBeat      = 200 * time.Millisecond
	jobHeartbeat = 5 * time.Second
)

func newJob(phase string) *importJob {
	return &importJob{phase: phase, started: time.Now(), done: make(chan struct{}), moved: make(chan struct{}, 1)}
}

// jobOutcome is what a job found, kept in the upload's row (JSON) so
// that any process shows it. Refusals are kept as their messages in
// each language: a problem's arguments are of many types.
type jobOutcome struct {
	// Preview: the file is fine (ready), or found published since its
	// preview when imported (Message, in each language, says so).
	Preview *importPreview       `json:",omitempty"`
	Message map[i18n.Lang]string `json:",omitempty"`
	Refused *refusal             `json:",omitempty"`
	Report  *importer.Report     `json:",omitempty"`
	Portal  *portal.Report       `json:",omitempty"`
	// Corrected counts the revisions a correction completed.
	Corrected int `json:",omitempty"`
}

// refusal is a refused file's problems as the page lists them.
type refusal struct {
	Total    int
	Problems map[i18n.Lang][]problemRow
}

// refusalOf words a refusal in every language.
func refusalOf(pe *importer.ProblemsError) *refusal {
	r := &refusal{Total: pe.Total, Problems: map[i18n.Lang][]problemRow{}}
	for _, l := range i18n.Langs {
		var rows []problemRow
		for _, p := range pe.Problems {
			row := problemRow{Column: p.Column, Message: p.Message(l)}
			if p.Row > 0 {
				row.Row = strconv.Itoa(p.Row)
			}
			if p.File != "" || p.Place != "" {
				// A capture's problem is in one of its files, at a place
				// of its JSON: the message says where.
				row.Message = p.Text(l)
			}
			rows = append(rows, row)
		}
		// The problems not listed, one line per kind.
		for _, m := range pe.More {
			rows = append(rows, problemRow{Column: m.First.Column, Message: m.Message(l)})
		}
		r.Problems[l] = rows
	}
	return r
}

// context is ctx with the job's progress function, detached from the
// request: the job goes on when the visitor leaves the page. observe, when
// not nil, is called with every report once it is recorded (Deps.Progress).
func (j *importJob) context(ctx context.Context, observe func(importer.Progress)) context.Context {
	return importer.WithProgress(context.WithoutCancel(ctx), func(p importer.Progress) {
		j.mu.Lock()
		j.prog, j.seen = p, true
		j.mu.Unlock()
		select {
		case j.moved <- struct{}{}:
		default:
		}
		if observe != nil {
			observe(p)
		}
	})
}

func (j *importJob) finished() bool {
	select {
	case <-j.done:
		return true
	default:
		return false
	}
}

// wait waits up to d for the job to be over and reports whether it is.
func (j *importJob) wait(d time.Duration) bool {
	if d <= 0 {
		return j.finished()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-j.done:
		return true
	case <-t.C:
		return false
	}
}

// run runs fn as the job, on a goroutine of its own: outside Fiber's
// handlers, so a panic is caught here and becomes the job's error (the
// page says something went wrong) instead of stopping the server.
func (h *handler) run(j *importJob, name string, fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				j.err = fmt.Errorf("handlers: %s of %s panicked: %v", j.phase, name, r)
				h.Log.Error("web import job panicked", "phase", j.phase, "file", name, "panic", r, "stack", string(debug.Stack()))
			}
			if j.record != nil {
				j.record()
			}
			close(j.done)
		}()
		fn()
	}()
}

// begin makes j the job of s in this process: its progress goes to the
// database until it ends, and then what it found; the local copy of the
// file is deleted.
func (h *handler) begin(s *staged, j *importJob) {
	h.uploads.track(s.token, j)
	stop, stopped := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(stopped)
		h.beat(s.token, j, stop)
	}()
	j.record = func() {
		close(stop)
		<-stopped
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		kind, text := j.kind, ""
		if j.err == nil && j.outcome != nil {
			b, err := json.Marshal(j.outcome)
			if err != nil {
				j.err = fmt.Errorf("handlers: keep the outcome of %s: %w", s.name, err)
			}
			text = string(b)
		}
		if j.err != nil || kind == "" {
			kind, text = models.StagedFailed, ""
			h.Log.Error("web import job failed", "phase", j.phase, "file", s.name, "err", j.err)
		}
		now := h.uploads.now()
		if err := h.st.FinishStaged(ctx, s.token, kind, text, now, now.Add(stagedFor)); err != nil {
			h.Log.Error("record the end of a web import job", "phase", j.phase, "file", s.name, "err", err)
		}
		if s.path != "" {
			_ = os.Remove(s.path)
		}
		h.uploads.untrack(s.token, j)
	}
}

// beat writes j's progress to the database as it moves (at most every
// jobBeat), and at least every jobHeartbeat, until stop is closed.
func (h *handler) beat(token string, j *importJob, stop <-chan struct{}) {
	t := time.NewTicker(jobBeat)
	defer t.Stop()
	var last store.StagedProgress
	var lastAt time.Time
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		j.mu.Lock()
		p := store.StagedProgress{Rows: int64(j.prog.Rows), Bytes: j.prog.Bytes, Size: j.prog.Size, Seen: j.seen, Done: j.prog.Done}
		j.mu.Unlock()
		now := time.Now()
		if p == last && now.Sub(lastAt) < jobHeartbeat {
			continue
		}
		p.At = h.uploads.now()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		err := h.st.SetStagedProgress(ctx, token, p)
		cancel()
		if err != nil {
			h.Log.Warn("record the progress of a web import job", "err", err)
			continue
		}
		p.At = time.Time{}
		last, lastAt = p, now
	}
}

// startPreview checks a newly staged file in the background; a file
// refused, or a check that failed, is recorded in the audit trail as
// actor's.
func (h *handler) startPreview(ctx context.Context, s *staged, actor store.Actor) *importJob {
	j := newJob(jobPreview)
	jctx := j.context(ctx, h.progress)
	h.begin(s, j)
	h.run(j, s.name, func() {
		pv, err := h.previewImport(jctx, s)
		switch {
		case err != nil:
			j.err = err
			if jctx.Err() == nil {
				h.auditFailed(jctx, actor, s.name, err)
			}
		case pv.Problems != nil:
			h.auditRefused(jctx, actor, s.name, pv.Problems, pv.Problems, "preview")
			j.kind, j.outcome = models.StagedRefused, &jobOutcome{Refused: refusalOf(pv.Problems)}
		default:
			j.kind, j.outcome = models.StagedReady, &jobOutcome{Preview: pv}
		}
	})
	return j
}

// startImport imports the staged file in the background, as actor, as a
// correction when ctx carries one. The caller has claimed the upload
// (store.ClaimStagedImport): of two confirmations, only one gets here. pv
// is the file's preview.
func (h *handler) startImport(ctx context.Context, s *staged, actor store.Actor, pv *importPreview) *importJob {
	j := newJob(jobImport)
	jctx := j.context(ctx, h.progress)
	h.begin(s, j)
	h.run(j, s.name, func() {
		if err := h.fetch(jctx, s); err != nil {
			j.err = err
			return
		}
		rep, prep, err := h.runImport(jctx, s, actor)
		var pe *importer.ProblemsError
		var pub *store.PublishedError
		switch {
		case errors.As(err, &pe) && errors.As(err, &pub) && pv != nil:
			// Published since the preview: the preview again, asking
			// for the reason now.
			again := *pv
			again.Published = pub.Periods
			j.kind, j.outcome = models.StagedReady, &jobOutcome{Preview: &again,
				Message: map[i18n.Lang]string{i18n.VI: present.PublishedRefusal(i18n.VI, pub.Periods), i18n.EN: present.PublishedRefusal(i18n.EN, pub.Periods)}}
		case errors.As(err, &pe):
			j.kind, j.outcome = models.StagedRefused, &jobOutcome{Refused: refusalOf(pe)}
		case err != nil:
			j.err = err
		default:
			// The new revisions of published periods (corrections, new
			// months of running ones) get their snapshots now that the
			// import is committed; a failure leaves them pending, completed
			// at the next start or import.
			n, err := h.st.CompleteRevisions(jctx, h.snap)
			if err != nil {
				h.Log.Error("complete revisions after a web import", "file", s.name, "err", err)
			}
			out := &jobOutcome{Report: rep, Portal: prep}
			if store.CorrectionFrom(jctx) != nil {
				out.Corrected = n
			}
			j.kind, j.outcome = models.StagedDone, out
		}
	})
	return j
}

// respondJob answers a request that started or found a job (j, nil when
// none runs here): the upload's page in its present state when the job is
// over within the wait, otherwise a redirection to the page that follows
// it.
func (h *handler) respondJob(c *fiber.Ctx, s *staged, j *importJob) error {
	if j != nil && !j.wait(h.importWait()) {
		return c.Redirect(h.URL("/staff/import/"+url.PathEscape(s.token)), fiber.StatusSeeOther)
	}
	now, err := h.reloadStaged(c, s.token)
	switch {
	case err != nil:
		return site.Internal(err)
	case now == nil:
		return h.formError(c, fiber.StatusGone, site.Lang(c).T("staff.import.err.expired"))
	case now.row.Running && !h.stopped(now):
		// A job of another process: its page follows it.
		return c.Redirect(h.URL("/staff/import/"+url.PathEscape(s.token)), fiber.StatusSeeOther)
	}
	return h.showStaged(c, now)
}

func (h *handler) importWait() time.Duration {
	switch w := h.opts.ImportWait; {
	case w < 0:
		return 0
	case w == 0:
		return DefaultImportWait
	default:
		return w
	}
}

// staffImportStatus is GET /staff/import/{token}: the page of a staged
// file in its present state.
func (h *handler) staffImportStatus(c *fiber.Ctx) error {
	s, err := h.lookupStaged(c)
	if err != nil {
		return site.Internal(err)
	}
	if s == nil {
		return h.formError(c, fiber.StatusGone, site.Lang(c).T("staff.import.err.expired"))
	}
	return h.showStaged(c, s)
}

// stopped reports whether the running job of s has stopped with its
// process: none here, and no sign of life for staleAfter.
func (h *handler) stopped(s *staged) bool {
	return s.row.Running && h.uploads.local(s.token) == nil && h.uploads.now().Sub(s.row.HeartbeatAt) > staleAfter
}

// showStaged renders a staged file's page: the progress of its job, or
// what the job found. The outcome of a file refused or imported is shown
// again, through any server process, until the upload expires (a reload,
// a second click, the page followed on another server); a failed job's
// upload is forgotten once its error is shown.
func (h *handler) showStaged(c *fiber.Ctx, s *staged) error {
	l := site.Lang(c)
	if h.stopped(s) {
		h.drop(c.UserContext(), s.token)
		return h.formError(c, fiber.StatusGone, l.T("staff.import.err.stopped"))
	}
	if s.row.Running {
		return h.renderWorking(c, s)
	}
	var out jobOutcome
	if s.row.OutcomeKind != models.StagedFailed {
		if err := json.Unmarshal([]byte(s.row.Outcome), &out); err != nil {
			h.drop(c.UserContext(), s.token)
			return site.Internal(fmt.Errorf("handlers: the outcome of staged upload %s: %w", s.token, err))
		}
	}
	switch {
	case s.row.OutcomeKind == models.StagedReady && out.Preview != nil:
		if msg := out.Message[l]; msg != "" {
			return h.renderPreview(c, s, out.Preview, msg, "", fiber.StatusConflict)
		}
		return h.renderPreview(c, s, out.Preview, "", "", fiber.StatusOK)
	case s.row.OutcomeKind == models.StagedRefused && out.Refused != nil:
		return h.renderRefused(c, s.name, out.Refused)
	case s.row.OutcomeKind == models.StagedDone && out.Report != nil:
		return h.renderDone(c, out.Report, out.Portal, out.Corrected)
	}
	h.drop(c.UserContext(), s.token)
	return site.Internal(fmt.Errorf("handlers: the %s of %s failed (%s)", s.row.Phase, s.name, s.row.OutcomeKind))
}

// jobProgress is the progress of a job as GET
// /staff/import/{token}/progress gives it to js/import.js.
type jobProgress struct {
	Done bool `json:"done"`
	// Percent of the file read, -1 when not known (a file kind read
	// whole before it is written).
	Percent int    `json:"percent"`
	Rows    int    `json:"rows"`
	Text    string `json:"text"` // in the page's language
}

// jobState is how far a job has got: reported by it (here) or read from
// its row (a job of another process).
type jobState struct {
	prog    importer.Progress
	seen    bool
	over    bool
	started time.Time
}

func (j *importJob) state() jobState {
	j.mu.Lock()
	defer j.mu.Unlock()
	return jobState{prog: j.prog, seen: j.seen, over: j.finished(), started: j.started}
}

func rowState(r models.StagedUpload) jobState {
	return jobState{prog: importer.Progress{Rows: int(r.RowsRead), Bytes: r.BytesRead, Size: r.TotalBytes, Done: r.ReadDone},
		seen: r.Seen, over: !r.Running, started: r.StartedAt}
}

// progressOf describes a job's progress in language l.
func progressOf(l i18n.Lang, st jobState) jobProgress {
	p := st.prog
	out := jobProgress{Done: st.over, Percent: -1, Rows: p.Rows}
	elapsed := time.Since(st.started)
	switch {
	case out.Done:
		out.Percent, out.Text = 100, l.T("staff.import.progress.over")
	case !st.seen:
		out.Text = l.T("staff.import.progress.start")
	case p.Done:
		out.Percent = 100
		out.Text = l.TN(int(p.Rows), "staff.import.progress.writing", present.Int(l, int64(p.Rows)))
	default:
		text := l.TN(int(p.Rows), "staff.import.progress.rows", present.Int(l, int64(p.Rows)))
		if secs := elapsed.Seconds(); secs >= 0.5 {
			text += " · " + l.T("staff.import.progress.rate", present.Int(l, int64(float64(p.Rows)/secs)))
		}
		if p.Size > 0 && p.Bytes > 0 {
			out.Percent = int(min(99, p.Bytes*100/p.Size))
			text = l.T("staff.import.progress.percent", present.Int(l, int64(out.Percent))) + " · " + text
			if left := time.Duration(float64(elapsed) * float64(p.Size-p.Bytes) / float64(p.Bytes)); elapsed >= time.Second {
				text += " · " + timeLeft(l, left)
			}
		}
		out.Text = text
	}
	return out
}

// stateOf is the progress of s's job: as this process's job reports it,
// or as its row says.
func (h *handler) stateOf(s *staged) jobState {
	if j := h.uploads.local(s.token); j != nil {
		return j.state()
	}
	return rowState(s.row)
}

// staffImportProgress is GET /staff/import/{token}/progress.
func (h *handler) staffImportProgress(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	s, err := h.lookupStaged(c)
	if err != nil {
		return site.Internal(err)
	}
	if s == nil {
		return c.Status(fiber.StatusGone).JSON(fiber.Map{"error": site.Lang(c).T("staff.import.err.expired")})
	}
	if !s.row.Running || h.stopped(s) { // nothing running: the page has something to show
		return c.JSON(jobProgress{Done: true, Percent: 100})
	}
	return c.JSON(progressOf(site.Lang(c), h.stateOf(s)))
}

// renderWorking shows the progress of a job that is not over.
func (h *handler) renderWorking(c *fiber.Ctx, s *staged) error {
	v, err := h.importPage(c, "working")
	if err != nil {
		return err
	}
	v.File = s.name
	v.Phase = s.row.Phase
	v.StatusURL = "/staff/import/" + url.PathEscape(s.token)
	v.Progress = progressOf(site.Lang(c), h.stateOf(s))
	return h.Render(c, fiber.StatusOK, "staff_import", v)
}

// timeLeft words an estimate of the time left: "almost done" below a
// second or so (never "0 seconds left"), seconds up to a minute and a
// half, then minutes.
func timeLeft(l i18n.Lang, d time.Duration) string {
	if d < 1500*time.Millisecond {
		return l.T("staff.import.progress.soon")
	}
	if d <= 90*time.Second {
		return l.T("staff.import.progress.left", present.Int(l, int64(d.Round(time.Second)/time.Second)))
	}
	return l.T("staff.import.progress.leftmin", present.Int(l, int64(d.Round(time.Minute)/time.Minute)))
}
