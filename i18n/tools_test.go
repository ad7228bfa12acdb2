package i18n

import "testing"

// The messages of the unit page's tools exist in both languages, once, and reach the
// catalogues.
func TestToolsMessages(t *testing.T) {
	for k := range toolsVI {
		if _, ok := toolsEN[k]; !ok {
			t.Errorf("%s has no English message", k)
		}
		if got, _ := Message(VI, k); got != toolsVI[k] {
			t.Errorf("VI %s = %q, want tools.go's %q", k, got, toolsVI[k])
		}
	}
	for k := range toolsEN {
		if _, ok := toolsVI[k]; !ok {
			t.Errorf("%s has no Vietnamese message", k)
		}
		if got, _ := Message(EN, k); got != toolsEN[k] {
			t.Errorf("EN %s = %q, want tools.go's %q", k, got, toolsEN[k])
		}
	}
	// The ".one" forms stand for the count 1 and take no argument: the
	// other form takes the count.
	for k, v := range toolsEN {
		if len(k) > 4 && k[len(k)-4:] == ".one" {
			if verbList(v) != nil || verbList(toolsVI[k]) != nil {
				t.Errorf("%s takes an argument: the one form writes its 1", k)
			}
			if _, ok := toolsEN[k[:len(k)-4]]; !ok {
				t.Errorf("%s has no plural form", k)
			}
		}
	}
	if got := EN.T("stake.changes", 3); got != "3 changes" {
		t.Errorf("EN stake.changes = %q", got)
	}
	if got := VI.T("peers.streak.flat", "quý"); got != "Tổng điểm không tăng, không giảm so với quý trước (hoặc chưa có kỳ trước để so sánh)." {
		t.Errorf("VI peers.streak.flat = %q", got)
	}
}
