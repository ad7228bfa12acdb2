package demogen

import "scorecard/scoring"

// spec is one unit of the demo province and the profile its counts are drawn
// from. The numbers are plausible for Bắc Kạn, not real: the province's
// offices publish scores, not the monthly counts behind them.
type spec struct {
	Code, Name string
	Kind       scoring.UnitKind
	Parent     string
	// ValidFrom and ValidTo are the days the unit exists, ISO dates of
	// the units file ("" leaves that side open).
	ValidFrom, ValidTo string
	// Size is the number of dossiers received in an ordinary month.
	Size float64
	// Procs is the size of the unit's procedure catalogue; FeeProcs how many
	// of them carry a fee (0 for an office whose procedures are all free,
	// which then earns nothing in the payment group: the no-data rule is 0).
	Procs, FeeProcs int
	// Quality in [0, 1] places every ratio between the kind's floor and
	// ceiling (see models in demogen.go).
	Quality float64
	// The story of April 2024 (the seed article): the band the unit must end in,
	// every dossier on time, no online dossier at all.
	Band      string
	OnTimeAll bool
	NoOnline  bool
}

// Band codes of the default scheme.
const (
	bandXuatSac   = "xuat_sac"
	bandTot       = "tot"
	bandTrungBinh = "trung_binh"
)

const province = "BK"

