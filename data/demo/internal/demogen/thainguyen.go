package demogen

import (
	"fmt"
	"math"

	"scorecard/scoring"
)

// On 01/07/2025 Vietnam went from 63 provinces to 34 and from three tiers of
// local government to two. Bắc Kạn and Thái Nguyên became one province,
// Thái Nguyên; the districts were abolished and the communes merged into
// larger ones that took over most of the districts' procedures. The
// provinces' agencies had been reorganised that spring (Sở Nông nghiệp và
// Môi trường, Sở Xây dựng taking over transport, …); the demo folds that
// into the merger, so Bắc Kạn keeps its 18 agencies until 30/06/2025.
//
// The new province's units below are plausible, not an official list: the
// names are real place names of the two provinces, the groupings of old
// communes into new ones are illustrative.

// mergerDay is the day the new province and its two tiers began.
const mergerDay = "2025-07-01"

const tnProvince = "TN"

// successor is a unit of the new province with the units it came from:
// merged (all of the unit went into this one) or split (the unit was
// divided, this being one of its parts).
type successor struct {
	spec
	merged []string
	split  []string
}

// tnAgencies are Thái Nguyên's provincial agencies in the 2025 structure,
// each with the Bắc Kạn agencies it absorbed (the former Thái Nguyên's own
// agencies are not in the demo). Their dossiers are the two provinces'
// together: about four times Bắc Kạn's.
var tnAgencies = []successor{
	// Sở Lao động - Thương binh và Xã hội was divided: labour and
	// employment to Sở Nội vụ, social protection to Sở Y tế.
	{spec{Code: "TN.SNV", Name: "Sở Nội vụ", Size: 430, Procs: 178, FeeProcs: 12, Quality: 0.9}, []string{"BK.SNV"}, []string{"BK.SLDTBXH"}},
	{spec{Code: "TN.STP", Name: "Sở Tư pháp", Size: 1380, Procs: 154, FeeProcs: 42, Quality: 0.9}, []string{"BK.STP"}, nil},
	{spec{Code: "TN.STC", Name: "Sở Tài chính", Size: 720, Procs: 152, FeeProcs: 35, Quality: 0.93}, []string{"BK.STC", "BK.SKHDT"}, nil},
	{spec{Code: "TN.SCT", Name: "Sở Công Thương", Size: 760, Procs: 141, FeeProcs: 62, Quality: 0.72}, []string{"BK.SCT"}, nil},
	{spec{Code: "TN.SNNMT", Name: "Sở Nông nghiệp và Môi trường", Size: 1460, Procs: 226, FeeProcs: 91, Quality: 0.66}, []string{"BK.SNNPTNT", "BK.STNMT"}, nil},
	{spec{Code: "TN.SXD", Name: "Sở Xây dựng", Size: 2380, Procs: 172, FeeProcs: 86, Quality: 0.9}, []string{"BK.SXD", "BK.SGTVT"}, nil},
	{spec{Code: "TN.SKHCN", Name: "Sở Khoa học và Công nghệ", Size: 160, Procs: 104, FeeProcs: 26, Quality: 0.93}, []string{"BK.SKHCN", "BK.STTTT"}, nil},
	{spec{Code: "TN.SVHTTDL", Name: "Sở Văn hóa, Thể thao và Du lịch", Size: 165, Procs: 143, FeeProcs: 37, Quality: 0.93}, []string{"BK.SVHTTDL"}, nil},
	{spec{Code: "TN.SGDDT", Name: "Sở Giáo dục và Đào tạo", Size: 470, Procs: 86, FeeProcs: 11, Quality: 0.95, OnTimeAll: true}, []string{"BK.SGDDT"}, nil},
	{spec{Code: "TN.SYT", Name: "Sở Y tế", Size: 640, Procs: 196, FeeProcs: 74, Quality: 0.9}, []string{"BK.SYT"}, []string{"BK.SLDTBXH"}},
	{spec{Code: "TN.SDTTG", Name: "Sở Dân tộc và Tôn giáo", Size: 34, Procs: 22, FeeProcs: 2, Quality: 0.86}, []string{"BK.BDT"}, nil},
	{spec{Code: "TN.TTT", Name: "Thanh tra tỉnh", Size: 21, Procs: 9, FeeProcs: 0, Quality: 0.9, OnTimeAll: true}, []string{"BK.TTT"}, nil},
	// Home of the province's large industrial parks.
	{spec{Code: "TN.BQLKCN", Name: "Ban Quản lý các Khu công nghiệp", Size: 120, Procs: 46, FeeProcs: 8, Quality: 0.82}, []string{"BK.BQLKCN"}, nil},
}

