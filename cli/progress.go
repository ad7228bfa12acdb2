package cli

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/present"
)

// progressBar returns the importer's progress callback for one file: on a
// terminal, once the file has taken longer than progressAfter, a line
// redrawn in place with the rows read, rows per second, the share of the
// file read and the time left. Anything that is not a terminal (a pipe, a
// log file, a test's buffer) gets nothing: no noise in logs.
func progressBar(t *console, path string) func(importer.Progress) {
	if !isTerminal(t.stderr) {
		return nil
	}
	return newBar(t.stderr, t.l, filepath.Base(path), time.Now).update
}

// progressAfter: a file read faster than this shows no bar at all.
const progressAfter = 2 * time.Second

func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

type bar struct {
	w      io.Writer
	l      i18n.Lang
	name   string
	now    func() time.Time
	start  time.Time
	drawn  time.Time // last redraw; zero until the first
	closed bool
}

func newBar(w io.Writer, l i18n.Lang, name string, now func() time.Time) *bar {
	return &bar{w: w, l: l, name: name, now: now, start: now()}
}

func (b *bar) update(p importer.Progress) {
	if b.closed {
		return
	}
	t := b.now()
	elapsed := t.Sub(b.start)
	if !p.Done && (elapsed < progressAfter || t.Sub(b.drawn) < 200*time.Millisecond) {
		return
	}
	if p.Done && b.drawn.IsZero() {
		return // quick enough: no bar
	}
	b.drawn = t
	fmt.Fprint(b.w, "\r\033[K"+b.line(p, elapsed))
	if p.Done {
		b.closed = true
		fmt.Fprintln(b.w, "\n  "+b.l.T("cli.progress.writing"))
	}
}

// line is the bar's text: name, bar and share when the size is known,
// rows, rows per second and the time left.
func (b *bar) line(p importer.Progress, elapsed time.Duration) string {
	var s strings.Builder
	s.WriteString(b.name + " ")
	eta := ""
	if p.Size > 0 {
		frac := min(1, float64(p.Bytes)/float64(p.Size))
		if p.Done {
			frac = 1
		}
		const width = 24
		n := int(frac * width)
		s.WriteString("[" + strings.Repeat("#", n) + strings.Repeat("-", width-n) + "] ")
		fmt.Fprintf(&s, "%3d%% ", int(frac*100))
		if !p.Done && frac > 0 {
			eta = " " + b.l.T("cli.progress.left", clock(time.Duration(float64(elapsed)*(1-frac)/frac)))
		}
	}
	rate := 0.0
	if elapsed > 0 {
		rate = float64(p.Rows) / elapsed.Seconds()
	}
	s.WriteString(b.l.T("cli.progress.rows", present.Int(b.l, int64(p.Rows)), present.Int(b.l, int64(rate))) + eta)
	return s.String()
}

// clock writes a duration as m:ss.
func clock(d time.Duration) string {
	secs := int(d.Round(time.Second).Seconds())
	return fmt.Sprintf("%d:%02d", secs/60, secs%60)
}
