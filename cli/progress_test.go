package cli

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"scorecard/i18n"
	"scorecard/importer"
)

// TestProgressBar: nothing for a quick file or a writer that is not a
// terminal; past two seconds a line with the share read, rows, rows per
// second and the time left, redrawn in place, and closed at the end.
func TestProgressBar(t *testing.T) {
	var buf bytes.Buffer
	if progressBar(&console{l: i18n.VI, stdout: &buf, stderr: &buf}, "d.csv") != nil {
		t.Fatal("a bar on a buffer")
	}
	clockAt := time.Unix(1_700_000_000, 0)
	now := func() time.Time { return clockAt }
	b := newBar(&buf, i18n.VI, "d.csv", now)
	b.update(importer.Progress{Rows: 1000, Bytes: 100, Size: 1000})
	clockAt = clockAt.Add(time.Second)
	b.update(importer.Progress{Rows: 1000, Bytes: 100, Size: 1000, Done: true})
	if buf.Len() != 0 {
		t.Fatalf("a quick file drew %q", buf.String())
	}

	b = newBar(&buf, i18n.VI, "d.csv", now)
	clockAt = clockAt.Add(4 * time.Second)
	b.update(importer.Progress{Rows: 400_000, Bytes: 400, Size: 1000})
	line := buf.String()
	for _, want := range []string{"\r", "d.csv", "[#########---------------]", " 40%", "400.000 dòng, 100.000 dòng/giây còn 0:06"} {
		if !strings.Contains(line, want) {
			t.Errorf("bar %q lacks %q", line, want)
		}
	}
	clockAt = clockAt.Add(100 * time.Millisecond)
	b.update(importer.Progress{Rows: 410_000, Bytes: 410, Size: 1000})
	if buf.String() != line {
		t.Error("redrawn within 200 ms")
	}
	clockAt = clockAt.Add(6 * time.Second)
	b.update(importer.Progress{Rows: 1_000_000, Bytes: 1000, Size: 1000, Done: true})
	if !strings.Contains(buf.String(), "100%") || !strings.HasSuffix(buf.String(), "…\n") {
		t.Errorf("end %q", buf.String())
	}
	n := buf.Len()
	b.update(importer.Progress{Rows: 1_000_000, Bytes: 1000, Size: 1000, Done: true})
	if buf.Len() != n {
		t.Error("drawn after the end")
	}
}
