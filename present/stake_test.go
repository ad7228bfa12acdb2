package present

import (
	"strings"
	"testing"

	"scorecard/data"
	"scorecard/i18n"
	"scorecard/scoring"
)

func metric(t *testing.T, code string) *scoring.Metric {
	t.Helper()
	return &scoring.Metric{Code: code}
}

func TestStakeMessage(t *testing.T) {
	apr := scoring.MustPeriod("2024-04")
	sub := scoring.Stake{Metric: metric(t, "ONLINE_SUBMISSION"), Kind: scoring.StakeCounts, Need: 37,
		Counts: scoring.C(148, 370), Ratio: 4000, NewRatio: 5000, Lost: 120, Points: 480, Max: 600}
	if want := "Thêm 37 hồ sơ nộp trực tuyến trong tháng (giữ nguyên mẫu số 370; tỷ lệ từ 40,00% lên 50,00%) sẽ được thêm 1,20 điểm."; StakeMessage(i18n.VI, apr, sub) != want {
		t.Errorf("message\n%s\nwant\n%s", StakeMessage(i18n.VI, apr, sub), want)
	}
	if got := StakeMessage(i18n.EN, apr, sub); !strings.Contains(got, "37 more dossiers submitted online in the month") {
		t.Errorf("English message %q", got)
	}
	none := scoring.Stake{Metric: metric(t, "DOSSIER_SYNC"), Kind: scoring.StakeNoCounts, Points: 0, Max: 600, Lost: 600}
	if got := StakeMessage(i18n.VI, apr, none); !strings.HasPrefix(got, "Chưa có số liệu: cần nhập số liệu") {
		t.Errorf("no-counts message %q", got)
	}
	zero := scoring.Stake{Metric: metric(t, "ONLINE_PAYMENT_DOSSIERS"), Kind: scoring.StakeZeroDen, Points: 0, Max: 600, Lost: 600, Target: 10000}
	if got := StakeMessage(i18n.VI, apr, zero); !strings.Contains(got, "mẫu số bằng 0") {
		t.Errorf("0/0 message %q", got)
	}
	prov := scoring.Stake{Metric: metric(t, "PUBLISH_ON_TIME"), Kind: scoring.StakeCounts, Inherited: true, Need: 1,
		Counts: scoring.C(8, 10), Ratio: 8000, NewRatio: 9000, Lost: 200}
	if got := StakeMessage(i18n.VI, apr, prov); !strings.Contains(got, "trách nhiệm của tỉnh") {
		t.Errorf("province message %q", got)
	}
	one := scoring.Stake{Metric: metric(t, "ONLINE_SUBMISSION"), Kind: scoring.StakeCounts, Need: 1,
		Counts: scoring.C(1233, 1234), Ratio: 9992, NewRatio: 10000, Lost: 1}
	if got := StakeMessage(i18n.EN, apr, one); !strings.HasPrefix(got, "1 more dossier submitted online in the month (of 1,234;") {
		t.Errorf("English message %q", got)
	}
	if got := StakeMessage(i18n.VI, scoring.MustPeriod("2024-Q2"), sub); !strings.Contains(got, "trong quý") {
		t.Errorf("quarter message %q", got)
	}
}

// English counts agree with their noun: "1 more dossier", "2 more dossiers";
// every known metric has both forms in both languages.
func TestNoun(t *testing.T) {
	known := 0
	for _, k := range i18n.Keys(i18n.EN) {
		code, ok := strings.CutPrefix(k, "metric.noun.one.")
		if !ok {
			continue
		}
		known++
		m := &scoring.Metric{Code: code}
		one, many := Noun(i18n.EN, m, 1), Noun(i18n.EN, m, 2)
		if one == many || one == "" || many == "" || strings.HasPrefix(many, "[") {
			t.Errorf("%s: one %q, many %q", code, one, many)
		}
		if vi := Noun(i18n.VI, m, 2); vi == "" || strings.HasPrefix(vi, "[") {
			t.Errorf("%s: Vietnamese %q", code, vi)
		}
	}
	if known < 20 {
		t.Errorf("only %d metrics with their nouns", known)
	}
	// A metric the catalogue does not know: its name without "Tỷ lệ".
	m := &scoring.Metric{Code: "NEW", NameVI: "Tỷ lệ mới", NameEN: "New things"}
	if got := Noun(i18n.EN, m, 1); got != "new things" {
		t.Errorf("unknown metric: %q", got)
	}
	if got := Noun(i18n.VI, m, 3); got != "mới" {
		t.Errorf("unknown metric: %q", got)
	}
}

// Every scored metric of the schemes shipped has its words: the noun of what its
// numerator counts, and the report's advice.
func TestEveryMetricHasWords(t *testing.T) {
	all, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range all.All() {
		for _, m := range s.Metrics {
			if !m.Scored() {
				continue // no points to lose, no stake, no advice
			}
			for _, key := range []string{"metric.noun." + m.Code, "metric.noun.one." + m.Code, "metric.advice." + m.Code} {
				if !i18n.Has(i18n.VI, key) || !i18n.Has(i18n.EN, key) {
					t.Errorf("scheme %s: %s has no words (%s)", s.ID, m.Code, key)
				}
			}
		}
	}
}
