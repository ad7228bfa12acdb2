package i18n

// Messages of the database commands: backup, restore, migrate-db.

var dbtoolsVI = map[string]string{
	// %[1]s the file, %[2]s its size in MB, %[3]s seconds, %[4]s the tool.
	"db.backup.done": "Đã sao lưu cơ sở dữ liệu vào %[1]s (%[2]s MB, %[3]s giây, bằng %[4]s). Bản sao là dữ liệu tại một thời điểm, " +
		"kể cả khi máy chủ đang chạy hoặc đang nhập tệp; chỉ người sở hữu tệp đọc được (có mật khẩu đã băm và nhật ký).",
	"db.restore.done": "Đã khôi phục cơ sở dữ liệu từ %[1]s (%[2]s giây, bằng %[3]s). Khởi động lại máy chủ để dùng.",
	"db.restore.stop": "Hãy dừng máy chủ trước khi khôi phục: dữ liệu hiện có được thay toàn bộ bằng bản sao lưu.",
	// migrate-db: the summary.
	"db.migrate.done":  "Đã chép toàn bộ cơ sở dữ liệu sang PostgreSQL: %[1]s bảng, %[2]s dòng, số dòng từng bảng khớp nhau (%[3]s giây).",
	"db.migrate.audit": "Nhật ký nguyên vẹn sau khi chép: %[1]s dòng, dòng cuối số %[2]s, mã băm %[3]s, như ở cơ sở dữ liệu cũ.",
	"db.migrate.next":  "Để dùng cơ sở dữ liệu mới: đặt SCORECARD_DB_DRIVER=postgres và SCORECARD_DB là chuỗi kết nối vừa cho ở --to, rồi chạy scorecard serve.",
	"db.pgtool.missing": "Máy này chưa cài %[1]s (Debian: apt-get install postgresql-client). Chạy lệnh sau trên máy có công cụ này, " +
		"cùng phiên bản PostgreSQL với máy chủ: %[2]s",
}

var dbtoolsEN = map[string]string{
	"db.backup.done": "Backed up the database to %[1]s (%[2]s MB, %[3]s s, with %[4]s). The copy is the data as of one moment, " +
		"even while the server runs or imports; only the file's owner can read it (it holds password hashes and the audit trail).",
	"db.restore.done":   "Restored the database from %[1]s (%[2]s s, with %[3]s). Restart the server to use it.",
	"db.restore.stop":   "Stop the server before restoring: the data in the database is replaced as a whole by the backup.",
	"db.migrate.done":   "Copied the whole database to PostgreSQL: %[1]s tables, %[2]s rows, every table's row count the same on both sides (%[3]s s).",
	"db.migrate.audit":  "The audit trail is intact after the copy: %[1]s rows, last row %[2]s, hash %[3]s, as in the old database.",
	"db.migrate.next":   "To use the new database: set SCORECARD_DB_DRIVER=postgres and SCORECARD_DB to the connection string given to --to, then run scorecard serve.",
	"db.pgtool.missing": "%[1]s is not installed here (Debian: apt-get install postgresql-client). Run this where it is, with the server's PostgreSQL version: %[2]s",
}