// agencies are the 18 provincial agencies (sở, ban, ngành) of Bắc Kạn.
var agencies = []spec{
	{Code: "BK.SNV", Name: "Sở Nội vụ", Size: 34, Procs: 96, FeeProcs: 6, Quality: 0.93, Band: bandXuatSac},
	{Code: "BK.STP", Name: "Sở Tư pháp", Size: 410, Procs: 152, FeeProcs: 41, Quality: 0.92, Band: bandXuatSac},
	{Code: "BK.SKHDT", Name: "Sở Kế hoạch và Đầu tư", Size: 165, Procs: 118, FeeProcs: 32, Quality: 0.94, Band: bandXuatSac},
	{Code: "BK.STC", Name: "Sở Tài chính", Size: 26, Procs: 46, FeeProcs: 4, Quality: 0.95, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.SCT", Name: "Sở Công Thương", Size: 190, Procs: 139, FeeProcs: 61, Quality: 0.62, Band: bandTot},
	{Code: "BK.SNNPTNT", Name: "Sở Nông nghiệp và Phát triển nông thôn", Size: 112, Procs: 131, FeeProcs: 44, Quality: 0.60, Band: bandTot},
	{Code: "BK.SGTVT", Name: "Sở Giao thông vận tải", Size: 640, Procs: 124, FeeProcs: 68, Quality: 0.93, Band: bandXuatSac},
	{Code: "BK.SXD", Name: "Sở Xây dựng", Size: 46, Procs: 61, FeeProcs: 24, Quality: 0.95, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.STNMT", Name: "Sở Tài nguyên và Môi trường", Size: 285, Procs: 108, FeeProcs: 52, Quality: 0.58, Band: bandTot},
	{Code: "BK.STTTT", Name: "Sở Thông tin và Truyền thông", Size: 23, Procs: 49, FeeProcs: 12, Quality: 0.94, Band: bandXuatSac},
	{Code: "BK.SLDTBXH", Name: "Sở Lao động - Thương binh và Xã hội", Size: 138, Procs: 126, FeeProcs: 9, Quality: 0.94, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.SVHTTDL", Name: "Sở Văn hóa, Thể thao và Du lịch", Size: 41, Procs: 141, FeeProcs: 36, Quality: 0.95, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.SKHCN", Name: "Sở Khoa học và Công nghệ", Size: 19, Procs: 58, FeeProcs: 15, Quality: 0.95, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.SGDDT", Name: "Sở Giáo dục và Đào tạo", Size: 118, Procs: 84, FeeProcs: 11, Quality: 0.96, Band: bandXuatSac, OnTimeAll: true},
	{Code: "BK.SYT", Name: "Sở Y tế", Size: 128, Procs: 158, FeeProcs: 71, Quality: 0.92, Band: bandXuatSac},
	// Thanh tra tỉnh handles complaints and denunciations: a handful of
	// dossiers, none with a fee, so the payment group has no data and scores
	// 0 (the scheme's no-data rule): it tops out at 86,99.
	{Code: "BK.TTT", Name: "Thanh tra tỉnh", Size: 7, Procs: 9, FeeProcs: 0, Quality: 0.93, Band: bandTot, OnTimeAll: true},
	// The two boards take walk-in dossiers only (no online dossier: 10 points
	// of the online-services group lost); online payment of those walk-in
	// dossiers keeps them "Tốt".
	{Code: "BK.BQLKCN", Name: "Ban Quản lý các Khu công nghiệp", Size: 13, Procs: 44, FeeProcs: 8, Quality: 0.92, Band: bandTot, NoOnline: true},
	{Code: "BK.BDT", Name: "Ban Dân tộc", Size: 12, Procs: 14, FeeProcs: 2, Quality: 0.92, Band: bandTot, NoOnline: true},
}

// district is a district with its communes (a realistic subset of each
// district's communes, wards and towns).
type district struct {
	spec
	communes []spec
}

func commune(code, name string, size float64, q float64) spec {
	return spec{Code: code, Name: name, Size: size, Procs: 106, FeeProcs: 23, Quality: q}
}

var districts = []district{
	{spec{Code: "BK.TPBACKAN", Name: "Thành phố Bắc Kạn", Size: 520, Procs: 262, FeeProcs: 64, Quality: 0.76, Band: bandTot}, []spec{
		commune("DUCXUAN", "Phường Đức Xuân", 460, 0.55),
		commune("SONGCAU", "Phường Sông Cầu", 420, 0.48),
		commune("NGUYENTHIMINHKHAI", "Phường Nguyễn Thị Minh Khai", 380, 0.33),
		commune("PHUNGCHIKIEN", "Phường Phùng Chí Kiên", 350, 0.28),
		commune("HUYENTUNG", "Phường Huyền Tụng", 260, 0.23),
		commune("DUONGQUANG", "Xã Dương Quang", 170, 0.15),
	}},
	{spec{Code: "BK.BABE", Name: "Huyện Ba Bể", Size: 380, Procs: 251, FeeProcs: 60, Quality: 0.68, Band: bandTot}, []spec{
		commune("CHORA", "Thị trấn Chợ Rã", 390, 0.42),
		commune("HAHIEU", "Xã Hà Hiệu", 210, 0.13),
		commune("NAMMAU", "Xã Nam Mẫu", 150, 0.05),
		commune("KHANGNINH", "Xã Khang Ninh", 190, 0.09),
		commune("THUONGGIAO", "Xã Thượng Giáo", 200, 0.11),
		commune("DIALINH", "Xã Địa Linh", 180, 0.06),
	}},
	{spec{Code: "BK.BACHTHONG", Name: "Huyện Bạch Thông", Size: 300, Procs: 248, FeeProcs: 58, Quality: 0.66, Band: bandTot}, []spec{
		commune("PHUTHONG", "Thị trấn Phủ Thông", 330, 0.25),
		commune("CAMGIANG", "Xã Cẩm Giàng", 200, 0.13),
		commune("QUANHA", "Xã Quân Hà", 170, 0.10),
		commune("LUCBINH", "Xã Lục Bình", 160, 0.08),
		commune("TANTU", "Xã Tân Tú", 150, 0.05),
	}},
	{spec{Code: "BK.CHODON", Name: "Huyện Chợ Đồn", Size: 420, Procs: 255, FeeProcs: 61, Quality: 0.70, Band: bandTot}, []spec{
		commune("BANGLUNG", "Thị trấn Bằng Lũng", 410, 0.44),
		commune("NGOCPHAI", "Xã Ngọc Phái", 220, 0.14),
		commune("NAMCUONG", "Xã Nam Cường", 190, 0.09),
		commune("BANTHI", "Xã Bản Thi", 150, 0.05),
		commune("NGHIATA", "Xã Nghĩa Tá", 170, 0.07),
		commune("DONGLAC", "Xã Đồng Lạc", 180, 0.11),
	}},
	{spec{Code: "BK.CHOMOI", Name: "Huyện Chợ Mới", Size: 350, Procs: 250, FeeProcs: 59, Quality: 0.67, Band: bandTot}, []spec{
		commune("DONGTAM", "Thị trấn Đồng Tâm", 380, 0.27),
		commune("THANHTHINH", "Xã Thanh Thịnh", 230, 0.15),
		commune("YENDINH", "Xã Yên Đĩnh", 200, 0.10),
		commune("NHUCO", "Xã Như Cố", 180, 0.08),
		commune("QUANGCHU", "Xã Quảng Chu", 190, 0.12),
	}},
	{spec{Code: "BK.NARI", Name: "Huyện Na Rì", Size: 330, Procs: 249, FeeProcs: 58, Quality: 0.65, Band: bandTot}, []spec{
		commune("YENLAC", "Thị trấn Yến Lạc", 360, 0.24),
		commune("KIMLU", "Xã Kim Lư", 200, 0.10),
		commune("LUONGTHUONG", "Xã Lương Thượng", 170, 0.06),
		commune("VANLANG", "Xã Văn Lang", 160, 0.05),
		commune("CONMINH", "Xã Côn Minh", 150, 0.05),
		commune("CULE", "Xã Cư Lễ", 140, 0.05),
	}},
	{spec{Code: "BK.NGANSON", Name: "Huyện Ngân Sơn", Size: 260, Procs: 246, FeeProcs: 57, Quality: 0.64, Band: bandTot}, []spec{
		commune("NAPHAC", "Thị trấn Nà Phặc", 320, 0.22),
		commune("VANTUNG", "Xã Vân Tùng", 210, 0.11),
		commune("BANGVAN", "Xã Bằng Vân", 160, 0.05),
		commune("THUONGQUAN", "Xã Thượng Quan", 150, 0.05),
		commune("COCDAN", "Xã Cốc Đán", 140, 0.05),
	}},
	// Pác Nặm, the most remote district, is the one "Trung bình".
	{spec{Code: "BK.PACNAM", Name: "Huyện Pác Nặm", Size: 210, Procs: 244, FeeProcs: 56, Quality: 0.12, Band: bandTrungBinh}, []spec{
		commune("BOCBO", "Xã Bộc Bố", 260, 0.09),
		commune("NGHIENLOAN", "Xã Nghiên Loan", 150, 0.05),
		commune("BANGTHANH", "Xã Bằng Thành", 140, 0.05),
		commune("COLINH", "Xã Cổ Linh", 130, 0.05),
		commune("ANTHANG", "Xã An Thắng", 120, 0.05),
	}},
}

// allSpecs lists every unit of Bắc Kạn in file order: the province, its
// agencies, then each district followed by its communes.
func allSpecs() []spec {
	out := []spec{{Code: province, Name: "Tỉnh Bắc Kạn", Kind: scoring.KindProvince}}
	for _, a := range agencies {
		a.Kind, a.Parent = scoring.KindAgency, province
		out = append(out, a)
	}
	for _, d := range districts {
		ds := d.spec
		ds.Kind, ds.Parent = scoring.KindDistrict, province
		out = append(out, ds)
		for _, c := range d.communes {
			c.Code = ds.Code + "." + c.Code
			c.Kind, c.Parent = scoring.KindCommune, ds.Code
			out = append(out, c)
		}
	}
	// Every unit of Bắc Kạn ends with the province on 01/07/2025: it
	// merged into Thái Nguyên, the districts were abolished, its communes
	// merged into larger ones and its agencies into Thái Nguyên's.
	for i := range out {
		out[i].ValidTo = mergerDay
	}
	return out
}
