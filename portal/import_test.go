package portal_test

import (
	"context"
	"errors"
	"testing"

	"scorecard/data"
	"scorecard/i18n"
	"scorecard/internal/storetest"
	"scorecard/models"
	"scorecard/portal"
	"scorecard/scoring"
	"scorecard/store"
)

func openStore(t testing.TB) *store.Store {
	t.Helper()
	return storetest.SQLite.Open(t)
}

func importer(t testing.TB, st *store.Store) *portal.Importer {
	t.Helper()
	s, err := data.DefaultSchemes()
	if err != nil {
		t.Fatal(err)
	}
	return portal.NewImporter(st, s)
}

func mustImport(t testing.TB, im *portal.Importer, path string) *portal.Report {
	t.Helper()
	rep, err := im.ImportCapture(context.Background(), path, models.SourceCLI)
	if err != nil {
		var pe *portal.ProblemsError
		if errors.As(err, &pe) {
			for _, l := range pe.Lines(i18n.EN) {
				t.Log(l)
			}
		}
		t.Fatal(err)
	}
	return rep
}

func TestImportCapture(t *testing.T) {
	st := openStore(t)
	im := importer(t, st)
	rep := mustImport(t, im, fixture)
	t.Log(rep.Text(i18n.VI))
	t.Log(rep.Text(i18n.EN))
	rep2 := mustImport(t, im, fixture)
	if !rep2.Already {
		t.Errorf("second import: %+v", rep2)
	}
}

