package i18n

// Messages of the server's defences: a full disk, the audit trail's chain
// of hashes, uploads and requests over their limits. Like access.go they
// live in their own file; init adds them to the catalogues, and a key
// already defined elsewhere keeps its message there and is listed in
// safetyDuplicates, which a test requires to be empty.

// safetyDuplicates are the keys of this file also defined in another
// catalogue file.
var safetyDuplicates []string

func init() {
	for _, c := range []struct {
		l    Lang
		msgs map[string]string
	}{{VI, safetyVI}, {EN, safetyEN}} {
		for k, v := range c.msgs {
			if _, dup := catalogues[c.l][k]; dup {
				safetyDuplicates = append(safetyDuplicates, string(c.l)+":"+k)
				continue
			}
			Register(c.l, map[string]string{k: v})
		}
	}
}

var safetyVI = map[string]string{
	// A write refused by a full disk: nothing changed; what to do.
	"error.diskfull": "Ổ đĩa chứa cơ sở dữ liệu đã đầy nên không ghi được; không có gì thay đổi. " +
		"Hãy giải phóng dung lượng (xóa hoặc chuyển đi các tệp cũ, bản sao lưu) hoặc báo quản trị hệ thống, rồi thử lại.",

	"admin.audit.action.import.failed": "Nhập tệp không thành công",
}

var safetyEN = map[string]string{
	"error.diskfull": "The disk that holds the database is full, so nothing could be written and nothing changed. " +
		"Free some space (delete or move old files and backups) or tell the system administrator, then try again.",

	"admin.audit.action.import.failed": "Import failed",
}
