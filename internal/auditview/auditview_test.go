package auditview

import (
	"strings"
	"testing"

	"scorecard/i18n"
	"scorecard/models"
)

func TestLines(t *testing.T) {
	hash := strings.Repeat("ab", 32)
	for _, c := range []struct {
		chain models.AuditChain
		l     i18n.Lang
		want  []string
	}{
		{models.AuditChain{}, i18n.VI, []string{"Nhật ký chưa có dòng nào."}},
		{models.AuditChain{Rows: 12345, LastID: 12345, LastHash: hash}, i18n.VI,
			[]string{"Nhật ký nguyên vẹn: 12.345 dòng", "Dòng cuối: số 12.345, mã băm " + hash}},
		{models.AuditChain{Rows: 12345, LastID: 12345, LastHash: hash}, i18n.EN,
			[]string{"The audit trail is intact: 12,345 rows", "Last row: number 12,345, hash " + hash}},
		{models.AuditChain{Rows: 9, LastID: 10, LastHash: hash, Broken: &models.AuditBreak{ID: 4, Reason: models.BreakLink}, Missing: []string{"audit_no_delete"}}, i18n.VI,
			[]string{"Chuỗi mã băm bị đứt ở dòng số 4: dòng liền trước đã bị xóa hoặc bị thay.", "Đã kiểm 9 dòng.", "(audit_no_delete)", "Dòng cuối: số 10"}},
		{models.AuditChain{Rows: 9, LastID: 9, LastHash: hash, Broken: &models.AuditBreak{ID: 2, Reason: models.BreakContent}}, i18n.EN,
			[]string{"The hash chain breaks at row 2: the content of this row was changed."}},
	} {
		got := strings.Join(Lines(c.l, c.chain), "\n")
		for _, w := range c.want {
			if !strings.Contains(got, w) {
				t.Errorf("%+v: %q missing from\n%s", c.chain, w, got)
			}
		}
		if strings.Contains(got, "[") {
			t.Errorf("a message key is missing: %s", got)
		}
	}
}
