package importer

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"scorecard/models"
	"scorecard/store"
)

// kindNames are the unit kinds with their Vietnamese names for messages.
var kindNames = map[string]string{
	models.KindProvince: "tỉnh (province)",
	models.KindAgency:   "sở, ban, ngành (agency)",
	models.KindDistrict: "huyện (district)",
	models.KindCommune:  "xã (commune)",
}

// parentAllowed: agencies and districts hang under a province; a commune
// under a district or directly under the province (formats.md). A parent
// therefore always ranks strictly above its child, which alone rules out
// cycles; the explicit cycle check below names them when kinds are wrong.
func parentAllowed(child, parent string) bool {
	switch child {
	case models.KindAgency, models.KindDistrict:
		return parent == models.KindProvince
	case models.KindCommune:
		return parent == models.KindDistrict || parent == models.KindProvince
	}
	return false
}

func allowedParentsVI(child string) (vi, en string) {
	if child == models.KindCommune {
		return "huyện (district) hoặc tỉnh (province)", "a district or a province"
	}
	return "tỉnh (province)", "a province"
}

// article puts "a" or "an" before a kind: "an agency".
func article(kind string) string {
	if kind == models.KindAgency {
		return "an " + kind
	}
	return "a " + kind
}

type fileUnit struct {
	store.UnitRow
	n      int
	kindOK bool
}

// checkUnits validates a units file against itself and the database.
func (im *Importer) checkUnits(ctx context.Context, rows []fields, ps *problems) ([]store.UnitRow, error) {
	db, err := im.st.UnitCodes(ctx)
	if err != nil {
		return nil, fmt.Errorf("importer: %w", err)
	}
	file := make(map[string]*fileUnit, len(rows))
	order := make([]*fileUnit, 0, len(rows))
	for _, r := range rows {
		code, name, kind, parent := r.cells["code"], r.cells["name"], r.cells["kind"], r.cells["parent_code"]
		codeOK := false
		switch vi, en := codeProblem(code); {
		case code == "":
			ps.add(r.n, "code", "Thiếu mã đơn vị.", "The unit code is empty.")
		case vi != "":
			ps.add(r.n, "code", "Mã đơn vị "+quote(code)+" "+vi+".", "The unit code "+quote(code)+" "+en+".")
		case file[code] != nil:
			ps.addf(r.n, "code", "Mã đơn vị %s trùng với dòng %d: mỗi đơn vị chỉ có một dòng trong tệp.",
				"The unit code %s repeats row %d: each unit has one row in the file.", quote(code), file[code].n)
		default:
			codeOK = true
		}
		switch vi, en := nameProblem(name); {
		case name == "":
			ps.add(r.n, "name", "Thiếu tên đơn vị.", "The unit name is empty.")
		case vi != "":
			ps.add(r.n, "name", "Tên đơn vị "+vi+".", "The unit name "+en+".")
		}
		kindOK := kindNames[kind] != ""
		if !kindOK {
			hint, hintEN := "", ""
			if kindNames[strings.ToLower(kind)] != "" {
				hint, hintEN = " (viết chữ thường: "+strings.ToLower(kind)+")", " (write it in lower case: "+strings.ToLower(kind)+")"
			}
			if kind == "" {
				ps.add(r.n, "kind", "Thiếu loại đơn vị: ghi province, agency, district hoặc commune.",
					"The unit kind is empty: write province, agency, district or commune.")
			} else {
				ps.add(r.n, "kind", "Loại đơn vị "+quote(kind)+" không hợp lệ: chỉ dùng province, agency, district hoặc commune"+hint+".",
					"The unit kind "+quote(kind)+" is not valid: use province, agency, district or commune"+hintEN+".")
			}
		}
		if vi, en := codeProblem(parent); parent != "" && vi != "" {
			ps.add(r.n, "parent_code", "Mã đơn vị cấp trên "+quote(parent)+" "+vi+".", "The parent code "+quote(parent)+" "+en+".")
			kindOK = false // no relation checks on a parent we cannot read
		}
		if codeOK {
			u := &fileUnit{UnitRow: store.UnitRow{Code: code, Name: name, Kind: kind, ParentCode: parent}, n: r.n, kindOK: kindOK}
			file[code] = u
			order = append(order, u)
		}
	}

	// The hierarchy as it will be after the import: the file's rows over
	// the database's.
	kindOf := func(code string) (kind string, found bool) {
		if u, ok := file[code]; ok {
			if !u.kindOK {
				return "", true
			}
			return u.Kind, true
		}
		if u, ok := db[code]; ok {
			return u.Kind, true
		}
		return "", false
	}
	parentOf := func(code string) string {
		if u, ok := file[code]; ok {
			return u.ParentCode
		}
		return db[code].Parent()
	}
	for _, u := range order {
		if !u.kindOK {
			continue
		}
		switch {
		case u.Kind == models.KindProvince && u.ParentCode != "":
			ps.add(u.n, "parent_code", "Tỉnh (province) không có đơn vị cấp trên: để trống cột parent_code.",
				"A province has no parent: leave parent_code empty.")
		case u.Kind == models.KindProvince:
		case u.ParentCode == "":
			vi, en := allowedParentsVI(u.Kind)
			ps.add(u.n, "parent_code", "Thiếu mã đơn vị cấp trên: một "+kindNames[u.Kind]+" phải thuộc một "+vi+".",
				"The parent code is empty: "+article(u.Kind)+" belongs to "+en+".")
		case u.ParentCode == u.Code:
			ps.add(u.n, "parent_code", "Đơn vị không thể là cấp trên của chính nó.", "A unit cannot be its own parent.")
		default:
			pk, found := kindOf(u.ParentCode)
			switch {
			case !found:
				ps.add(u.n, "parent_code", "Không tìm thấy đơn vị cấp trên "+quote(u.ParentCode)+" trong tệp này hay trong cơ sở dữ liệu (mã phân biệt chữ hoa, chữ thường).",
					"The parent "+quote(u.ParentCode)+" is neither in this file nor in the database (codes are case-sensitive).")
			case pk == "": // its own row is already reported
			case !parentAllowed(u.Kind, pk):
				vi, en := allowedParentsVI(u.Kind)
				ps.add(u.n, "parent_code", "Cấp trên của một "+kindNames[u.Kind]+" phải là "+vi+", nhưng "+quote(u.ParentCode)+" là "+kindNames[pk]+".",
					"The parent of "+article(u.Kind)+" must be "+en+", but "+quote(u.ParentCode)+" is "+article(pk)+".")
			}
		}
	}

	checkKindChanges(db, file, order, ps)
	checkCycles(order, parentOf, ps)

	out := make([]store.UnitRow, len(order))
	for i, u := range order {
		out[i] = u.UnitRow
	}
	return out, nil
}

