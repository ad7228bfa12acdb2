package i18n

// Messages of the command line (package cli) and of the settings it reads
// (package config): one language per run, Vietnamese unless English is
// asked for. The usage is here too, a section per command, so that --help
// speaks the run's language; docs/cli.md is checked against it.

var cliVI = map[string]string{
	"cli.usage.head": `scorecard — Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)

Cách dùng: scorecard [LỆNH] [TÙY CHỌN]... (không có lệnh: serve). Mọi lệnh nhận --lang vi|en (ngôn ngữ
của thông báo: mặc định tiếng Việt, hoặc theo SCORECARD_LANG, LC_ALL, LC_MESSAGES, LANG) và --help.
Tài liệu đầy đủ: docs/cli.md.

`,
	"cli.usage.serve": `  scorecard [serve] [--db PATH] [--addr HOST:PORT] [--no-demo] [--drilldown] [--schemes DIR]
      Chạy bảng điều khiển và API JSON. Cơ sở dữ liệu chưa từng nhập gì được nạp dữ liệu minh họa, trừ khi có
      --no-demo. --drilldown: trang đơn vị liệt kê hồ sơ trễ hạn, không hài lòng kèm mã hồ sơ (mạng nội bộ).
`,
	"cli.usage.import": `  scorecard import [--db PATH] [--publish] [--correction "LÝ DO"] [--schemes DIR] FILE...
      Nhập tệp CSV hoặc XLSX: đơn vị, thay đổi đơn vị, số liệu chỉ số, danh mục thủ tục, hồ sơ, kết quả chính
      thức (docs/import-files.md). Mỗi tệp một giao dịch: tệp có dòng sai thì không thay đổi gì, mọi lỗi được
      liệt kê. Kỳ vừa nhập là bản nháp: lệnh in ra lệnh công bố chúng.
      --publish: công bố luôn các kỳ của tệp. --correction "LÝ DO": điều chỉnh kỳ đã công bố, kèm lý do.
  scorecard import [--db PATH] CAPTURE_DIR_OR_ZIP...
      Nhập bản thu số liệu của Cổng Dịch vụ công quốc gia (thư mục hoặc .zip có manifest.json, đủ sáu câu trả
      lời, mọi trang; docs/portal-captures.md).
  scorecard import [--db PATH] --period PERIOD --as-of TIME PORTAL_RESPONSE.json...
      Nhập câu trả lời riêng lẻ của Cổng: --period 2026-08 | 2026-Q3 | 2026, --as-of thời điểm thu
      (2026-09-26T10:00:00+07:00).
`,
	"cli.usage.fetch": `  scorecard fetch [--db PATH] --province ID [--period PERIOD]... [--captures DIR] [--portal-url URL]
                  [--pause 1s] [--retries 4] [--schemes DIR]
      Thu số liệu từ Cổng (mặc định: tháng, quý, năm đang chạy và tháng vừa kết thúc), lưu bản thu vào thư mục
      captures rồi nhập. Bản thu có yêu cầu bị lỗi được giữ lại (.incomplete) và không được nhập.
`,
	"cli.usage.publish": `  scorecard publish [--db PATH] [--schemes DIR] PERIOD...
      Công bố kỳ (2024-04, 2024-Q2, 2024-H1, 2024): công chúng và API chỉ thấy kỳ đã công bố. Tháng cuối của
      quý, nửa năm, năm công bố luôn kỳ đó khi mọi tháng có số liệu của kỳ đã công bố; kỳ dài cũng công bố
      riêng được.
`,
	"cli.usage.user": `  scorecard user add [--db PATH] --role admin|office|unit [--unit CODE] USERNAME
  scorecard user passwd|disable|enable [--db PATH] USERNAME
  scorecard user list [--db PATH]
      Quản lý tài khoản; mật khẩu gõ từ bàn phím (hai lần) hoặc đọc từ dòng đầu của stdin. Không có tài
      khoản hay mật khẩu mặc định.
`,
	"cli.usage.demo": `  scorecard demo remove [--db PATH]
  scorecard demo load [--db PATH] [--schemes DIR]
      Xóa dữ liệu minh họa (cùng các kỳ nó đã công bố) / nạp lại dữ liệu minh họa.
`,
	"cli.usage.audit": `  scorecard audit verify [--db PATH]
      Kiểm tra nhật ký hệ thống không bị sửa, xóa hay chèn dòng (chuỗi mã băm); thoát với mã 1 nếu chuỗi bị đứt.
`,
	"cli.usage.backup": `  scorecard backup [--db PATH] FILE
      Sao lưu cơ sở dữ liệu vào FILE (chưa có), kể cả khi máy chủ đang chạy hoặc đang nhập tệp: SQLite bằng
      VACUUM INTO, PostgreSQL bằng pg_dump.
`,
	"cli.usage.restore": `  scorecard restore [--db PATH] FILE
      Khôi phục toàn bộ cơ sở dữ liệu từ bản sao lưu (dừng máy chủ trước).
`,
	"cli.usage.migrate-db": `  scorecard migrate-db [--db PATH] --to postgres://USER:PASSWORD@HOST:5432/DB
      Chép toàn bộ cơ sở dữ liệu SQLite (kể cả nhật ký) sang một cơ sở dữ liệu PostgreSQL trống, kiểm số dòng
      từng bảng và chuỗi mã băm của nhật ký.
`,
	"cli.usage.healthcheck": `  scorecard healthcheck [--addr HOST:PORT]
      Hỏi máy chủ đang chạy (/healthz): in "ok" và thoát với mã 0 nếu máy chủ trả lời (Docker HEALTHCHECK).
`,
	"cli.usage.alerts": `  scorecard alerts send [--db PATH] [--period PERIOD] [--dry-run] [--schemes DIR]
      Gửi thư cảnh báo sớm qua SMTP, mỗi cảnh báo một lần cho mỗi đơn vị, quy tắc và kỳ (mặc định: tháng mới
      nhất có số liệu); --dry-run chỉ liệt kê, không gửi, không ghi nhận.
`,
	"cli.usage.gen-country": `  scorecard gen-country [--months M] [--end YYYY-MM] [--agencies N] [--communes N] [--seed S] DIR
      Sinh bộ số liệu toàn quốc (34 tỉnh, thành phố, mỗi tỉnh N sở, ban, ngành và N xã, phường; M tháng đến
      YYYY-MM) vào thư mục DIR: units.csv và counts-YYYY-MM.csv mỗi tháng, để thử ở quy mô toàn quốc và đo hiệu năng.
`,
	"cli.usage.gen-dossiers": `  scorecard gen-dossiers [--rows N] [--months M] [--seed S] [--end YYYY-MM] OUT.csv
      Sinh hồ sơ mẫu của tỉnh minh họa (OUT.csv) và danh mục thủ tục (OUT.catalogue.csv) để thử nhập, kiểm thử
      và đo hiệu năng.
`,
	"cli.usage.env": `
Biến môi trường (cờ cùng tên thắng biến môi trường):
  SCORECARD_DB                tệp SQLite hoặc chuỗi kết nối PostgreSQL (--db; mặc định data/scorecard.db)
  SCORECARD_DB_DRIVER         sqlite (mặc định) | postgres
  SCORECARD_SCHEMES_DIR       thư mục tệp bộ chỉ số bổ sung, thay thế (--schemes)
  SCORECARD_LANG              vi | en: ngôn ngữ của thông báo dòng lệnh (--lang)
  SCORECARD_ADDR              địa chỉ lắng nghe (--addr; mặc định 127.0.0.1:8080)
  SCORECARD_NO_DEMO           true: không nạp dữ liệu minh họa (--no-demo)
  SCORECARD_DRILLDOWN         true: như --drilldown
  SCORECARD_OFFICE_NAME       tên cơ quan hiển thị trên trang
  SCORECARD_REPORT_SYMBOL     ký hiệu của báo cáo tháng sau số để trống (mặc định BC-VP: Số: ……/BC-VP)
  SCORECARD_REPORT_SIGNER_TITLE, SCORECARD_REPORT_SIGNER_NAME   chức vụ, họ tên người ký báo cáo
  SCORECARD_REPORT_RECIPIENTS nơi nhận báo cáo, cách nhau dấu chấm phẩy (mặc định theo các cấp được xếp hạng)
  SCORECARD_BASE_PATH         tiền tố đường dẫn khi chạy sau reverse proxy (vd. /chiso)
  SCORECARD_TRUSTED_PROXIES   địa chỉ proxy tin cậy (IP hoặc CIDR, cách nhau dấu phẩy)
  SCORECARD_SECURE_COOKIES    true: cookie luôn có cờ Secure (HTTPS sau proxy)
  SCORECARD_SESSION_IDLE (8h), SCORECARD_SESSION_MAX (168h)   thời hạn phiên khi không hoạt động / tối đa
  SCORECARD_UPLOAD_LIMIT_MB (64), SCORECARD_UPLOAD_DIR   giới hạn tệp tải lên và thư mục tạm khi nhận, nhập tệp
  SCORECARD_EMBED_ANCESTORS   trang được nhúng /embed/* (mặc định mọi trang)
  SCORECARD_PUBLIC_URL        địa chỉ công khai ghi vào tệp tải về và dữ liệu mở
  SCORECARD_MAX_CONNS (2048)  số kết nối phục vụ cùng lúc
  SCORECARD_READ_TIMEOUT (20s), SCORECARD_WRITE_TIMEOUT (2m), SCORECARD_IDLE_TIMEOUT (60s)
                              thời hạn đọc yêu cầu, gửi trả lời, giữ kết nối rảnh
  SCORECARD_PORTAL_URL        địa chỉ Cổng (--portal-url; mặc định https://dichvucong.gov.vn)
  SCORECARD_FETCH_PROVINCE    serve thu số liệu tỉnh này (mã định danh trên Cổng) mỗi ngày
  SCORECARD_FETCH_AT          giờ thu hằng ngày, giờ Việt Nam (mặc định 06:00)
  SCORECARD_CAPTURES_DIR      thư mục lưu bản thu (--captures; mặc định captures cạnh tệp cơ sở dữ liệu)
  SCORECARD_SMTP_HOST, SCORECARD_SMTP_PORT (587), SCORECARD_SMTP_FROM, SCORECARD_SMTP_TO (a@x,b@y),
  SCORECARD_SMTP_USER, SCORECARD_SMTP_PASSWORD   máy chủ thư cho alerts send
  SCORECARD_ALERT_GROUP_DROP (5), SCORECARD_ALERT_ONTIME_BELOW (90)   ngưỡng cảnh báo (0 tắt quy tắc)
`,
	"cli.usage.more": "\nMọi lệnh và biến môi trường: scorecard --help; tài liệu: docs/cli.md.\n",

	"cli.help.see":        "Xem: %s",
	"cli.lang.invalid":    "--lang %q: dùng vi hoặc en.",
	"cli.command.unknown": "Không có lệnh %q.",
	"cli.action.missing":  "%[1]s: cần một trong các lệnh %[2]s.",
	"cli.action.unknown":  "%[1]s: không có lệnh %[2]q (có: %[3]s).",
	"cli.flag.unknown":    "%[1]s: không có tùy chọn %[2]s.",
	"cli.flag.noarg":      "%[1]s: tùy chọn %[2]s cần một giá trị.",
	"cli.flag.invalid":    "%[1]s: giá trị %[3]q của %[2]s không hợp lệ.",
	"cli.flag.syntax":     "%[1]s: không hiểu tùy chọn %[2]s.",
	"cli.args.extra":      "Tham số thừa: %s.",
	"cli.period.invalid":  "Kỳ %q không hợp lệ: dùng YYYY-MM (tháng), YYYY-Qn (quý), YYYY-Hn (6 tháng) hoặc YYYY (năm).",
	"cli.error":           "Lỗi: %v",
	"cli.error.detail":    "Chi tiết: %v",
	"cli.db.open":         "Không mở được cơ sở dữ liệu %s.",
	"cli.db.read":         "Không đọc được cơ sở dữ liệu.",
	"cli.db.write":        "Không ghi được vào cơ sở dữ liệu; không có gì thay đổi.",
	"cli.schemes.folder":  "Thư mục bộ chỉ số %s không đọc được (--schemes, SCORECARD_SCHEMES_DIR).",
	"cli.schemes.bad":     "Tệp bộ chỉ số không dùng được (thư mục %s).",
	"cli.audit.failed":    "Không ghi được nhật ký hệ thống: %v",

	// import
	"cli.import.nofile":  "Cần ít nhất một tệp: scorecard import FILE...",
	"cli.import.period":  "--period %q: kỳ của Cổng là một tháng, quý hoặc năm, ví dụ 2026-08, 2026-Q3, 2026.",
	"cli.import.asof":    "--as-of %q: cần thời điểm thu, ví dụ 2026-09-26T10:00:00+07:00.",
	"cli.import.bare":    "%[1]s: %[2]s",
	"cli.import.refused": "%[1]s: bị từ chối, không có gì thay đổi (%[2]s lỗi):",
	"cli.import.failed":  "Không nhập được %s; không có gì thay đổi.",
	"cli.import.done":    "%s",
	// %[1]s the file, %[2]s rows, %[3]s what (cli.kind.*), %[4]s new, %[5]s changed, %[6]s unchanged.
	"cli.import.rows":       "%[1]s: đã nhập %[2]s dòng %[3]s (%[4]s mới, %[5]s thay đổi, %[6]s không đổi)",
	"cli.import.derived":    "; ghi lại %[1]s số liệu dẫn xuất trong %[2]s giây",
	"cli.import.periods":    "; kỳ %s",
	"cli.kind.units":        "đơn vị",
	"cli.kind.unit_changes": "thay đổi đơn vị",
	"cli.kind.counts":       "số liệu chỉ số",
	"cli.kind.catalogue":    "danh mục thủ tục",
	"cli.kind.dossiers":     "hồ sơ",
	"cli.kind.official":     "kết quả chính thức của Cổng",
	"cli.kind.portal":       "bản thu của Cổng",
	// The next command after an import: %[1]d periods, %[2]s the command.
	"cli.import.drafts":     "%[1]d kỳ đang là bản nháp, công chúng chưa thấy: %[2]s (hoặc công bố trên trang Quản trị, /staff).",
	"cli.import.drafts.one": "%[1]d kỳ đang là bản nháp, công chúng chưa thấy: %[2]s (hoặc công bố trên trang Quản trị, /staff).",
	"cli.revision":          "%s (bản %d)",
	"cli.import.corrected":  "Đã điều chỉnh kỳ đã công bố: %s.",
	"cli.import.grown":      "Kỳ đã công bố khi chưa kết thúc có thêm tháng mới (không phải điều chỉnh): %s.",
	"cli.revisions.failed":  "Không tính được số liệu của các bản mới; chúng được tính lại khi khởi động hoặc lần nhập sau.",
	"cli.progress.rows":     "%[1]s dòng, %[2]s dòng/giây",
	"cli.progress.left":     "còn %s",
	"cli.progress.writing":  "đang ghi và tính số liệu…",

	// publish
	"cli.publish.noperiod": "Cần ít nhất một kỳ, ví dụ: scorecard publish 2024-04",
	"cli.publish.done":     "%[1]s: đã công bố (bản %[2]d).",
	"cli.publish.ended":    "%[1]s: đã công bố, vì tháng cuối %[2]s đã công bố.",
	"cli.publish.already":  "%[1]s: đã công bố ngày %[2]s, không thay đổi.",
	"cli.publish.nodata":   "%[1]s: chưa có số liệu, không thể công bố.",
	"cli.publish.failed":   "Không công bố được %s.",

	// demo, serve
	"cli.demo.loaded":       "Đã nạp dữ liệu minh họa.",
	"cli.demo.loadfailed":   "Không nạp được tệp minh họa %s.",
	"cli.demo.removed":      "Đã xóa dữ liệu minh họa: %[1]s đơn vị, %[2]s kỳ đã công bố.",
	"cli.demo.removefailed": "Không xóa được dữ liệu minh họa; không có gì thay đổi.",
	"cli.serve.demo":        "Đã nạp dữ liệu minh họa (05/2023–11/2026, qua đợt sáp nhập tỉnh năm 2025); xóa bằng: scorecard demo remove",
	"cli.serve.noadmin":     "Chưa có tài khoản quản trị nào nên chưa ai đăng nhập để quản lý được; tạo bằng: scorecard user add --role admin TÊN",
	"cli.serve.listening":   "Bảng điều khiển: %s",
	"cli.serve.listen":      "Không lắng nghe được ở %s (cổng đã có chương trình khác dùng?).",
	"cli.serve.failed":      "Máy chủ dừng vì lỗi.",

	// user
	"cli.user.name":        "Cần tên đăng nhập.",
	"cli.user.badname":     "Tên đăng nhập gồm 3–64 ký tự a–z, 0–9, dấu chấm, gạch dưới, @ hoặc gạch ngang.",
	"cli.user.badrole":     "--role %q: dùng admin, office hoặc unit.",
	"cli.user.unitrole":    "Tài khoản đơn vị (--role unit) cần --unit MÃ; các vai trò khác thì không.",
	"cli.user.nounit":      "Không có đơn vị %q.",
	"cli.user.noaccount":   "Không có tài khoản %q.",
	"cli.user.exists":      "Tài khoản %[1]q đã có (đổi mật khẩu: scorecard user passwd %[1]s).",
	"cli.user.created":     "Đã tạo tài khoản %[1]s (%[2]s).",
	"cli.user.passwd.done": "Đã đặt mật khẩu mới cho %s; mọi phiên đăng nhập của tài khoản đã kết thúc.",
	"cli.user.disabled":    "Đã khóa tài khoản %s.",
	"cli.user.enabled":     "Đã mở khóa tài khoản %s.",
	"cli.user.none":        "Chưa có tài khoản nào: scorecard user add --role admin TÊN",
	"cli.user.list.head":   "TÊN ĐĂNG NHẬP\tVAI TRÒ\tĐƠN VỊ\tTRẠNG THÁI\tNGÀY TẠO",
	"cli.user.active":      "đang dùng",
	"cli.user.inactive":    "đã khóa",
	"cli.user.pw.prompt":   "Mật khẩu cho %[1]s (ít nhất %[2]d ký tự): ",
	"cli.user.pw.again":    "Nhập lại: ",
	"cli.user.pw.differ":   "Hai lần nhập mật khẩu khác nhau.",
	"cli.user.pw.none":     "Không có mật khẩu trên stdin (không có mật khẩu mặc định).",
	"cli.user.pw.read":     "Không đọc được mật khẩu.",

	// audit, backup, restore, migrate-db
	"cli.audit.verifyfailed": "Không kiểm tra được nhật ký hệ thống.",
	"cli.backup.file":        "Cần tên tệp sao lưu (chưa có): scorecard backup FILE",
	"cli.backup.failed":      "Không sao lưu được; tệp sao lưu không được tạo.",
	"cli.restore.file":       "Cần tệp sao lưu: scorecard restore FILE",
	"cli.restore.failed":     "Không khôi phục được; cơ sở dữ liệu giữ nguyên.",
	"cli.migrate.to":         "Cần --to postgres://USER:PASSWORD@HOST:5432/DB (một cơ sở dữ liệu PostgreSQL trống).",
	"cli.migrate.sqlite":     "--db phải là tệp SQLite cần chép (bỏ SCORECARD_DB_DRIVER=postgres).",
	"cli.migrate.failed":     "Không chép được cơ sở dữ liệu; cơ sở dữ liệu PostgreSQL giữ nguyên.",

	// fetch, healthcheck, alerts, gen-dossiers
	"cli.fetch.province":       "Cần --province (mã định danh của tỉnh trên Cổng) hoặc SCORECARD_FETCH_PROVINCE.",
	"cli.fetch.limits":         "Cần --pause ≥ 0 và 0 ≤ --retries ≤ 10.",
	"cli.health.ok":            "ok",
	"cli.health.failed":        "Máy chủ không trả lời ở %s.",
	"cli.alerts.nodata":        "Không có cảnh báo: chưa có kỳ nào có số liệu.",
	"cli.alerts.nodata.period": "Không có cảnh báo: %s chưa có số liệu.",
	"cli.alerts.count":         "%[1]s: %[2]s cảnh báo",
	"cli.alerts.dryrun":        "Chạy thử (--dry-run): không gửi, không ghi nhận.",
	"cli.alerts.sent":          "Đã gửi %[1]d, bỏ qua %[2]d (đã gửi trước đó), lỗi %[3]d.",
	"cli.alerts.failed":        "Một số thư không gửi được; chúng được gửi lại ở lần chạy sau.",
	"cli.alerts.smtp":          "Thiết lập máy chủ thư không dùng được.",
	"cli.alerts.thresholds":    "Ngưỡng cảnh báo không dùng được.",
	"cli.gencountry.out":       "Cần đúng một thư mục đầu ra: scorecard gen-country DIR",
	"cli.gencountry.range":     "Cần 1 ≤ --months ≤ 120, 1 ≤ --agencies ≤ 200 và 1 ≤ --communes ≤ 2000.",
	"cli.gencountry.done":      "%[1]s: %[2]d tỉnh, thành phố, %[3]s đơn vị, %[4]s dòng số liệu từ tháng %[5]s đến tháng %[6]s, %[7]s MB, %[8]s giây",
	"cli.gencountry.next":      "Nhập: scorecard import %[1]s %[2]s",
	"cli.gen.out":              "Cần đúng một tệp đầu ra: scorecard gen-dossiers OUT.csv",
	"cli.gen.end":              "--end %q: cần một tháng YYYY-MM.",
	"cli.gen.range":            "Cần --rows ≥ 0 và --months ≥ 1.",
	"cli.gen.failed":           "Không ghi được %s.",
	"cli.gen.done":             "%[1]s: %[2]s hồ sơ, %[3]d tháng đến %[4]s, %[5]s MB, %[6]s giây",
	"cli.gen.catalogue":        "%s: danh mục thủ tục",
	"cli.gen.next":             "Nhập: scorecard import data/demo/units.csv %[1]s %[2]s",

	// Settings (package config, and the alerts' mail server).
	"config.bool":        "%[1]s=%[2]q: dùng true hoặc false.",
	"config.uploadlimit": "%[1]s=%[2]q: dùng một số megabyte từ 1 đến %[3]d.",
	"config.maxconns":    "%[1]s=%[2]q: dùng một số kết nối lớn hơn 0.",
	"config.timeout":     "%[1]s=%[2]q: dùng một khoảng thời gian lớn hơn 0, như 20s hoặc 2m.",
	"config.session":     "%[1]s=%[2]q: dùng một khoảng thời gian như 8h hoặc 30m.",
	"config.sessions":    "Thời hạn phiên khi không hoạt động %[1]s và tối đa %[2]s: cả hai lớn hơn 0, và không hoạt động ≤ tối đa.",
	"config.driver":      "SCORECARD_DB_DRIVER=%q: dùng sqlite hoặc postgres.",
	"config.dbpath":      "Đường dẫn cơ sở dữ liệu trống (--db, SCORECARD_DB).",
	"config.addr":        "Địa chỉ %q không có dạng HOST:PORT (--addr, SCORECARD_ADDR).",
	"config.basepath":    "SCORECARD_BASE_PATH=%q: dùng một đường dẫn như /chiso.",
	"config.proxy":       "SCORECARD_TRUSTED_PROXIES: %q không phải địa chỉ IP hay dải CIDR.",
	"config.publicurl":   "SCORECARD_PUBLIC_URL=%q: dùng một địa chỉ như https://chiso.example.gov.vn.",
	"config.fetchat":     "%[1]s=%[2]q: dùng giờ trong ngày như 06:00.",
	"config.portalurl":   "Địa chỉ Cổng %[1]q: dùng một URL như %[2]s (--portal-url, SCORECARD_PORTAL_URL).",
	"config.threshold":   "%[1]s=%[2]q: dùng một số có tối đa hai chữ số thập phân, như 5 hoặc 92,5.",
	"config.smtp.host":   "Chưa đặt SCORECARD_SMTP_HOST (tên máy chủ thư); dùng --dry-run để chỉ liệt kê cảnh báo.",
	"config.smtp.port":   "SCORECARD_SMTP_PORT=%q không phải số cổng (1–65535).",
	"config.smtp.from":   "Chưa đặt SCORECARD_SMTP_FROM (địa chỉ người gửi).",
	"config.smtp.to":     "Chưa đặt SCORECARD_SMTP_TO (người nhận, cách nhau dấu phẩy).",
}

