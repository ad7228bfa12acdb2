package present

import "strings"

// provincePrefixes are the words before a province's proper name, longest
// first, compared without regard to case ("UBND tỉnh" as the national
// portal names them, "Thành phố", "Tỉnh").
var provincePrefixes = []string{"ủy ban nhân dân ", "ubnd ", "thành phố ", "tỉnh ", "tp. ", "tp "}

// ProvinceProperName is a province's name without the words before it:
// "Thái Nguyên" for "Tỉnh Thái Nguyên", "Hà Nội" for "Thành phố Hà Nội" or
// "UBND Thành phố Hà Nội". A Vietnamese reader looks provinces up by it,
// and the national portal lists them by it.
func ProvinceProperName(name string) string {
	s := strings.TrimSpace(name)
	for again := true; again; {
		again = false
		for _, p := range provincePrefixes {
			if len(s) > len(p) && strings.EqualFold(s[:len(p)], p) {
				s, again = strings.TrimSpace(s[len(p):]), true
				break
			}
		}
	}
	return s
}

// ProvinceInSentence is a province's name inside a Vietnamese sentence:
// its rank word in lower case ("tỉnh Bắc Kạn", "thành phố Hà Nội"); other
// names (a ministry, "UBND tỉnh …") are kept as they are written.
func ProvinceInSentence(name string) string {
	for _, p := range []string{"Tỉnh ", "Thành phố "} {
		if strings.HasPrefix(name, p) {
			return LowerFirst(name)
		}
	}
	return name
}
