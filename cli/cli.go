// Package cli is the command line of formats.md: serve (the default), import,
// fetch, publish, demo, user, backup, restore, migrate-db. Run is main's whole body, so every command is testable with
// its own arguments, environment and output streams.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"scorecard/config"
	"scorecard/data"
	"scorecard/i18n"
	"scorecard/importer"
	"scorecard/scoring"
	"scorecard/store"
)

const usage = `scorecard — Chỉ số phục vụ người dân, doanh nghiệp (Quyết định 766/QĐ-TTg)
Service-index scorecard for provincial offices.

Cách dùng / Usage:
  scorecard [serve] [--db PATH] [--addr HOST:PORT] [--no-demo] [--schemes DIR] [--drilldown]
      Chạy bảng điều khiển (mặc định) / serve the dashboard (default).
      --drilldown: trang đơn vị liệt kê hồ sơ trễ hạn, kèm mã hồ sơ (mạng nội bộ) /
      unit pages list late dossiers with their codes (intranet).
  scorecard import [--db PATH] [--publish] [--correction "LÝ DO"] FILE...
      Nhập tệp CSV/XLSX (đơn vị, số liệu chỉ số, danh mục thủ tục, hồ sơ) / import CSV or XLSX files
      (units, metric counts, procedure catalogue, dossier records).
      --publish công bố các kỳ có trong tệp / publishes the periods of the files' rows;
      --correction: điều chỉnh kỳ đã công bố, kèm lý do / correct published periods, with a reason.
  scorecard import [--db PATH] CAPTURE_DIR_OR_ZIP...
      Nhập bản thu số liệu của Cổng Dịch vụ công quốc gia (thư mục hoặc .zip có manifest.json, đủ sáu câu
      trả lời, mọi trang) / import captures of the National Public Service Portal (a folder or .zip with its
      manifest.json and the six responses, every page).
  scorecard import [--db PATH] --period PERIOD --as-of TIME PORTAL_RESPONSE.json...
      Nhập câu trả lời riêng lẻ của Cổng: --period 2026-08|2026-Q3|2026, --as-of thời điểm thu
      (2026-09-26T10:00:00+07:00) / import bare portal responses of that period, captured at that time.
  scorecard fetch [--db PATH] --province ID [--period PERIOD]... [--captures DIR] [--portal-url URL]
                  [--pause 1s] [--retries 4]
      Thu số liệu từ Cổng (mặc định: tháng, quý, năm đang chạy và tháng vừa kết thúc), lưu bản thu vào thư mục
      captures rồi nhập / fetch from the portal (default: the running month, quarter and year, and the last
      closed month), keep each capture in the captures folder and import it. A capture with a failed
      request is kept (.incomplete) and not imported.
  scorecard publish [--db PATH] PERIOD...
      Công bố kỳ (vd. 2024-04, 2024-Q2); tháng cuối của quý, nửa năm, năm công bố luôn kỳ đó khi mọi tháng
      có số liệu của kỳ đã công bố / publish periods; a month that ends a quarter, half-year or year publishes
      it too once every month of it with data is published.
  scorecard user add --role admin|office|unit [--unit CODE] USERNAME
  scorecard user passwd|disable|enable USERNAME
  scorecard user list
      Quản lý tài khoản; mật khẩu nhập từ bàn phím hoặc dòng đầu của stdin /
      manage accounts; the password is typed, or read from the first line of stdin.
  scorecard demo remove [--db PATH]
      Xóa dữ liệu minh họa / remove the demo data set.
  scorecard audit verify [--db PATH]
      Kiểm tra nhật ký hệ thống không bị sửa, xóa hay chèn dòng (chuỗi mã băm) /
      check that no row of the audit trail was changed, removed or slipped in (hash chain).
  scorecard backup [--db PATH] FILE
      Sao lưu cơ sở dữ liệu vào FILE (chưa có), kể cả khi máy chủ đang chạy hoặc đang nhập tệp: SQLite bằng
      VACUUM INTO, PostgreSQL bằng pg_dump / back up the database to a new FILE, even while the server runs or
      imports: SQLite with VACUUM INTO, PostgreSQL with pg_dump.
  scorecard restore [--db PATH] FILE
      Khôi phục từ bản sao lưu (dừng máy chủ trước) / restore from a backup (stop the server first).
  scorecard migrate-db [--db PATH] --to postgres://USER:PASSWORD@HOST:5432/DB
      Chép toàn bộ cơ sở dữ liệu SQLite (kể cả nhật ký) sang một cơ sở dữ liệu PostgreSQL trống, kiểm số dòng
      từng bảng và chuỗi mã băm của nhật ký / copy the whole SQLite database, audit trail included, into an
      empty PostgreSQL database, checking every table's row count and the audit trail's hash chain.
  scorecard healthcheck [--addr HOST:PORT]
      Kiểm tra máy chủ đang chạy (dùng cho Docker HEALTHCHECK) / probe a running server.
  scorecard alerts send [--db PATH] [--period PERIOD] [--dry-run]
      Gửi thư cảnh báo sớm qua SMTP, mỗi cảnh báo một lần / e-mail early warnings, each once.
  scorecard gen-dossiers [--rows N] [--months M] [--seed S] [--end YYYY-MM] OUT.csv
      Sinh hồ sơ mẫu của tỉnh minh họa và danh mục thủ tục (OUT.catalogue.csv) /
      generate demo dossier records and their procedure catalogue (OUT.catalogue.csv).
  scorecard --help

Biến môi trường / Environment:
  SCORECARD_DB            tệp SQLite hoặc chuỗi kết nối PostgreSQL (mặc định data/scorecard.db)
  SCORECARD_DB_DRIVER     sqlite (mặc định) | postgres
  SCORECARD_ADDR          địa chỉ lắng nghe (mặc định 127.0.0.1:8080)
  SCORECARD_SCHEMES_DIR   thư mục tệp bộ chỉ số bổ sung/thay thế
  SCORECARD_OFFICE_NAME   tên cơ quan hiển thị trên trang
  SCORECARD_NO_DEMO       true: không nạp dữ liệu minh họa
  SCORECARD_DRILLDOWN     true: như --drilldown / as --drilldown
  SCORECARD_SMTP_HOST, SCORECARD_SMTP_PORT (587), SCORECARD_SMTP_FROM, SCORECARD_SMTP_TO (a@x,b@y),
  SCORECARD_SMTP_USER, SCORECARD_SMTP_PASSWORD   máy chủ thư cho "alerts send" / mail server
  SCORECARD_ALERT_GROUP_DROP (5), SCORECARD_ALERT_ONTIME_BELOW (90)   ngưỡng cảnh báo / thresholds
  SCORECARD_BASE_PATH     tiền tố đường dẫn sau reverse proxy (vd. /chiso) / path prefix behind a proxy
  SCORECARD_TRUSTED_PROXIES   địa chỉ proxy tin cậy (IP/CIDR, cách nhau dấu phẩy) / trusted proxies
  SCORECARD_SECURE_COOKIES    true: cookie luôn Secure / always mark cookies Secure
  SCORECARD_SESSION_IDLE (8h), SCORECARD_SESSION_MAX (168h)   thời hạn phiên / session limits
  SCORECARD_EMBED_ANCESTORS   trang được nhúng /embed/* (mặc định mọi trang) / sites that may frame /embed/*
  SCORECARD_PUBLIC_URL    địa chỉ công khai ghi vào tệp tải về (vd. https://chiso.example.gov.vn) / public address in downloads
  SCORECARD_MAX_CONNS (2048)   số kết nối tối đa cùng lúc / most connections served at once
  SCORECARD_READ_TIMEOUT (20s), SCORECARD_WRITE_TIMEOUT (2m), SCORECARD_IDLE_TIMEOUT (60s)
                          thời hạn đọc yêu cầu, gửi trả lời, giữ kết nối rảnh / read, write and idle limits
  SCORECARD_PORTAL_URL        địa chỉ Cổng (mặc định https://dichvucong.gov.vn) / the portal's address
  SCORECARD_FETCH_PROVINCE    "serve" thu số liệu tỉnh này mỗi ngày / serve fetches this province daily
  SCORECARD_FETCH_AT          giờ thu hằng ngày, giờ Việt Nam (mặc định 06:00) / time of the daily fetch
  SCORECARD_CAPTURES_DIR      thư mục lưu bản thu (mặc định captures cạnh tệp cơ sở dữ liệu) / captures folder
`