var cliEN = map[string]string{
	"cli.usage.head": `scorecard — the service index of Decision 766 (Prime Minister, 2022) for provincial offices

Usage: scorecard [COMMAND] [OPTION]... (no command: serve). Every command takes --lang vi|en (the language of
its messages: Vietnamese unless SCORECARD_LANG, LC_ALL, LC_MESSAGES or LANG says English) and --help.
Full documentation: docs/cli.md.

`,
	"cli.usage.serve": `  scorecard [serve] [--db PATH] [--addr HOST:PORT] [--no-demo] [--drilldown] [--schemes DIR]
      Serve the dashboard and the JSON API. A database that never received an import gets the demo data set,
      unless --no-demo. --drilldown: unit pages list late and unsatisfied dossiers with their codes (intranet).
`,
	"cli.usage.import": `  scorecard import [--db PATH] [--publish] [--correction "REASON"] [--schemes DIR] FILE...
      Import CSV or XLSX files: units, unit changes, metric counts, procedure catalogue, dossier records, official
      results (docs/import-files.md). One transaction per file: a file with a bad row changes nothing, and every
      problem is listed. Imported periods are drafts: the command prints the command that publishes them.
      --publish: publish the files' periods too. --correction "REASON": correct published periods, with a reason.
  scorecard import [--db PATH] CAPTURE_DIR_OR_ZIP...
      Import captures of the National Public Service Portal (a folder or .zip with its manifest.json and the six
      responses, every page; docs/portal-captures.md).
  scorecard import [--db PATH] --period PERIOD --as-of TIME PORTAL_RESPONSE.json...
      Import bare portal responses: --period 2026-08 | 2026-Q3 | 2026, --as-of the time of the capture
      (2026-09-26T10:00:00+07:00).
`,
	"cli.usage.fetch": `  scorecard fetch [--db PATH] --province ID [--period PERIOD]... [--captures DIR] [--portal-url URL]
                  [--pause 1s] [--retries 4] [--schemes DIR]
      Fetch from the portal (by default the running month, quarter and year, and the last closed month), keep
      each capture in the captures folder and import it. A capture with a failed request is kept (.incomplete)
      and not imported.
`,
	"cli.usage.publish": `  scorecard publish [--db PATH] [--schemes DIR] PERIOD...
      Publish periods (2024-04, 2024-Q2, 2024-H1, 2024): the public and the API see published periods only. The
      last month of a quarter, half-year or year publishes that period too once every month of it with data is
      published; a longer period can also be published on its own.
`,
	"cli.usage.user": `  scorecard user add [--db PATH] --role admin|office|unit [--unit CODE] USERNAME
  scorecard user passwd|disable|enable [--db PATH] USERNAME
  scorecard user list [--db PATH]
      Manage accounts; the password is typed (twice) or read from the first line of stdin. There is no default
      account or password.
`,
	"cli.usage.demo": `  scorecard demo remove [--db PATH]
  scorecard demo load [--db PATH] [--schemes DIR]
      Remove the demo data set (and the periods it published) / load it again.
`,
	"cli.usage.audit": `  scorecard audit verify [--db PATH]
      Check that no row of the audit trail was changed, removed or slipped in (hash chain); exit status 1 if broken.
`,
	"cli.usage.backup": `  scorecard backup [--db PATH] FILE
      Back up the database to a new FILE, even while the server runs or imports: SQLite with VACUUM INTO,
      PostgreSQL with pg_dump.
`,
	"cli.usage.restore": `  scorecard restore [--db PATH] FILE
      Replace the whole database by a backup (stop the server first).
`,
	"cli.usage.migrate-db": `  scorecard migrate-db [--db PATH] --to postgres://USER:PASSWORD@HOST:5432/DB
      Copy the whole SQLite database, audit trail included, into an empty PostgreSQL database, checking every
      table's row count and the audit trail's hash chain.
`,
	"cli.usage.healthcheck": `  scorecard healthcheck [--addr HOST:PORT]
      Ask a running server (/healthz): print "ok" and exit 0 when it answers (Docker HEALTHCHECK).
`,
	"cli.usage.alerts": `  scorecard alerts send [--db PATH] [--period PERIOD] [--dry-run] [--schemes DIR]
      E-mail the early warnings through SMTP, each once per unit, rule and period (by default the newest month
      with data); --dry-run lists them and sends and records nothing.
`,
	"cli.usage.gen-country": `  scorecard gen-country [--months M] [--end YYYY-MM] [--agencies N] [--communes N] [--seed S] DIR
      Generate the national data set (34 provinces and cities, each with N agencies and N communes and wards;
      M months to YYYY-MM) into the folder DIR: units.csv and counts-YYYY-MM.csv a month, for trying the product at national
      scale and for benchmarks.
`,
	"cli.usage.gen-dossiers": `  scorecard gen-dossiers [--rows N] [--months M] [--seed S] [--end YYYY-MM] OUT.csv
      Generate dossier records of the demo province (OUT.csv) and their procedure catalogue (OUT.catalogue.csv),
      for trying the import, tests and benchmarks.
`,
	"cli.usage.env": `
Environment (a flag of the same meaning wins):
  SCORECARD_DB                SQLite file or PostgreSQL connection string (--db; default data/scorecard.db)
  SCORECARD_DB_DRIVER         sqlite (default) | postgres
  SCORECARD_SCHEMES_DIR       folder of scheme files that add to or replace the built-in one (--schemes)
  SCORECARD_LANG              vi | en: the language of the command line's messages (--lang)
  SCORECARD_ADDR              address to listen on (--addr; default 127.0.0.1:8080)
  SCORECARD_NO_DEMO           true: do not load the demo data (--no-demo)
  SCORECARD_DRILLDOWN         true: as --drilldown
  SCORECARD_OFFICE_NAME       the office's name shown on the pages
  SCORECARD_REPORT_SYMBOL     the monthly report's symbol after the blank number (default BC-VP, giving "No.: ……/BC-VP")
  SCORECARD_REPORT_SIGNER_TITLE, SCORECARD_REPORT_SIGNER_NAME   the signer's title and name
  SCORECARD_REPORT_RECIPIENTS the report's recipients, separated by semicolons (default: by the levels ranked)
  SCORECARD_BASE_PATH         path prefix behind a reverse proxy (e.g. /chiso)
  SCORECARD_TRUSTED_PROXIES   trusted proxies (IP or CIDR, comma-separated)
  SCORECARD_SECURE_COOKIES    true: always mark cookies Secure (HTTPS behind a proxy)
  SCORECARD_SESSION_IDLE (8h), SCORECARD_SESSION_MAX (168h)   session idle and maximum time
  SCORECARD_UPLOAD_LIMIT_MB (64), SCORECARD_UPLOAD_DIR   upload limit and the temporary folder for receiving and importing files
  SCORECARD_EMBED_ANCESTORS   sites that may frame /embed/* (default: any)
  SCORECARD_PUBLIC_URL        public address written into downloads and open data
  SCORECARD_MAX_CONNS (2048)  connections served at once
  SCORECARD_READ_TIMEOUT (20s), SCORECARD_WRITE_TIMEOUT (2m), SCORECARD_IDLE_TIMEOUT (60s)
                              time to read a request, to write an answer, to keep an idle connection
  SCORECARD_PORTAL_URL        the portal's address (--portal-url; default https://dichvucong.gov.vn)
  SCORECARD_FETCH_PROVINCE    serve fetches this province (its id on the portal) daily
  SCORECARD_FETCH_AT          time of the daily fetch, Vietnam time (default 06:00)
  SCORECARD_CAPTURES_DIR      folder of the captures (--captures; default captures beside the database file)
  SCORECARD_SMTP_HOST, SCORECARD_SMTP_PORT (587), SCORECARD_SMTP_FROM, SCORECARD_SMTP_TO (a@x,b@y),
  SCORECARD_SMTP_USER, SCORECARD_SMTP_PASSWORD   mail server for alerts send
  SCORECARD_ALERT_GROUP_DROP (5), SCORECARD_ALERT_ONTIME_BELOW (90)   warning thresholds (0 turns a rule off)
`,
	"cli.usage.more": "\nEvery command and the environment: scorecard --help; documentation: docs/cli.md.\n",

	"cli.help.see":        "See: %s",
	"cli.lang.invalid":    "--lang %q: use vi or en.",
	"cli.command.unknown": "There is no command %q.",
	"cli.action.missing":  "%[1]s: one of %[2]s is needed.",
	"cli.action.unknown":  "%[1]s: there is no command %[2]q (there are: %[3]s).",
	"cli.flag.unknown":    "%[1]s: there is no option %[2]s.",
	"cli.flag.noarg":      "%[1]s: the option %[2]s needs a value.",
	"cli.flag.invalid":    "%[1]s: %[3]q is not a valid value of %[2]s.",
	"cli.flag.syntax":     "%[1]s: cannot read the option %[2]s.",
	"cli.args.extra":      "Unexpected arguments: %s.",
	"cli.period.invalid":  "%q is not a period: use YYYY-MM (month), YYYY-Qn (quarter), YYYY-Hn (half-year) or YYYY (year).",
	"cli.error":           "Error: %v",
	"cli.error.detail":    "Detail: %v",
	"cli.db.open":         "Cannot open the database %s.",
	"cli.db.read":         "Cannot read the database.",
	"cli.db.write":        "Cannot write to the database; nothing changed.",
	"cli.schemes.folder":  "The scheme folder %s cannot be read (--schemes, SCORECARD_SCHEMES_DIR).",
	"cli.schemes.bad":     "A scheme file cannot be used (folder %s).",
	"cli.audit.failed":    "Cannot write the audit trail: %v",

	"cli.import.nofile":     "At least one file is needed: scorecard import FILE...",
	"cli.import.period":     "--period %q: the portal's periods are months, quarters and years, e.g. 2026-08, 2026-Q3, 2026.",
	"cli.import.asof":       "--as-of %q: the time of the capture is needed, e.g. 2026-09-26T10:00:00+07:00.",
	"cli.import.bare":       "%[1]s: %[2]s",
	"cli.import.refused":    "%[1]s: refused, nothing changed (%[2]s problems):",
	"cli.import.failed":     "Cannot import %s; nothing changed.",
	"cli.import.done":       "%s",
	"cli.import.rows":       "%[1]s: %[2]s rows of %[3]s imported (%[4]s new, %[5]s changed, %[6]s unchanged)",
	"cli.import.derived":    "; %[1]s derived counts written in %[2]s s",
	"cli.import.periods":    "; periods %s",
	"cli.kind.units":        "units",
	"cli.kind.unit_changes": "unit changes",
	"cli.kind.counts":       "metric counts",
	"cli.kind.catalogue":    "procedure catalogue",
	"cli.kind.dossiers":     "dossiers",
	"cli.kind.official":     "the portal's official results",
	"cli.kind.portal":       "portal capture",
	"cli.import.drafts":     "%[1]d periods are drafts the public cannot see yet: %[2]s (or publish them on the staff page, /staff).",
	"cli.import.drafts.one": "%[1]d period is a draft the public cannot see yet: %[2]s (or publish it on the staff page, /staff).",
	"cli.revision":          "%s (revision %d)",
	"cli.import.corrected":  "Corrected published periods: %s.",
	"cli.import.grown":      "Published periods still running received a new month (not a correction): %s.",
	"cli.revisions.failed":  "Cannot compute the new revisions' figures; they are computed at the next start or import.",
	"cli.progress.rows":     "%[1]s rows, %[2]s rows/s",
	"cli.progress.left":     "%s left",
	"cli.progress.writing":  "writing and deriving the counts…",

	"cli.publish.noperiod": "At least one period is needed, e.g. scorecard publish 2024-04",
	"cli.publish.done":     "%[1]s: published (revision %[2]d).",
	"cli.publish.ended":    "%[1]s: published, as its last month %[2]s is.",
	"cli.publish.already":  "%[1]s: already published on %[2]s, unchanged.",
	"cli.publish.nodata":   "%[1]s: no data, cannot be published.",
	"cli.publish.failed":   "Cannot publish %s.",

	"cli.demo.loaded":       "Demo data loaded.",
	"cli.demo.loadfailed":   "Cannot load the demo file %s.",
	"cli.demo.removed":      "Demo data removed: %[1]s units, %[2]s published periods.",
	"cli.demo.removefailed": "Cannot remove the demo data; nothing changed.",
	"cli.serve.demo":        "Loaded the demo data set (05/2023–11/2026, across the 2025 merger of provinces); remove it with: scorecard demo remove",
	"cli.serve.noadmin":     "No administrator account yet, so nobody can sign in to manage accounts; create one with: scorecard user add --role admin NAME",
	"cli.serve.listening":   "Dashboard: %s",
	"cli.serve.listen":      "Cannot listen on %s (is another program using the port?).",
	"cli.serve.failed":      "The server stopped on an error.",

	"cli.user.name":        "A username is needed.",
	"cli.user.badname":     "A username is 3–64 of a–z, 0–9, '.', '_', '@' and '-'.",
	"cli.user.badrole":     "--role %q: use admin, office or unit.",
	"cli.user.unitrole":    "A unit account (--role unit) needs --unit CODE; other roles take none.",
	"cli.user.nounit":      "There is no unit %q.",
	"cli.user.noaccount":   "There is no account %q.",
	"cli.user.exists":      "The account %[1]q exists (change its password: scorecard user passwd %[1]s).",
	"cli.user.created":     "Account %[1]s created (%[2]s).",
	"cli.user.passwd.done": "New password set for %s; its sessions were ended.",
	"cli.user.disabled":    "Account %s disabled.",
	"cli.user.enabled":     "Account %s enabled.",
	"cli.user.none":        "No accounts yet: scorecard user add --role admin NAME",
	"cli.user.list.head":   "USERNAME\tROLE\tUNIT\tSTATUS\tCREATED",
	"cli.user.active":      "active",
	"cli.user.inactive":    "disabled",
	"cli.user.pw.prompt":   "Password for %[1]s (at least %[2]d characters): ",
	"cli.user.pw.again":    "Again: ",
	"cli.user.pw.differ":   "The two passwords differ.",
	"cli.user.pw.none":     "No password on stdin (there is no default password).",
	"cli.user.pw.read":     "Cannot read the password.",

	"cli.audit.verifyfailed": "Cannot check the audit trail.",
	"cli.backup.file":        "The name of a new backup file is needed: scorecard backup FILE",
	"cli.backup.failed":      "The backup failed; no backup file was made.",
	"cli.restore.file":       "A backup file is needed: scorecard restore FILE",
	"cli.restore.failed":     "The restore failed; the database is as it was.",
	"cli.migrate.to":         "--to postgres://USER:PASSWORD@HOST:5432/DB is needed (an empty PostgreSQL database).",
	"cli.migrate.sqlite":     "--db must be the SQLite file to copy (unset SCORECARD_DB_DRIVER=postgres).",
	"cli.migrate.failed":     "The copy failed; the PostgreSQL database is as it was.",

	"cli.fetch.province":       "--province (the province's id on the portal) or SCORECARD_FETCH_PROVINCE is needed.",
	"cli.fetch.limits":         "--pause ≥ 0 and 0 ≤ --retries ≤ 10 are needed.",
	"cli.health.ok":            "ok",
	"cli.health.failed":        "The server does not answer at %s.",
	"cli.alerts.nodata":        "No warnings: no period has data.",
	"cli.alerts.nodata.period": "No warnings: %s has no data.",
	"cli.alerts.count":         "%[1]s: %[2]s warnings",
	"cli.alerts.dryrun":        "Dry run (--dry-run): nothing sent or recorded.",
	"cli.alerts.sent":          "Sent %[1]d, skipped %[2]d (sent before), failed %[3]d.",
	"cli.alerts.failed":        "Some e-mails could not be sent; they are tried again on the next run.",
	"cli.alerts.smtp":          "The mail server settings cannot be used.",
	"cli.alerts.thresholds":    "The warning thresholds cannot be used.",
	"cli.gencountry.out":       "Exactly one output folder is needed: scorecard gen-country DIR",
	"cli.gencountry.range":     "1 ≤ --months ≤ 120, 1 ≤ --agencies ≤ 200 and 1 ≤ --communes ≤ 2000 are needed.",
	"cli.gencountry.done":      "%[1]s: %[2]d provinces and cities, %[3]s units, %[4]s rows of counts from %[5]s to %[6]s, %[7]s MB, %[8]s s",
	"cli.gencountry.next":      "Import: scorecard import %[1]s %[2]s",
	"cli.gen.out":              "Exactly one output file is needed: scorecard gen-dossiers OUT.csv",
	"cli.gen.end":              "--end %q: a month YYYY-MM is needed.",
	"cli.gen.range":            "--rows ≥ 0 and --months ≥ 1 are needed.",
	"cli.gen.failed":           "Cannot write %s.",
	"cli.gen.done":             "%[1]s: %[2]s dossiers, %[3]d months to %[4]s, %[5]s MB, %[6]s s",
	"cli.gen.catalogue":        "%s: procedure catalogue",
	"cli.gen.next":             "Import: scorecard import data/demo/units.csv %[1]s %[2]s",

	"config.bool":        "%[1]s=%[2]q: use true or false.",
	"config.uploadlimit": "%[1]s=%[2]q: use a number of megabytes from 1 to %[3]d.",
	"config.maxconns":    "%[1]s=%[2]q: use a number of connections above 0.",
	"config.timeout":     "%[1]s=%[2]q: use a duration above 0 such as 20s or 2m.",
	"config.session":     "%[1]s=%[2]q: use a duration such as 8h or 30m.",
	"config.sessions":    "Session idle time %[1]s and maximum %[2]s: both above 0, and idle ≤ maximum.",
	"config.driver":      "SCORECARD_DB_DRIVER=%q: use sqlite or postgres.",
	"config.dbpath":      "The database path is empty (--db, SCORECARD_DB).",
	"config.addr":        "The address %q is not HOST:PORT (--addr, SCORECARD_ADDR).",
	"config.basepath":    "SCORECARD_BASE_PATH=%q: use a path such as /chiso.",
	"config.proxy":       "SCORECARD_TRUSTED_PROXIES: %q is not an IP address or CIDR.",
	"config.publicurl":   "SCORECARD_PUBLIC_URL=%q: use an address such as https://chiso.example.gov.vn.",
	"config.fetchat":     "%[1]s=%[2]q: use a time of day such as 06:00.",
	"config.portalurl":   "The portal's address %[1]q: use a URL such as %[2]s (--portal-url, SCORECARD_PORTAL_URL).",
	"config.threshold":   "%[1]s=%[2]q: use a number with at most two decimals, such as 5 or 92.5.",
	"config.smtp.host":   "SCORECARD_SMTP_HOST is not set (the mail server's name); use --dry-run to list the warnings only.",
	"config.smtp.port":   "SCORECARD_SMTP_PORT=%q is not a port number (1–65535).",
	"config.smtp.from":   "SCORECARD_SMTP_FROM is not set (the sender's address).",
	"config.smtp.to":     "SCORECARD_SMTP_TO is not set (recipients, separated by commas).",
}
