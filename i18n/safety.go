package i18n

// Messages of the server's defences: a full disk, the audit trail's chain
// of hashes, uploads and requests over their limits.

var safetyVI = map[string]string{
	// A write refused by a full disk: nothing changed; what to do.
	"error.diskfull": "Ổ đĩa chứa cơ sở dữ liệu đã đầy nên không ghi được; không có gì thay đổi. " +
		"Hãy giải phóng dung lượng (xóa hoặc chuyển đi các tệp cũ, bản sao lưu) hoặc báo quản trị hệ thống, rồi thử lại.",

	"admin.audit.action.import.failed": "Nhập tệp không thành công",

	// A request body over its route's limit, or cut off.
	"error.body.toolarge": "Dữ liệu gửi lên quá lớn (tối đa %[1]s KiB).",
	"error.body.read":     "Không nhận được trọn dữ liệu gửi lên (kết nối bị ngắt hoặc quá chậm). Vui lòng thử lại.",

	// The audit trail's chain of hashes (scorecard audit verify, the
	// admin's audit page).
	"audit.chain.intact":         "Nhật ký nguyên vẹn: %[1]s dòng, chuỗi mã băm liền mạch, không dòng nào bị sửa, xóa hay chèn thêm.",
	"audit.chain.empty":          "Nhật ký chưa có dòng nào.",
	"audit.chain.last":           "Dòng cuối: số %[1]s, mã băm %[2]s. Ghi lại mã này để lần sau đối chiếu: nếu mã của dòng số %[1]s khác đi, nhật ký đã bị viết lại.",
	"audit.chain.broken.content": "Chuỗi mã băm bị đứt ở dòng số %[1]s: nội dung dòng này đã bị sửa.",
	"audit.chain.broken.link":    "Chuỗi mã băm bị đứt ở dòng số %[1]s: dòng liền trước đã bị xóa hoặc bị thay.",
	"audit.chain.missing":        "Các lớp bảo vệ nhật ký trong cơ sở dữ liệu đã bị gỡ hoặc tắt (%[1]s): nhật ký có thể bị sửa mà không bị chặn.",
	"audit.chain.rows":           "Đã kiểm %[1]s dòng.",
	"audit.chain.title":          "Tính toàn vẹn của nhật ký",
	"audit.chain.checked":        "Kiểm lúc %[1]s.",
	"audit.chain.error":          "Chưa kiểm được tính toàn vẹn của nhật ký; vui lòng tải lại trang.",
	"audit.chain.pending":        "Đang kiểm tính toàn vẹn của nhật ký; tải lại trang sau ít phút để xem kết quả.",
}

var safetyEN = map[string]string{
	"error.diskfull": "The disk that holds the database is full, so nothing could be written and nothing changed. " +
		"Free some space (delete or move old files and backups) or tell the system administrator, then try again.",

	"admin.audit.action.import.failed": "Import failed",

	"error.body.toolarge": "The request body is too large (at most %[1]s KiB).",
	"error.body.read":     "The request body did not arrive whole (the connection broke or was too slow). Please try again.",

	"audit.chain.intact":         "The audit trail is intact: %[1]s rows, the hash chain unbroken, no row changed, removed or slipped in.",
	"audit.chain.empty":          "The audit trail has no rows yet.",
	"audit.chain.last":           "Last row: number %[1]s, hash %[2]s. Note this hash down to compare next time: if row %[1]s's hash differs, the trail was rewritten.",
	"audit.chain.broken.content": "The hash chain breaks at row %[1]s: the content of this row was changed.",
	"audit.chain.broken.link":    "The hash chain breaks at row %[1]s: the row before it was removed or replaced.",
	"audit.chain.missing":        "The database's protections of the trail were removed or disabled (%[1]s): the trail can be changed without being stopped.",
	"audit.chain.rows":           "%[1]s rows checked.",
	"audit.chain.title":          "Integrity of the audit trail",
	"audit.chain.checked":        "Checked at %[1]s.",
	"audit.chain.error":          "The integrity of the audit trail could not be checked; please reload the page.",
	"audit.chain.pending":        "The integrity of the audit trail is being checked; reload the page in a few minutes to see the result.",
}
