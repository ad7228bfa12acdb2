// Package present turns the engine's figures, codes and enumerations into
// the words and numbers a person reads, in Vietnamese (vi-VN: 75,35;
// 1.234.567; 27/04/2024) or English (75.35; 1,234,567; 27 Apr 2024). Pages,
// downloads, the report and the command line all format through it, so a
// figure reads the same wherever it is shown: one function per kind of
// number, the words from the message catalogue (i18n).
//
// The kinds of number:
//
//	Score    points earned, totals, changes: always two decimals (75,35; 18,00)
//	Percent  ratios: two decimals and a percent sign (97,25%)
//	Max      maxima, thresholds, band limits, weights of the scheme: without
//	         trailing zero decimals (18; 6,5; 0,25)
//	Int      counts: thousands grouped (1.234.567)
//	Date     a day in Vietnam time (27/04/2024)
package present
