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

// Shortening a unit's days is refused too while the database holds dossier
// records of it received or decided in the days taken away: the message
// names the unit, the day and how many records (nothing changed); days
// that still cover them are accepted.
func TestShorterDatesUnderDossiers(t *testing.T) {
	storetest.Run(t, testShorterDatesUnderDossiers)
}

func testShorterDatesUnderDossiers(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	units := func(sgtvt string) string {
		return datedHeader + "BK,Tỉnh Bắc Kạn,province,,,\n" + "BK.SGTVT,Sở Giao thông vận tải,agency,BK," + sgtvt + "\n"
	}
	f.load(t, "units.csv", units(","))
	f.load(t, "catalogue.csv", catalogueHeader+"2024-04,1.001234,Cấp giấy phép lái xe,BK.SGTVT,full,1,1,1\n")
	dossier := func(code, received, finished string) string {
		return "000.00.12.H05-" + code + ",BK.SGTVT,1.001234," + received + ",2024-05-30T17:00:00+07:00," + finished + ",online,1,1,1,1,0,0,1,1,0,satisfied\n"
	}
	f.load(t, "dossiers.csv", dossierHeader+
		dossier("1", "2024-04-03T09:15:00+07:00", "2024-04-08T10:00:00+07:00")+
		dossier("2", "2024-04-10T09:00:00+07:00", "2024-04-18T10:00:00+07:00")+ // decided after 15/04
		dossier("3", "2024-04-20T09:00:00+07:00", "")+ // received after 15/04, still open
		dossier("4", "2024-04-22T09:00:00+07:00", "2024-05-10T16:00:00+07:00"))

	refuseWith(t, f, "units.csv", units(",2024-04-15"),
		wantProblem{3, "valid_to", "Với ngày mới, đơn vị \"BK.SGTVT\" không còn tồn tại từ ngày 15/04/2024, nhưng cơ sở dữ liệu đã có 3 hồ sơ của đơn vị được tiếp nhận hoặc giải quyết từ ngày đó trở đi (đơn vị sẽ chỉ tồn tại đến hết ngày 14/04/2024)"})
	refuseWith(t, f, "units.csv", units("2024-04-05,2024-05-11"),
		wantProblem{3, "valid_from", "Với ngày mới, đơn vị \"BK.SGTVT\" chỉ tồn tại từ ngày 05/04/2024, nhưng cơ sở dữ liệu đã có 1 hồ sơ của đơn vị được tiếp nhận trước ngày đó"})
	// Both sides at once: a problem each (a dossier still open at the
	// new end was neither received nor decided after it).
	refuseWith(t, f, "units.csv", units("2024-04-04,2024-05-10"),
		wantProblem{3, "valid_from", "đã có 1 hồ sơ của đơn vị được tiếp nhận trước ngày đó"},
		wantProblem{3, "valid_to", "không còn tồn tại từ ngày 10/05/2024, nhưng cơ sở dữ liệu đã có 1 hồ sơ"})

	// Days that still hold every record: accepted.
	f.load(t, "units.csv", units("2024-04-03,2024-05-11"))
}

// A unit changes file ends a unit at its first change: a change that ends
// it earlier is refused while the database holds counts of it in a later
// period or dossier records received or decided from the change's day on
// (the unit, the day, how many; nothing changed); a change on a day after
// them is accepted.
func TestChangeEndingUnitUnderData(t *testing.T) {
	storetest.Run(t, testChangeEndingUnitUnderData)
}

func testChangeEndingUnitUnderData(t *testing.T, db storetest.DB) {
	f := newFixtureOn(t, db)
	f.load(t, "units.csv", datedHeader+"BK,Tỉnh Bắc Kạn,province,,,\n"+
		"BK.SGTVT,Sở Giao thông vận tải,agency,BK,,\n"+"BK.STC,Sở Tài chính,agency,BK,,\n"+"BK.SXD,Sở Xây dựng,agency,BK,,\n")
	f.load(t, "counts.csv", countsHeader+"2024-06,BK.STC,ON_TIME_PROCESSING,9,10\n")
	f.load(t, "catalogue.csv", catalogueHeader+"2024-04,1.001234,Cấp giấy phép lái xe,BK.SGTVT,full,1,1,1\n")
	f.load(t, "dossiers.csv", dossierHeader+
		"000.00.12.H05-1,BK.SGTVT,1.001234,2024-04-10T09:00:00+07:00,2024-05-30T17:00:00+07:00,2024-04-18T10:00:00+07:00,online,1,1,1,1,0,0,1,1,0,satisfied\n"+
		"000.00.12.H05-2,BK.SGTVT,1.001234,2024-04-20T09:00:00+07:00,2024-05-30T17:00:00+07:00,,online,1,1,1,1,0,0,1,1,0,satisfied\n")

	refuseWith(t, f, "changes.csv", changesHeader+"BK.STC,BK.SXD,merged,2024-05-01\n"+"BK.SGTVT,BK.SXD,merged,2024-04-15\n",
		wantProblem{2, "effective_from", "Thay đổi này làm đơn vị \"BK.STC\" kết thúc từ ngày 01/05/2024, nhưng cơ sở dữ liệu đã có số liệu hoặc kết quả công bố của đơn vị trong 1 kỳ sau ngày đó (ví dụ kỳ 2024-06)"},
		wantProblem{3, "effective_from", "Thay đổi này làm đơn vị \"BK.SGTVT\" kết thúc từ ngày 15/04/2024, nhưng cơ sở dữ liệu đã có 2 hồ sơ của đơn vị được tiếp nhận hoặc giải quyết từ ngày đó trở đi"})

	// After the data: accepted.
	f.load(t, "changes.csv", changesHeader+"BK.STC,BK.SXD,merged,2024-07-01\n"+"BK.SGTVT,BK.SXD,merged,2024-04-21\n")
}