// checkKindChanges: a file may change the kind of a unit already in the
// database, but not so that the unit's children that the file leaves alone
// end up under a parent of the wrong kind.
func checkKindChanges(db map[string]models.Unit, file map[string]*fileUnit, order []*fileUnit, ps *problems) {
	children := map[string][]string{}
	changed := false
	for _, u := range order {
		if old, ok := db[u.Code]; ok && u.kindOK && old.Kind != u.Kind {
			changed = true
		}
	}
	if !changed {
		return
	}
	for code, u := range db {
		if _, inFile := file[code]; !inFile && u.ParentCode != nil {
			children[*u.ParentCode] = append(children[*u.ParentCode], code)
		}
	}
	for _, u := range order {
		old, ok := db[u.Code]
		if !ok || !u.kindOK || old.Kind == u.Kind {
			continue
		}
		var bad []string
		for _, c := range children[u.Code] {
			if !parentAllowed(db[c].Kind, u.Kind) {
				bad = append(bad, c)
			}
		}
		if len(bad) == 0 {
			continue
		}
		sort.Strings(bad)
		ex := quote(bad[0])
		ps.add(u.n, "kind",
			fmt.Sprintf("Đổi %s từ %s thành %s làm %s đơn vị cấp dưới đã có (ví dụ %s, %s) không còn hợp lệ. Hãy đưa cả các đơn vị đó vào tệp với cấp trên mới, hoặc giữ loại cũ.",
				quote(u.Code), kindNames[old.Kind], kindNames[u.Kind], viInt(len(bad)), ex, kindNames[db[bad[0]].Kind]),
			fmt.Sprintf("Changing %s from %s to %s would leave %d existing child unit(s) (e.g. %s, %s) under a parent of the wrong kind. Include them in the file with a new parent, or keep the old kind.",
				quote(u.Code), old.Kind, u.Kind, len(bad), ex, article(db[bad[0]].Kind)))
	}
}

// checkCycles reports units that would be their own ancestors, once per
// cycle, at the row of its first member in the file.
func checkCycles(order []*fileUnit, parentOf func(string) string, ps *problems) {
	reported := map[string]bool{}
	for _, u := range order {
		if reported[u.Code] {
			continue
		}
		path := []string{u.Code}
		on := map[string]bool{u.Code: true}
		for p := parentOf(u.Code); p != "" && len(path) <= len(order)+1; p = parentOf(p) {
			if p == u.Code {
				if len(path) == 1 { // "its own parent", reported above
					break
				}
				for _, c := range path {
					reported[c] = true
				}
				ps.add(u.n, "parent_code",
					"Vòng lặp cấp trên: "+strings.Join(append(path, u.Code), " → ")+". Một đơn vị không thể nằm dưới chính nó.",
					"Parent cycle: "+strings.Join(append(path, u.Code), " → ")+". A unit cannot sit under itself.")
				break
			}
			if on[p] { // a cycle further up, reported from its own rows
				break
			}
			on[p] = true
			path = append(path, p)
		}
	}
}
