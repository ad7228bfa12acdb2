package importer

import (
	"strings"
	"testing"

	"scorecard/internal/storetest"
)

// Shortening a unit's days is refused while the database holds counts or
// published results of it in a period the new days leave out (a clear
// message, nothing changed); days that still cover them are accepted.
func TestShorterDatesUnderExistingData(t *testing.T) {
	storetest.Run(t, testShorterDatesUnderExistingData)
}

func testShorterDatesUnderExistingData(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", mergerUnits)
	f.load(t, "changes.csv", mergerChanges)
	f.load(t, "counts.csv", countsHeader+
		"2023-12,BK.BABE.CHORA,ON_TIME_PROCESSING,9,10\n"+
		"2025-06,BK.BABE.CHORA,ON_TIME_PROCESSING,9,10\n")
	f.load(t, "official.csv", "period,unit_code,total,rank,rank_of\n2023-06,BK,75.35,17,63\n")

	shorter := strings.NewReplacer(
		"BK,Tỉnh Bắc Kạn,province,,,2025-07-01", "BK,Tỉnh Bắc Kạn,province,,2024-01-01,2025-07-01",
		"BK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE,,2025-07-01", "BK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE,2024-01-01,2025-07-01",
	).Replace(mergerUnits)
	refuseWith(t, f, "units.csv", shorter,
		wantProblem{2, "valid_from", "Với ngày mới, đơn vị \"BK\" chỉ tồn tại từ ngày 01/01/2024 đến hết ngày 30/06/2025, nhưng cơ sở dữ liệu đã có số liệu hoặc kết quả công bố của đơn vị trong 1 kỳ ngoài thời gian đó (ví dụ kỳ 2023-06)"},
		// Its agency and district, from before 2024, no longer fit in it.
		wantProblem{3, "parent_code", "Đơn vị cấp trên \"BK\""},
		wantProblem{4, "parent_code", "Đơn vị cấp trên \"BK\""},
		wantProblem{5, "valid_from", "đơn vị \"BK.BABE.CHORA\" chỉ tồn tại từ ngày 01/01/2024 đến hết ngày 30/06/2025"})

	// The counts of 2023-12 stay covered from 2023-12-01 on: accepted.
	f.load(t, "units.csv", strings.Replace(mergerUnits,
		"BK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE,,2025-07-01", "BK.BABE.CHORA,Thị trấn Chợ Rã,commune,BK.BABE,2023-12-15,2025-07-01", 1))
}
