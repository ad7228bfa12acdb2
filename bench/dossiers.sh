#!/usr/bin/env bash
# Benchmark of the dossier pipeline against the SQLite floor (issue 3).
#
# Generates ROWS dossiers of the demo province, then, on the same CSV file:
#   1. reads, validates and derives every count with bench/dossierbench,
#      under /usr/bin/time -v for the peak RSS;
#   2. times `sqlite3 FLOOR.db '.import --csv FILE t'` into a bare table: the
#      floor for getting those rows into SQLite at all;
# and prints both and their ratio. The file stays in the page cache for
# both, so neither pays for the disk.
#
#   bench/dossiers.sh                 # 1,000,000 rows, 12 months
#   ROWS=200000 MONTHS=6 bench/dossiers.sh
#
# When `scorecard import` takes dossier files, step 1 will time it too.
set -euo pipefail

ROWS=${ROWS:-1000000}
MONTHS=${MONTHS:-12}
SEED=${SEED:-1}
WORK=${WORK:-/tmp/scorecard-bench}
FILE="$WORK/dossiers.csv"
FLOOR_DB="$WORK/floor.db"
BIN="$WORK/dossierbench"

cd "$(dirname "$0")/.."
mkdir -p "$WORK"

need() { # command, Debian package
	if ! command -v "$1" >/dev/null 2>&1; then
		echo "installing $2 …" >&2
		apt-get install -y "$2" >/dev/null
	fi
}
need sqlite3 sqlite3
[ -x /usr/bin/time ] || { echo "installing time …" >&2; apt-get install -y time >/dev/null; }

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }

echo "== build"
go build -o "$BIN" ./bench/dossierbench

echo "== generate $ROWS rows over $MONTHS months (seed $SEED)"
"$BIN" -gen -rows "$ROWS" -months "$MONTHS" -seed "$SEED" -out "$FILE"
cat "$FILE" "$FILE".catalogue.csv >/dev/null 2>&1 || true # warm the page cache

echo "== read, validate, derive (dossierbench)"
t0=$(now)
/usr/bin/time -v "$BIN" -in "$FILE" 2>"$WORK/time.txt"
t1=$(now)
ours=$(secs "$t0" "$t1")
rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/time.txt")

echo "== floor: sqlite3 .import into a bare table"
rm -f "$FLOOR_DB"
t0=$(now)
/usr/bin/time -v sqlite3 "$FLOOR_DB" ".import --csv $FILE t" 2>"$WORK/time-floor.txt"
t1=$(now)
floor_cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$WORK/time-floor.txt")
floor=$(secs "$t0" "$t1")
floor_rows=$(sqlite3 "$FLOOR_DB" 'SELECT count(*) FROM t')
rm -f "$FLOOR_DB"

echo
echo "== results ($ROWS rows, $(du -m "$FILE" | cut -f1) MB CSV, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg))"
awk -v ours="$ours" -v cpu="$cpu" -v floor="$floor" -v fcpu="$floor_cpu" -v rows="$ROWS" -v rss="$rss_kb" -v frows="$floor_rows" 'BEGIN {
	printf "read+validate+derive (whole process): %6.2f s wall  %6.2f s CPU  %9.0f rows/s  peak RSS %.0f MB\n", ours, cpu, rows / ours, rss / 1024
	printf "sqlite3 .import floor:                %6.2f s wall  %6.2f s CPU  %9.0f rows/s  (%d rows in the table)\n", floor, fcpu, frows / floor, frows
	printf "ratio ours / floor:                   %6.2f wall    %6.2f CPU\n", ours / floor, cpu / fcpu
}'