// errUsage marks a mistake in the command line (exit status 2).
var errUsage = errors.New("cli: usage")

// Run executes one command and returns the process exit status: 0 success,
// 1 failure, 2 a mistake in the command line.
func Run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	err := run(ctx, args, getenv, stdin, stdout, stderr)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		fmt.Fprintln(stderr, "Xem / see: scorecard --help")
		return 2
	default:
		printError(stderr, err)
		return 1
	}
}

// printError says what went wrong on the terminal.
func printError(w io.Writer, err error) {
	var pe *importer.ProblemsError
	switch {
	case errors.As(err, &pe), errors.Is(err, errPrinted): // import problems were printed already
	case errors.Is(err, errAuditBroken): // where it breaks was printed already
	case errors.Is(err, store.ErrDiskFull):
		// What to do, in words; the technical cause after it.
		fmt.Fprintln(w, "Lỗi:", i18n.VI.T("error.diskfull"))
		fmt.Fprintln(w, "Error:", i18n.EN.T("error.diskfull"))
		fmt.Fprintln(w, "Chi tiết / detail:", err)
	default:
		fmt.Fprintln(w, "Lỗi / error:", err)
	}
}

func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	cmd := "serve"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		cmd, args = args[0], args[1:]
	}
	switch cmd {
	case "serve":
		return serve(ctx, cfg, args, stdout, stderr)
	case "import":
		return importCmd(ctx, cfg, args, stdout, stderr)
	case "fetch":
		return fetchCmd(ctx, cfg, args, stdout, stderr)
	case "publish":
		return publishCmd(ctx, cfg, args, stdout, stderr)
	case "demo":
		return demoCmd(ctx, cfg, args, stdout, stderr)
	case "alerts":
		return alertsCmd(ctx, cfg, args, getenv, stdout, stderr)
	case "user":
		return userCmd(ctx, cfg, args, stdin, stdout, stderr)
	case "healthcheck":
		return healthcheck(ctx, cfg, args, stdout, stderr)
	case "audit":
		return auditCmd(ctx, cfg, args, stdout, stderr)
	case "backup":
		return backupCmd(ctx, cfg, args, stdout, stderr)
	case "restore":
		return restoreCmd(ctx, cfg, args, stdout, stderr)
	case "migrate-db":
		return migrateDBCmd(ctx, cfg, args, stdout, stderr)
	case "gen-dossiers":
		return genDossiersCmd(ctx, cfg, args, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprintf(stderr, "Lệnh không rõ / unknown command %q\n", cmd)
	return errUsage
}

// flags builds a flag set with the options every command shares.
func flags(name string, cfg *config.Config, stdout, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stdout, usage) }
	fs.StringVar(&cfg.DBPath, "db", cfg.DBPath, "database file (or PostgreSQL DSN)")
	fs.StringVar(&cfg.SchemesDir, "schemes", cfg.SchemesDir, "folder of scheme files")
	return fs
}

