// Package scoring is the heart of the product: it turns counts into the
// points, group scores, totals, bands and ranks that Vietnam's National Public
// Service Portal publishes under Decision 766/QĐ-TTg (23/6/2022). It is pure:
// no database, no web, no clock.
//
// The formulas (scoring.md, with their sources):
//
//   - A metric with maximum M, numerator n and denominator d (ratio r = n/d)
//     earns M × r (linear) or M × min(1, r/T) (threshold T). [data: both
//     reproduce the portal's published metric scores]
//   - Points are rounded half-up to two decimals per metric, computed exactly
//     with big.Rat, never float64 then math.Round (6 × 145/165 = 5,2727… →
//     5,27; an exact .xx5 rounds up). [data]
//   - The payment group (TTTT) is "percent_first": the portal rounds the ratio
//     to a two-decimal percentage in doubles first, computes the points in
//     doubles, then rounds the double's exact value half-up. [data: 656 of 656
//     published payment-group scores]
//   - No data (d = 0 or no counts) applies the metric's rule: 0, full, or
//     "none" (left out of points and maximum). [data/assumed per metric]
//   - A group's score is the sum of its rounded metric points; the total is
//     the sum of the groups. [data]
//   - Quarters, halves and years are scored from the counts of the whole
//     period, never by averaging monthly scores: flow metrics sum their
//     months, snapshot metrics take the latest month. [data]
//   - A province is scored from pooled counts (the sum of its units'), not
//     the mean of its units' scores; province-level publication metrics are
//     measured once and carried by every unit of the province. [data]
//   - Bands are configurable per scheme (default, assumed: Xuất sắc ≥ 90, Tốt
//     ≥ 80, Khá ≥ 70, Trung bình ≥ 50, Yếu); ranking is standard competition
//     ranking within one kind and period, ties at the scheme's precision.
//
// Every rule tagged [data] or [assumed] lives in the scheme file
// (data/schemes/*.json), not in code, so an office can follow a new formula by
// editing a file.
package scoring
