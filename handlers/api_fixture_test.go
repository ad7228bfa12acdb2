package handlers

import "scorecard/scoring"

// xssName is a unit name that must come back as a JSON string, never as
// markup.
const xssName = `<script>alert("x")</script> & Sở "Thử"`

// fixture is the data the API tests read:
//
//   - Bắc Kạn (BK): monthly counts of ON_TIME_PROCESSING for three agencies
//     in 2024-03 and 2024-04; Sở Y tế has none; a district and a commune
//     without data.
//   - Gia Lai (H21): the worked example of scoring.md §3 for "Sở Văn hóa,
//     Thể thao và Du lịch" in period 2026, province-level metrics on the
//     province row, and a second agency with one metric.
//
// Hand-computed totals (scoring.md §3): an agency with only
// ON_TIME_PROCESSING n/d scores 20·n/d, plus 2 for ELECTRONIC_CERTIFIED_COPY
// and 6 + 6 for the two petition metrics (no-data rule "full"):
// 20/20 → 34.00, 15/20 → 29.00, 10/20 → 24.00, 1/20 → 15.00.
func fixture() *scoring.Dataset {
	ds := &scoring.Dataset{
		Units: []scoring.Unit{
			{Code: "BK", Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince},
			{Code: "BK.SGTVT", Name: "Sở Giao thông vận tải", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.STC", Name: "Sở Tài chính", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.SYT", Name: "Sở Y tế", Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.XSS", Name: xssName, Kind: scoring.KindAgency, ParentCode: "BK"},
			{Code: "BK.BABE", Name: "Huyện Ba Bể", Kind: scoring.KindDistrict, ParentCode: "BK"},
			{Code: "BK.BABE.CHOREN", Name: "Xã Chợ Rã", Kind: scoring.KindCommune, ParentCode: "BK.BABE"},
			{Code: "H21", Name: "Tỉnh Gia Lai", Kind: scoring.KindProvince},
			{Code: "H21.17", Name: "Sở Văn hóa, Thể thao và Du lịch", Kind: scoring.KindAgency, ParentCode: "H21"},
			{Code: "H21.05", Name: "Sở Nội vụ", Kind: scoring.KindAgency, ParentCode: "H21"},
		},
		Own: map[scoring.Key]scoring.Counts{},
	}
	own := func(period, unit, metric string, c scoring.Counts) {
		ds.Own[scoring.Key{Period: period, Unit: unit, Metric: metric}] = c
	}
	own("2024-03", "BK.SGTVT", "ON_TIME_PROCESSING", scoring.C(10, 20))
	own("2024-03", "BK.STC", "ON_TIME_PROCESSING", scoring.C(20, 20))
	own("2024-04", "BK.SGTVT", "ON_TIME_PROCESSING", scoring.C(20, 20))
	own("2024-04", "BK.STC", "ON_TIME_PROCESSING", scoring.C(15, 20))
	own("2024-04", "BK.XSS", "ON_TIME_PROCESSING", scoring.C(1, 20))

	// scoring.md §3, worked example. Province-level metrics are on the
	// province's row and inherited by its agencies.
	own("2026", "H21", "PUBLISH_ON_TIME", scoring.C(1, 47))
	own("2026", "H21", "PUBLIC_UPDATE_ON_TIME", scoring.C(43, 47))
	own("2026", "H21", "PUBLIC_CONTENT_FULL", scoring.C(47, 47))
	u := "H21.17"
	own("2026", u, "ON_TIME_PROCESSING", scoring.C(653, 654))
	own("2026", u, "DOSSIER_SYNC", scoring.C(547, 547))
	own("2026", u, "ORIGINAL_RESULT_AVAILABLE", scoring.C(610, 654))
	own("2026", u, "SO_HOA_GIAY_TO_GIAI_QUYET", scoring.C(603, 654))
	own("2026", u, "REUSED_DIGITIZED_DATA", scoring.C(636, 654))
	own("2026", u, "SYNCED_WITH_DVCQG_PERSONAL_STORAGE", scoring.C(0, 654))
	own("2026", u, "CITIZEN_DATA_CONNECTED_DOSSIER", scoring.C(220, 654))
	own("2026", u, "CITIZEN_DATA_CONNECTED_FORMALITY", scoring.C(16, 147))
	own("2026", u, "ELECTRONIC_CERTIFIED_COPY", scoring.Counts{}) // a row with both cells empty
	own("2026", u, "DOSSIER_RECEIVING_SATISFACTION", scoring.C(653, 654))
	own("2026", u, "PETITION_PROCESSING_ON_TIME", scoring.C(0, 0))
	own("2026", u, "PETITION_HANDLING_SATISFACTION", scoring.C(0, 0))
	// The table does not give the DVCTT and TTTT counts, only the portal's
	// group scores (6.72 and 8.61). These counts are made up to reach them,
	// so that the total can be checked against the published 79.27:
	// DVCTT 2 + 4 + 6·(39/654)/0.5 = 2 + 4 + 0.72; TTTT 2 + 2 + 6·76.83 % =
	// 2 + 2 + 4.61 (percent_first: 461/600 = 76.83 %).
	own("2026", u, "ONLINE_SERVICE_PROVISION", scoring.C(150, 150))
	own("2026", u, "ONLINE_SERVICE_USAGE", scoring.C(40, 40))
	own("2026", u, "ONLINE_SUBMISSION", scoring.C(39, 654))
	own("2026", u, "PAYMENT_FORMALITY_ENABLED", scoring.C(30, 30))
	own("2026", u, "PAYMENT_FORMALITY_USED", scoring.C(30, 30))
	own("2026", u, "ONLINE_PAYMENT_DOSSIERS", scoring.C(461, 600))
	// Sở Nội vụ: ON_TIME 1/2 → 10.00, inherited CKMB 0.13 + 3.66 + 2.00,
	// 2 + 12 from the "full" no-data rules: 29.79.
	own("2026", "H21.05", "ON_TIME_PROCESSING", scoring.C(1, 2))
	return ds
}
