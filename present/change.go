package present

import (
	"strconv"

	"scorecard/i18n"
	"scorecard/scoring"
)

// Change is a signed difference shown with an arrow, so that the direction
// never depends on colour: "▲ 1,20", "▼ 0,35", "= 0,00".
type Change struct {
	Known bool   // false: nothing to compare with
	Arrow string // ▲, ▼ or =
	Text  string // the magnitude
	Class string // up, down, same (for styling only)
	// Label is the full wording for screen readers and tooltips.
	Label string
}

// ScoreChange describes a change of total, in points (nil: no previous
// period).
func ScoreChange(l i18n.Lang, d *scoring.Cents) Change {
	if d == nil {
		return Change{Label: l.T("change.none")}
	}
	v := *d
	mag := v
	if mag < 0 {
		mag = -mag
	}
	c := Change{Known: true, Text: Score(l, mag)}
	switch {
	case v > 0:
		c.Arrow, c.Class, c.Label = "▲", "up", l.T("change.score.up", c.Text)
	case v < 0:
		c.Arrow, c.Class, c.Label = "▼", "down", l.T("change.score.down", c.Text)
	default:
		c.Arrow, c.Class, c.Label = "=", "same", l.T("change.score.same")
	}
	return c
}

// RankChange describes a change of rank; positive means moved up.
func RankChange(l i18n.Lang, d *int) Change {
	if d == nil {
		return Change{Label: l.T("change.none")}
	}
	v := *d
	n := v
	if n < 0 {
		n = -n
	}
	c := Change{Known: true, Text: strconv.Itoa(n)}
	switch {
	case v > 0:
		c.Arrow, c.Class, c.Label = "▲", "up", l.TN(n, "change.rank.up", n)
	case v < 0:
		c.Arrow, c.Class, c.Label = "▼", "down", l.TN(n, "change.rank.down", n)
	default:
		c.Arrow, c.Class, c.Label = "=", "same", l.T("change.rank.same")
	}
	return c
}
