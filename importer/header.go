package importer

import (
	"fmt"
	"strings"

	"scorecard/models"
)

// fileKind is one format of formats.md, known by its columns.
type fileKind struct {
	name      string // models.ImportUnits, …
	labelVI   string
	labelEN   string
	cols      []string
	supported bool
}

var fileKinds = []fileKind{
	{models.ImportUnits, "danh sách đơn vị", "units", []string{"code", "name", "kind", "parent_code"}, true},
	{models.ImportCounts, "số liệu chỉ số", "metric counts", []string{"period", "unit_code", "metric", "numerator", "denominator"}, true},
	// Optional: the results the national portal published, for the
	// report's national rank (official.go).
	{models.ImportOfficial, "kết quả công bố trên Cổng Dịch vụ công quốc gia", "published national results",
		[]string{"period", "unit_code", "total", "rank", "rank_of"}, true},
	{models.ImportCatalogue, "danh mục thủ tục hành chính", "procedure catalogue",
		[]string{"period", "procedure_code", "name", "unit_code", "online_level", "has_fee", "individual_applicant", "citizen_data_connected"}, false},
	{models.ImportDossiers, "hồ sơ thủ tục hành chính", "dossier records",
		[]string{"dossier_code", "unit_code", "procedure_code", "received_at", "due_at", "finished_at", "channel", "fee_required",
			"paid_online", "e_result", "digitized", "reused_data", "personal_store", "citizen_data", "synced", "supplement_requests", "rating"}, false},
}

// normHeader: header names are matched without surrounding spaces and
// without regard to case ("Period" is period); a BOM that a spreadsheet
// kept as a character is dropped. Codes in the data stay case-sensitive.
func normHeader(s string) string {
	return strings.ToLower(clean(strings.TrimPrefix(s, "\uFEFF")))
}

// recognise picks the kind whose columns the header shares most (then
// proportionally most); nil when fewer than two columns match or two kinds
// tie, which is what a missing header row (data in row 1) looks like.
func recognise(header []string) *fileKind {
	have := map[string]bool{}
	for _, h := range header {
		have[normHeader(h)] = true
	}
	var best *fileKind
	bestN, tie := 0, false
	for i := range fileKinds {
		k := &fileKinds[i]
		n := 0
		for _, c := range k.cols {
			if have[c] {
				n++
			}
		}
		switch {
		case best == nil || n > bestN || (n == bestN && n*len(best.cols) > bestN*len(k.cols)):
			best, bestN, tie = k, n, false
		case n == bestN && n*len(best.cols) == bestN*len(k.cols):
			tie = true
		}
	}
	if bestN < 2 || tie {
		return nil
	}
	return best
}

// columns maps the kind's column names to their index in the header,
// reporting duplicated, unknown, unnamed and missing columns.
func columns(t *table, k *fileKind, ps *problems) map[string]int {
	want := map[string]bool{}
	for _, c := range k.cols {
		want[c] = true
	}
	idx := map[string]int{}
	for i, h := range t.header {
		name := normHeader(h)
		switch {
		case name == "":
			// An unnamed column is harmless when it is empty all the
			// way down (a spreadsheet's stray formatting); otherwise its
			// data would be silently dropped.
			for _, r := range t.rows {
				if i < len(r.cells) && r.cells[i] != "" {
					ps.addf(t.headerRow, "", "Cột thứ %d không có tên ở dòng tiêu đề nhưng có dữ liệu (dòng %d). Hãy đặt tên cột hoặc xóa cột đó.",
						"Column %d has no name in the header row but holds data (row %d). Name the column or delete it.", i+1, r.n)
					break
				}
			}
		case !want[name]:
			ps.add(t.headerRow, h,
				fmt.Sprintf("Cột \"%s\" không thuộc tệp %s. Các cột của tệp này là: %s.", h, k.vi(), strings.Join(k.cols, ", ")),
				fmt.Sprintf("Column %q is not part of a %s file. Its columns are: %s.", h, k.labelEN, strings.Join(k.cols, ", ")))
		default:
			if first, dup := idx[name]; dup {
				ps.addf(t.headerRow, h, "Cột \"%s\" xuất hiện hai lần ở dòng tiêu đề (cột thứ %d và %d).",
					"Column %q appears twice in the header row (columns %d and %d).", h, first+1, i+1)
				continue
			}
			idx[name] = i
		}
	}
	for _, c := range k.cols {
		if _, ok := idx[c]; !ok {
			ps.add(t.headerRow, c,
				fmt.Sprintf("Thiếu cột \"%s\" ở dòng tiêu đề. Tệp %s cần đủ các cột: %s.", c, k.vi(), strings.Join(k.cols, ", ")),
				fmt.Sprintf("The header row lacks column %q. A %s file needs the columns: %s.", c, k.labelEN, strings.Join(k.cols, ", ")))
		}
	}
	return idx
}

// vi names the kind in Vietnamese with its code: "danh sách đơn vị (units)".
func (k *fileKind) vi() string { return k.labelVI + " (" + k.name + ")" }

// expectedHeaders is the help shown when no header is recognised.
func expectedHeaders() (vi, en string) {
	var lines []string
	for _, k := range fileKinds[:2] {
		lines = append(lines, strings.Join(k.cols, ","))
	}
	return "Dòng đầu tiên phải là dòng tiêu đề với tên cột, ví dụ tệp đơn vị: " + lines[0] + "; tệp số liệu: " + lines[1] + ".",
		"The first row must be the header with the column names, e.g. for units: " + lines[0] + "; for metric counts: " + lines[1] + "."
}
