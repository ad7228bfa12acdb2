package handlers

import (
	"sort"
	"strings"

	"golang.org/x/text/collate"

	"scorecard/present"
	"scorecard/scoring"
)

// Provinces in a list to choose from are ordered as a Vietnamese reader
// looks them up, and as the national portal lists them: by the name
// without "Tỉnh" or "Thành phố" ("An Giang, Bắc Ninh, Cà Mau, …, Hà Nội,
// …"), not "Thành phố …" before "Tỉnh …", and with Vietnamese collation
// (Đ after D, ă and â after a, tones after the base letter).

// sortProvinces orders provinces for a choice list (see above); equal
// proper names keep the order of their full names.
func sortProvinces(ps []scoring.Unit) []scoring.Unit {
	out := append([]scoring.Unit(nil), ps...)
	col := collate.New(vietnamese)
	var buf collate.Buffer
	keys := make(map[string][2][]byte, len(out))
	for _, u := range out {
		proper := append([]byte(nil), col.KeyFromString(&buf, present.ProvinceProperName(u.Name))...)
		full := append([]byte(nil), col.KeyFromString(&buf, u.Name)...)
		buf.Reset()
		keys[u.Code] = [2][]byte{proper, full}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := keys[out[i].Code], keys[out[j].Code]
		if c := strings.Compare(string(a[0]), string(b[0])); c != 0 {
			return c < 0
		}
		return string(a[1]) < string(b[1])
	})
	return out
}
