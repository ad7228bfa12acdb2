#!/usr/bin/env bash
# Benchmark of the dossier import against the SQLite floor (issue 3).
#
# Generates ROWS dossiers of the demo province with `scorecard gen-dossiers`,
# then, on the same CSV file and in the same run, ROUNDS times in turn:
#   1. `scorecard import` of the file into a fresh database holding the
#      demo units and the generated catalogue: every row validated and
#      written, every count of every unit and period derived and stored;
#      under /usr/bin/time -v for the peak RSS;
#   2. `sqlite3 FLOOR.db '.import --csv FILE t'` into a bare table: the floor
#      for getting those rows into SQLite at all;
# and prints the median of each and their ratio (on a shared machine the
# rounds differ; interleaving them gives both the same conditions). Then:
#   3. a re-import of one month (every dossier received in it rated
#      dissatisfied): the time to write it and to derive that month, its
#      quarter, half-year and year again;
#   4. bench/dossierbench: reading, validating and deriving alone, in
#      memory (no database), for comparison.
# The file stays in the page cache for all of them, so none pays for the
# disk.
#
#   bench/dossiers.sh                          # 1,000,000 rows, 12 months, 3 rounds
#   ROWS=200000 MONTHS=6 ROUNDS=1 bench/dossiers.sh
#
# go test -bench RederiveMonth ./store measures step 3 on its own.
set -euo pipefail

ROWS=${ROWS:-1000000}
MONTHS=${MONTHS:-12}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-3}
MONTH=${MONTH:-2024-03} # the month re-imported in step 3
WORK=${WORK:-/tmp/scorecard-bench}
FILE="$WORK/dossiers.csv"
CATALOGUE="$WORK/dossiers.catalogue.csv"
DB="$WORK/bench.db"
FLOOR_DB="$WORK/floor.db"
BIN="$WORK/scorecard"
PIPE="$WORK/dossierbench"

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
cpu() { awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.2f", s }' "$1"; }
rss() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.2f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

echo "== build"
go build -o "$BIN" .
go build -o "$PIPE" ./bench/dossierbench

echo "== generate $ROWS rows over $MONTHS months (seed $SEED)"
"$BIN" gen-dossiers --rows "$ROWS" --months "$MONTHS" --seed "$SEED" "$FILE"
cat "$FILE" "$CATALOGUE" >/dev/null # warm the page cache

walls="" cpus="" rsss="" derives="" floors="" fcpus=""
for round in $(seq 1 "$ROUNDS"); do
	echo "== round $round of $ROUNDS: scorecard import (validate, write, derive every count)"
	rm -f "$DB" "$DB"-wal "$DB"-shm
	"$BIN" import --db "$DB" data/demo/units.csv "$CATALOGUE" >/dev/null
	t0=$(now)
	/usr/bin/time -v "$BIN" import --db "$DB" "$FILE" 2>"$WORK/time-import.txt" >"$WORK/import.txt"
	t1=$(now)
	cut -c1-160 "$WORK/import.txt"
	walls="$walls $(secs "$t0" "$t1")" cpus="$cpus $(cpu "$WORK/time-import.txt")" rsss="$rsss $(rss "$WORK/time-import.txt")"
	derives="$derives $(sed -n 's/.*derived count(s) written in \([0-9.]*\) s.*/\1/p' "$WORK/import.txt")"

	echo "== round $round of $ROUNDS: floor, sqlite3 .import into a bare table"
	rm -f "$FLOOR_DB"
	t0=$(now)
	/usr/bin/time -v sqlite3 "$FLOOR_DB" ".import --csv $FILE t" 2>"$WORK/time-floor.txt"
	t1=$(now)
	floors="$floors $(secs "$t0" "$t1")" fcpus="$fcpus $(cpu "$WORK/time-floor.txt")"
	floor_rows=$(sqlite3 "$FLOOR_DB" 'SELECT count(*) FROM t')
	rm -f "$FLOOR_DB"
	echo "   import$(echo "$walls" | awk '{ print $NF }') s, floor$(echo "$floors" | awk '{ print $NF }') s"
done

echo "== re-import of $MONTH, every dossier rated dissatisfied"
awk -F, -v OFS=, -v m="$MONTH" 'NR == 1 { print; next } substr($4, 1, 7) == m { $17 = "dissatisfied"; print }' "$FILE" >"$WORK/month.csv"
month_rows=$(($(wc -l <"$WORK/month.csv") - 1))
t0=$(now)
"$BIN" import --db "$DB" "$WORK/month.csv" | tee "$WORK/reimport.txt" | cut -c1-160
t1=$(now)
reimport=$(secs "$t0" "$t1")
rederive=$(sed -n 's/.*derived count(s) written in \([0-9.]*\) s.*/\1/p' "$WORK/reimport.txt")

echo "== in memory: read, validate, derive (dossierbench)"
/usr/bin/time -v "$PIPE" -in "$FILE" 2>"$WORK/time-pipe.txt"
t_pipe=$(awk -F': ' '/Elapsed/ { n = split($2, a, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + a[i]; printf "%.2f", s }' "$WORK/time-pipe.txt")

wall=$(echo "$walls" | median) cpum=$(echo "$cpus" | median) rssm=$(echo "$rsss" | median) derive=$(echo "$derives" | median)
floor=$(echo "$floors" | median) fcpu=$(echo "$fcpus" | median)
echo
echo "== results ($ROWS rows, $(du -m "$FILE" | cut -f1) MB CSV, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
echo "   rounds: import wall$walls s; floor wall$floors s; peak RSS$rsss MB"
awk -v ours="$wall" -v cpu="$cpum" -v rss="$rssm" -v derive="$derive" -v floor="$floor" -v fcpu="$fcpu" -v frows="$floor_rows" \
	-v rows="$ROWS" -v month="$MONTH" -v mrows="$month_rows" -v reimport="$reimport" -v rederive="$rederive" \
	-v pipe="$t_pipe" -v prss="$(rss "$WORK/time-pipe.txt")" 'BEGIN {
	printf "scorecard import (write + derive):  %6.2f s wall  %6.2f s CPU  %9.0f rows/s  peak RSS %d MB  (derivation %.2f s)  [medians]\n", ours, cpu, rows / ours, rss, derive
	printf "sqlite3 .import floor:              %6.2f s wall  %6.2f s CPU  %9.0f rows/s  (%d rows in the table)  [medians]\n", floor, fcpu, frows / floor, frows
	printf "ratio import / floor:               %6.2f wall    %6.2f CPU\n", ours / floor, cpu / fcpu
	printf "re-import of %s (%d rows):     %6.2f s wall, of which deriving the month, quarter, half-year, year again %.2f s\n", month, mrows, reimport, rederive
	printf "in memory (read+validate+derive):   %6.2f s wall  peak RSS %d MB\n", pipe, prss
}'