// tnFromBacKan are the new communes and wards on Bắc Kạn's former
// territory, each from two to five old communes (44 → 17; the real
// province went from 108 to 37). Their size and quality follow from their
// predecessors' (tnSpecs).
var tnFromBacKan = []successor{
	{spec{Code: "TN.BACKAN", Name: "Phường Bắc Kạn"}, bk("TPBACKAN", "PHUNGCHIKIEN"), bk("TPBACKAN", "HUYENTUNG")},
	{spec{Code: "TN.DUCXUAN", Name: "Phường Đức Xuân"}, bk("TPBACKAN", "DUCXUAN", "NGUYENTHIMINHKHAI", "SONGCAU", "DUONGQUANG"), bk("TPBACKAN", "HUYENTUNG")},
	{spec{Code: "TN.BABE", Name: "Xã Ba Bể"}, bk("BABE", "NAMMAU", "KHANGNINH", "HAHIEU"), nil},
	{spec{Code: "TN.CHORA", Name: "Xã Chợ Rã"}, bk("BABE", "CHORA", "THUONGGIAO", "DIALINH"), nil},
	{spec{Code: "TN.PHUTHONG", Name: "Xã Phủ Thông"}, bk("BACHTHONG", "PHUTHONG", "TANTU", "LUCBINH"), nil},
	{spec{Code: "TN.CAMGIANG", Name: "Xã Cẩm Giàng"}, bk("BACHTHONG", "CAMGIANG", "QUANHA"), nil},
	{spec{Code: "TN.CHODON", Name: "Xã Chợ Đồn"}, bk("CHODON", "BANGLUNG", "NGOCPHAI"), nil},
	{spec{Code: "TN.NAMCUONG", Name: "Xã Nam Cường"}, bk("CHODON", "NAMCUONG", "BANTHI"), nil},
	{spec{Code: "TN.NGHIATA", Name: "Xã Nghĩa Tá"}, bk("CHODON", "NGHIATA", "DONGLAC"), nil},
	{spec{Code: "TN.CHOMOI", Name: "Xã Chợ Mới"}, bk("CHOMOI", "DONGTAM", "YENDINH"), nil},
	{spec{Code: "TN.THANHTHINH", Name: "Xã Thanh Thịnh"}, bk("CHOMOI", "THANHTHINH", "NHUCO", "QUANGCHU"), nil},
	{spec{Code: "TN.NARI", Name: "Xã Na Rì"}, bk("NARI", "YENLAC", "KIMLU", "LUONGTHUONG"), nil},
	{spec{Code: "TN.VANLANG", Name: "Xã Văn Lang"}, bk("NARI", "VANLANG", "CONMINH", "CULE"), nil},
	{spec{Code: "TN.NAPHAC", Name: "Xã Nà Phặc"}, bk("NGANSON", "NAPHAC", "THUONGQUAN", "COCDAN"), nil},
	{spec{Code: "TN.NGANSON", Name: "Xã Ngân Sơn"}, bk("NGANSON", "VANTUNG", "BANGVAN"), nil},
	{spec{Code: "TN.BANGTHANH", Name: "Xã Bằng Thành"}, bk("PACNAM", "BANGTHANH", "BOCBO", "COLINH"), nil},
	{spec{Code: "TN.NGHIENLOAN", Name: "Xã Nghiên Loan"}, bk("PACNAM", "NGHIENLOAN", "ANTHANG"), nil},
}

// bk names old communes of one Bắc Kạn district by their own codes.
func bk(district string, communes ...string) []string {
	out := make([]string, len(communes))
	for i, c := range communes {
		out[i] = province + "." + district + "." + c
	}
	return out
}

// tnFormer are communes and wards of the former Thái Nguyên, whose
// predecessors the demo does not hold: busier and further along than Bắc
// Kạn's, the city's wards most of all.
var tnFormer = []spec{
	tnCommune("PHANDINHPHUNG", "Phường Phan Đình Phùng", 1320, 0.82),
	tnCommune("LINHSON", "Phường Linh Sơn", 860, 0.74),
	tnCommune("TICHLUONG", "Phường Tích Lương", 940, 0.78),
	tnCommune("GIASANG", "Phường Gia Sàng", 910, 0.7),
	tnCommune("QUYETTHANG", "Phường Quyết Thắng", 1050, 0.8),
	tnCommune("QUANTRIEU", "Phường Quan Triều", 830, 0.66),
	tnCommune("SONGCONG", "Phường Sông Công", 900, 0.72),
	tnCommune("BAXUYEN", "Phường Bá Xuyên", 610, 0.6),
	tnCommune("BACHQUANG", "Phường Bách Quang", 650, 0.63),
	tnCommune("PHOYEN", "Phường Phổ Yên", 1010, 0.76),
	tnCommune("VANXUAN", "Phường Vạn Xuân", 720, 0.64),
	tnCommune("TRUNGTHANH", "Phường Trung Thành", 690, 0.61),
	tnCommune("PHUCTHUAN", "Phường Phúc Thuận", 560, 0.52),
	tnCommune("DAITU", "Xã Đại Từ", 640, 0.58),
	tnCommune("DUCLUONG", "Xã Đức Lương", 380, 0.42),
	tnCommune("PHULAC", "Xã Phú Lạc", 410, 0.45),
	tnCommune("QUANCHU", "Xã Quân Chu", 360, 0.4),
	tnCommune("DINHHOA", "Xã Định Hóa", 560, 0.5),
	tnCommune("PHUBINH", "Xã Phú Bình", 620, 0.55),
	tnCommune("DONGHY", "Xã Đồng Hỷ", 540, 0.53),
	tnCommune("LAHIEN", "Xã La Hiên", 400, 0.38),
	tnCommune("VONHAI", "Xã Võ Nhai", 450, 0.36),
	tnCommune("PHULUONG", "Xã Phú Lương", 580, 0.56),
}

