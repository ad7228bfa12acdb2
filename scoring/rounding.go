package scoring

// PointsWith is the points of metric m for counts c computed with rounding
// mode mode instead of the metric's own. Reconciliation with the portal's
// published scores asks whether a difference of a hundredth is the other
// mode's arithmetic.
func PointsWith(m *Metric, c Counts, mode Rounding) Cents {
	alt := *m
	alt.Rounding = mode
	pts, _, _, _ := metricPoints(&alt, c)
	return pts
}
