package handlers

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"runtime/debug"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"

	"scorecard/auth"
	"scorecard/handlers/site"
	"scorecard/i18n"
	"scorecard/importer"
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
// stop the job.

// DefaultImportWait is how long an import request waits for its job
// before answering with the progress page.
const DefaultImportWait = 2 * time.Second

// importJob is the check or the import of a staged file, running or over.
type importJob struct {
	phase   string // jobPreview or jobImport
	started time.Time
	done    chan struct{} // closed when the fields below are final

	mu   sync.Mutex
	prog importer.Progress
	seen bool // prog was reported at least once

	// The outcome, read once done is closed.
	preview   *importPreview   // jobPreview
	rep       *importer.Report // jobImport
	portal    *portal.Report   // jobImport of a portal capture
	err       error
	corrected int // revisions completed by a correction
}

const (
	jobPreview = "preview"
	jobImport  = "import"
)

func newJob(phase string) *importJob {
	return &importJob{phase: phase, started: time.Now(), done: make(chan struct{})}
}

// context is ctx with the job's progress function, detached from the
// request: the job goes on when the visitor leaves the page. observe, when
// not nil, is called with every report once it is recorded (Deps.Progress).
func (j *importJob) context(ctx context.Context, observe func(importer.Progress)) context.Context {
	return importer.WithProgress(context.WithoutCancel(ctx), func(p importer.Progress) {
		j.mu.Lock()
		j.prog, j.seen = p, true
		j.mu.Unlock()
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
			close(j.done)
		}()
		fn()
	}()
}

// startPreview checks a newly staged file in the background; a file
// refused, or a check that failed, is recorded in the audit trail as
// actor's.
func (h *handler) startPreview(ctx context.Context, s *staged, actor store.Actor) *importJob {
	j := newJob(jobPreview)
	s.claim(j) // a new file has no job
	jctx := j.context(ctx, h.progress)
	h.run(j, s.name, func() {
		j.preview, j.err = h.previewImport(jctx, s)
		switch {
		case j.err == nil && j.preview.Problems != nil:
			h.auditRefused(jctx, actor, s.name, j.preview.Problems, j.preview.Problems, "preview")
		case j.err != nil && jctx.Err() == nil:
			h.auditFailed(jctx, actor, s.name, j.err)
		}
	})
	return j
}

// startImport imports the staged file in the background, as actor, as a
// correction when ctx carries one; false when the file has a job already
// (a second click on the confirmation).
func (h *handler) startImport(ctx context.Context, s *staged, actor store.Actor) (*importJob, bool) {
	j := newJob(jobImport)
	if !s.claim(j) {
		return nil, false
	}
	jctx := j.context(ctx, h.progress)
	h.run(j, s.name, func() {
		j.rep, j.portal, j.err = h.runImport(jctx, s, actor)
		if j.err == nil {
			// The new revisions of published periods (corrections, new
			// months of running ones) get their snapshots now that the
			// import is committed; a failure leaves them pending, completed
			// at the next start or import.
			n, err := h.st.CompleteRevisions(jctx, h.snap)
			if err != nil {
				h.Log.Error("complete revisions after a web import", "file", s.name, "err", err)
			}
			if store.CorrectionFrom(jctx) != nil {
				j.corrected = n
			}
		}
	})
	return j, true
}

// respondJob answers a request that started or found a job: its outcome
// when it is over within the wait, otherwise the page that follows it.
func (h *handler) respondJob(c *fiber.Ctx, s *staged, j *importJob) error {
	if j == nil || j.wait(h.importWait()) {
		return h.showStaged(c, s)
	}
	return c.Redirect(h.URL("/staff/import/"+url.PathEscape(s.token)), fiber.StatusSeeOther)
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
	s, ok := h.uploads.get(c.Params("token"), auth.UserFrom(c).ID)
	if !ok {
		return h.formError(c, fiber.StatusGone, site.Lang(c).T("staff.import.err.expired"))
	}
	return h.showStaged(c, s)
}

// showStaged renders a staged file's page: the progress of its job, or
// what the job found. A file whose story is over (refused, imported,
// failed) is forgotten once shown.
func (h *handler) showStaged(c *fiber.Ctx, s *staged) error {
	l := site.Lang(c)
	j := s.currentJob()
	switch {
	case j == nil && s.previewOf() == nil: // cannot happen: a job is set until its preview is
		h.uploads.remove(s.token)
		return h.formError(c, fiber.StatusGone, l.T("staff.import.err.expired"))
	case j == nil: // checked earlier, waiting for confirmation
		return h.renderPreview(c, s, "", "", fiber.StatusOK)
	case !j.finished():
		return h.renderWorking(c, s, j)
	}
	if j.phase == jobPreview {
		switch {
		case j.err != nil:
			h.uploads.remove(s.token)
			return site.Internal(j.err)
		case j.preview.Problems != nil:
			h.uploads.remove(s.token)
			return h.renderRefused(c, s.name, j.preview.Problems)
		}
		s.setPreview(j.preview)
		s.clearIf(j)
		return h.renderPreview(c, s, "", "", fiber.StatusOK)
	}
	var pe *importer.ProblemsError
	if errors.As(j.err, &pe) {
		var pub *store.PublishedError
		if pv := s.previewOf(); errors.As(j.err, &pub) && pv != nil {
			// Published since the preview: ask for the reason now.
			again := *pv
			again.Published = pub.Periods
			s.setPreview(&again)
			s.clearIf(j)
			msg := pub.MessageVI()
			if l == i18n.EN {
				msg = pub.MessageEN()
			}
			return h.renderPreview(c, s, msg, "", fiber.StatusConflict)
		}
		h.uploads.remove(s.token)
		return h.renderRefused(c, s.name, pe)
	}
	h.uploads.remove(s.token)
	if j.err != nil {
		return site.Internal(j.err)
	}
	return h.renderDone(c, j.rep, j.portal, j.corrected)
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

// progressOf describes a job's progress in language l.
func progressOf(l i18n.Lang, j *importJob) jobProgress {
	j.mu.Lock()
	p, seen := j.prog, j.seen
	j.mu.Unlock()
	out := jobProgress{Done: j.finished(), Percent: -1, Rows: p.Rows}
	elapsed := time.Since(j.started)
	switch {
	case out.Done:
		out.Percent, out.Text = 100, l.T("staff.import.progress.over")
	case !seen:
		out.Text = l.T("staff.import.progress.start")
	case p.Done:
		out.Percent = 100
		out.Text = l.T("staff.import.progress.writing", present.Int(l, int64(p.Rows)))
	default:
		text := l.T("staff.import.progress.rows", present.Int(l, int64(p.Rows)))
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

// staffImportProgress is GET /staff/import/{token}/progress.
func (h *handler) staffImportProgress(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	s, ok := h.uploads.get(c.Params("token"), auth.UserFrom(c).ID)
	if !ok {
		return c.Status(fiber.StatusGone).JSON(fiber.Map{"error": site.Lang(c).T("staff.import.err.expired")})
	}
	j := s.currentJob()
	if j == nil { // nothing running: the page has something to show
		return c.JSON(jobProgress{Done: true, Percent: 100})
	}
	return c.JSON(progressOf(site.Lang(c), j))
}

// renderWorking shows the progress of a job that is not over.
func (h *handler) renderWorking(c *fiber.Ctx, s *staged, j *importJob) error {
	v, err := h.importPage(c, "working")
	if err != nil {
		return err
	}
	v.File = s.name
	v.Phase = j.phase
	v.StatusURL = "/staff/import/" + url.PathEscape(s.token)
	v.Progress = progressOf(site.Lang(c), j)
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