// New communes handle most of the abolished districts' procedures: their
// catalogue is more than twice an old commune's.
const tnCommuneProcs, tnCommuneFees = 268, 61

func tnCommune(code, name string, size, q float64) spec {
	return spec{Code: tnProvince + "." + code, Name: name, Size: size, Quality: q}
}

// tnSpecs lists every unit of Thái Nguyên in file order: the province, its
// agencies, the communes on Bắc Kạn's former territory, then the former
// Thái Nguyên's. Every commune hangs under the province: there are no
// districts any more.
func tnSpecs() ([]spec, error) {
	old := map[string]spec{}
	var districtOf = map[string]spec{}
	communesOf := map[string]float64{} // a district's communes' total size
	for _, s := range allSpecs() {
		old[s.Code] = s
		if s.Kind == scoring.KindCommune {
			communesOf[s.Parent] += s.Size
		}
	}
	for _, s := range old {
		if s.Kind == scoring.KindCommune {
			districtOf[s.Code] = old[s.Parent]
		}
	}
	out := []spec{{Code: tnProvince, Name: "Tỉnh Thái Nguyên", Kind: scoring.KindProvince}}
	for _, a := range tnAgencies {
		s := a.spec
		s.Kind, s.Parent = scoring.KindAgency, tnProvince
		out = append(out, s)
	}
	// Each old commune's dossiers go to its successors (halved between the
	// two parts of a divided one), with its share of its district's own,
	// whose procedures the communes took over.
	parts := map[string]int{}
	for _, c := range tnFromBacKan {
		for _, p := range c.split {
			parts[p]++
		}
	}
	for _, c := range tnFromBacKan {
		s := c.spec
		var size, weighted float64
		for _, p := range append(append([]string(nil), c.merged...), c.split...) {
			o, ok := old[p]
			if !ok || o.Kind != scoring.KindCommune {
				return nil, fmt.Errorf("demogen: %s: predecessor %s is not a Bắc Kạn commune", s.Code, p)
			}
			share := 1.0
			if n := parts[p]; n > 0 {
				share = 1 / float64(n)
			}
			d := districtOf[p]
			sz := share * (o.Size + d.Size*o.Size/communesOf[d.Code])
			size += sz
			weighted += sz * o.Quality
		}
		// Larger communes with more staff, a year further along.
		s.Size = math.Round(size)
		s.Quality = math.Round(100*min(0.85, weighted/size+0.1)) / 100
		out = append(out, s)
	}
	out = append(out, tnFormer...)
	for i := range out {
		out[i].ValidFrom = mergerDay
		if out[i].Kind == "" {
			out[i].Kind, out[i].Parent = scoring.KindCommune, tnProvince
			out[i].Procs, out[i].FeeProcs = tnCommuneProcs, tnCommuneFees
		}
	}
	return out, nil
}

// changeRow is one row of the unit changes file.
type changeRow struct{ code, successor, kind string }

// tnChanges lists how Bắc Kạn's units became Thái Nguyên's, in the order
// of Bắc Kạn's units file: the province merged into Thái Nguyên, each
// agency and commune into its successor (a divided one into each part).
// The districts have no successor: they were abolished, not merged.
func tnChanges() []changeRow {
	to := map[string][]changeRow{}
	for _, list := range [][]successor{tnAgencies, tnFromBacKan} {
		for _, s := range list {
			for _, p := range s.merged {
				to[p] = append(to[p], changeRow{p, s.Code, string(scoring.ChangeMerged)})
			}
			for _, p := range s.split {
				to[p] = append(to[p], changeRow{p, s.Code, string(scoring.ChangeSplit)})
			}
		}
	}
	out := []changeRow{{province, tnProvince, string(scoring.ChangeMerged)}}
	for _, s := range allSpecs() {
		out = append(out, to[s.Code]...)
	}
	return out
}