func TestImportMapsFieldsExactly(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	mustImport(t, importer(t, st), fixture)
	ds, err := st.Dataset(ctx)
	if err != nil {
		t.Fatal(err)
	}
	get := func(unit, metric string) (scoring.Counts, bool) {
		c, ok := ds.Own[scoring.Key{Period: "2026-08", Unit: unit, Metric: metric}]
		return c, ok
	}
	for _, tc := range []struct {
		unit, metric string
		want         scoring.Counts
	}{
		{"H90", "ON_TIME_PROCESSING", scoring.C(8621, 9893)},        // totalOnTime / totalReceived
		{"H90", "ONLINE_SERVICE_PROVISION", scoring.C(31+21, 56)},   // partialCount + fullCount / authorityCount
		{"H90", "ONLINE_SERVICE_USAGE", scoring.C(406, 1968)},       // onlineDossierCount / onlineServiceTotal
		{"H90", "ONLINE_SUBMISSION", scoring.C(8956, 9893)},         // channelOnlineSum / channelTotalSum
		{"H90.101", "PAYMENT_FORMALITY_ENABLED", scoring.C(7, 35)},  // totalFeeDossierFormality / totalFeeFormality
		{"H90.101", "PAYMENT_FORMALITY_USED", scoring.C(12, 35)},    // …FormalityPaymentSuccess / …FormalityDistinct
		{"H90.101", "ONLINE_PAYMENT_DOSSIERS", scoring.C(295, 377)}, // …OnlinePaymentSuccess / …FinancialObligation
		{"H90.07", "PUBLISH_ON_TIME", scoring.C(0, 0)},              // 0 and 0 are counts
		{"H90.103", "DOSSIER_SYNC", scoring.C(0, 0)},                // with NO_NATIONAL_REPORT_DATA
		{"H90.12", "DOSSIER_RECEIVING_SATISFACTION", scoring.C(1188, 1207)},
		{"H90.45", "CITIZEN_DATA_CONNECTED_FORMALITY", scoring.C(42, 385)},
		{"H90.102", "PETITION_CLASSIFICATION_STAFF", scoring.C(5, 16)},
		{"H90.07", "ELECTRONIC_CERTIFIED_COPY", scoring.Counts{}}, // null is not 0: "no counts"
	} {
		got, ok := get(tc.unit, tc.metric)
		if !ok || got != tc.want {
			t.Errorf("%s %s = %+v (stored %v), want %+v", tc.unit, tc.metric, got, ok, tc.want)
		}
	}
	// A child's online services come as a group score only: no counts.
	for _, m := range []string{"ONLINE_SERVICE_PROVISION", "ONLINE_SERVICE_USAGE", "ONLINE_SUBMISSION"} {
		if c, ok := get("H90.07", m); ok {
			t.Errorf("H90.07 %s has counts %+v; the portal gave none", m, c)
		}
	}

	units, err := st.UnitCodes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for code, want := range map[string]string{"H90": "province", "H90.07": "agency", "H90.45": "agency", "H90.101": "commune", "H90.103": "commune"} {
		u := units[code]
		if u.Kind != want || (want != "province") != (u.Parent() == "H90") || u.PortalID == nil {
			t.Errorf("unit %s: kind %q parent %q id %v", code, u.Kind, u.Parent(), u.PortalID)
		}
	}
	if u := units["H90.12"]; u.Name != "Sở Tư pháp - Tỉnh Sông Lam" || *u.PortalID != "019d2c41-7a3f-7d01-8c11-1a2b3c4d5e02" {
		t.Errorf("H90.12 = %+v", u)
	}

	off, err := st.OfficialScores(ctx, "2026-08")
	if err != nil {
		t.Fatal(err)
	}
	byKey := map[string]store.OfficialScore{}
	for _, o := range off {
		byKey[o.UnitCode+" "+o.Item] = o
	}
	cents := func(o store.OfficialScore) string {
		if o.Score == nil {
			return "null"
		}
		return o.Score.String()
	}
	for key, want := range map[string]string{
		"H90.07 DVCTT":                         "6.45", // official only
		"H90.101 TTTT":                         "6.06",
		"H90.101 ONLINE_PAYMENT_DOSSIERS":      "", // tree metrics carry no score of their own
		"H90 CKMB":                             "7.96",
		"H90.07 PUBLISH_ON_TIME":               "null", // published without a score
		"H90.12 ELECTRONIC_CERTIFIED_COPY":     "2.00",
		"H90.102 PETITION_CLASSIFICATION_TTHC": "null",
		"H90.45 REUSED_DIGITIZED_DATA":         "0.00",
		"H90 TDGQ":                             "17.43",
	} {
		o, ok := byKey[key]
		switch {
		case want == "" && ok && o.Score != nil:
			t.Errorf("%s has a score %s", key, cents(o))
		case want != "" && !ok:
			t.Errorf("%s not stored", key)
		case want != "" && cents(o) != want:
			t.Errorf("%s = %s, want %s", key, cents(o), want)
		}
	}
	if o := byKey["H90.103 DOSSIER_SYNC"]; o.Quality != "NO_NATIONAL_REPORT_DATA" || o.QualityMessage == "" || o.GroupCode != "CKMB" {
		t.Errorf("quality flag of H90.103 DOSSIER_SYNC: %+v", o)
	}
	if o := byKey["H90.07 DOSSIER_SYNC"]; o.Quality != "TEMP_NATIONAL_REPORT_DENOMINATOR" {
		t.Errorf("quality flag of H90.07 DOSSIER_SYNC: %+v", o)
	}
	if o := byKey["H90.07 DVCTT"]; !o.IsGroup || o.Max == nil || *o.Max != 1200 {
		t.Errorf("H90.07 DVCTT: %+v", o)
	}
}

func TestReimportChangesNothing(t *testing.T) {
	ctx := context.Background()
	st := openStore(t)
	im := importer(t, st)
	first := mustImport(t, im, fixture)
	v1, _ := st.DataVersion(ctx)
	again := mustImport(t, im, zipOf(t, fixture))
	v2, _ := st.DataVersion(ctx)
	imports, _ := st.Imports(ctx, 0)
	if !again.Already || again.ImportID != first.ImportID || v1 != v2 || len(imports) != 1 {
		t.Errorf("re-import: %+v, version %d → %d, %d imports", again.PortalResult, v1, v2, len(imports))
	}
}