func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	return nil
}

// loadSchemes reads the embedded default and, when configured, a folder of
// scheme files that override it by id or add new versions.
func loadSchemes(dir string) (*scoring.Schemes, error) {
	list, err := data.SchemeList()
	if err != nil {
		return nil, fmt.Errorf("cli: %w", err)
	}
	if dir != "" {
		st, err := os.Stat(dir)
		if err != nil || !st.IsDir() {
			return nil, fmt.Errorf("cli: schemes folder %s is not a readable folder", dir)
		}
		more, err := scoring.LoadSchemes(os.DirFS(dir), ".", dir+string(os.PathSeparator))
		if err != nil {
			return nil, fmt.Errorf("cli: %w", err)
		}
		list = append(list, more...)
	}
	s, err := scoring.NewSchemes(list...)
	if err != nil {
		return nil, fmt.Errorf("cli: %w", err)
	}
	return s, nil
}

// open validates the configuration, loads the schemes and opens the store.
func open(ctx context.Context, cfg config.Config) (*store.Store, *scoring.Schemes, error) {
	if err := cfg.Validate(); err != nil {
		return nil, nil, err
	}
	schemes, err := loadSchemes(cfg.SchemesDir)
	if err != nil {
		return nil, nil, err
	}
	st, err := store.Open(ctx, store.Config{Driver: cfg.DBDriver, DSN: cfg.DBPath})
	if err != nil {
		return nil, nil, fmt.Errorf("cli: open database: %w", err)
	}
	return st, schemes, nil
}

func logger(w io.Writer) *slog.Logger {
	return slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: slog.LevelInfo}))
}
