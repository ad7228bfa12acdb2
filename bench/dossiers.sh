#!/usr/bin/env bash
# Benchmark of the dossier import against the SQLite floor.
#
# Generates two files of ROWS dossiers each, of two shapes:
#   demo     the demo province (`scorecard gen-dossiers`): ~100 units over
#            MONTHS months, codes made of the office and the day;
#   onestop  a provincial one-stop centre (bench/onestop, written apart
#            from the demo generator): 4 units with very many dossiers
#            each, 36 procedures, codes numbered in file order
#            (D00000000…), received times at random over three months and
#            the 20 days before them;
# then, for each file and in the same run, ROUNDS times in turn:
#   1. `scorecard import` of the file into a fresh database holding its
#      units and catalogue: every row validated and written, every count of
#      every unit and period derived and stored; under /usr/bin/time -v for
#      the peak RSS;
#   2. `sqlite3 FLOOR.db '.import --csv FILE t'` into a bare table: the floor
#      for getting those rows into SQLite at all;
# and prints, per file, the median of each and their ratio (on a shared
# machine the rounds differ; interleaving them gives both the same
# conditions). Then, on the demo file:
#   3. a re-import of one month (every dossier received in it rated
#      dissatisfied): the time to write it and to derive that month, its
#      quarter, half-year and year again;
#   4. bench/dossierbench: reading, validating and deriving alone, in
#      memory (no database), for comparison.
# The file stays in the page cache for all of them, so none pays for the
# disk.
#
#   bench/dossiers.sh                          # 1,000,000 rows a file, 12 months, 3 rounds
#   ROWS=200000 MONTHS=6 ROUNDS=1 bench/dossiers.sh
#   SHAPES=onestop bench/dossiers.sh           # one file only (demo, onestop)
#
# go test -bench RederiveMonth ./store measures step 3 on its own.
set -euo pipefail

ROWS=${ROWS:-1000000}
MONTHS=${MONTHS:-12}
SEED=${SEED:-1}
ROUNDS=${ROUNDS:-3}
SHAPES=${SHAPES:-demo onestop}
MONTH=${MONTH:-2024-03} # the month re-imported in step 3
WORK=${WORK:-/tmp/scorecard-bench}
DB="$WORK/bench.db"
FLOOR_DB="$WORK/floor.db"
BIN="$WORK/scorecard"
PIPE="$WORK/dossierbench"
ONESTOP="$WORK/onestop"

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
go build -o "$ONESTOP" ./bench/onestop

# file, then what to import before it (units, catalogue), by shape
file_of() { echo "$WORK/$1.csv"; }
setup_of() {
	case $1 in
	demo) echo "data/demo/units.csv $WORK/demo.catalogue.csv" ;;
	onestop) echo "$WORK/onestop.units.csv $WORK/onestop.catalogue.csv" ;;
	*) echo "unknown shape $1 (demo, onestop)" >&2; exit 2 ;;
	esac
}
for shape in $SHAPES; do
	echo "== generate $shape: $ROWS rows (seed $SEED)"
	case $shape in
	demo) "$BIN" gen-dossiers --rows "$ROWS" --months "$MONTHS" --seed "$SEED" "$(file_of demo)" ;;
	onestop) "$ONESTOP" -rows "$ROWS" -seed "$SEED" -out "$(file_of onestop)" ;;
	esac
	cat "$(file_of "$shape")" $(setup_of "$shape") >/dev/null # warm the page cache
done

declare -A walls cpus rsss derives floors fcpus frows
for round in $(seq 1 "$ROUNDS"); do
	for shape in $SHAPES; do
		file=$(file_of "$shape")
		echo "== round $round of $ROUNDS, $shape: scorecard import (validate, write, derive every count)"
		rm -f "$DB" "$DB"-wal "$DB"-shm
		"$BIN" import --db "$DB" $(setup_of "$shape") >/dev/null
		t0=$(now)
		/usr/bin/time -v "$BIN" import --db "$DB" "$file" 2>"$WORK/time-import.txt" >"$WORK/import.txt"
		t1=$(now)
		cut -c1-160 "$WORK/import.txt"
		walls[$shape]="${walls[$shape]:-} $(secs "$t0" "$t1")"
		cpus[$shape]="${cpus[$shape]:-} $(cpu "$WORK/time-import.txt")"
		rsss[$shape]="${rsss[$shape]:-} $(rss "$WORK/time-import.txt")"
		derives[$shape]="${derives[$shape]:-} $(sed -n 's/.*derived count(s) written in \([0-9.]*\) s.*/\1/p' "$WORK/import.txt")"

		echo "== round $round of $ROUNDS, $shape: floor, sqlite3 .import into a bare table"
		rm -f "$FLOOR_DB"
		t0=$(now)
		/usr/bin/time -v sqlite3 "$FLOOR_DB" ".import --csv $file t" 2>"$WORK/time-floor.txt"
		t1=$(now)
		floors[$shape]="${floors[$shape]:-} $(secs "$t0" "$t1")"
		fcpus[$shape]="${fcpus[$shape]:-} $(cpu "$WORK/time-floor.txt")"
		frows[$shape]=$(sqlite3 "$FLOOR_DB" 'SELECT count(*) FROM t')
		rm -f "$FLOOR_DB"
		echo "   import$(echo "${walls[$shape]}" | awk '{ print $NF }') s, floor$(echo "${floors[$shape]}" | awk '{ print $NF }') s"
	done
done

case " $SHAPES " in
*" demo "*)
	# The database of the demo file's last round is still there when the
	# demo file came last; otherwise import it again.
	if [ "$(echo "$SHAPES" | awk '{ print $NF }')" != demo ]; then
		rm -f "$DB" "$DB"-wal "$DB"-shm
		"$BIN" import --db "$DB" $(setup_of demo) "$(file_of demo)" >/dev/null
	fi
	FILE=$(file_of demo)
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
	;;
esac

echo
echo "== results ($ROWS rows a file, $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg))"
for shape in $SHAPES; do
	wall=$(echo "${walls[$shape]}" | median) cpum=$(echo "${cpus[$shape]}" | median) rssm=$(echo "${rsss[$shape]}" | median)
	derive=$(echo "${derives[$shape]}" | median) floor=$(echo "${floors[$shape]}" | median) fcpu=$(echo "${fcpus[$shape]}" | median)
	echo "-- $shape: $(du -m "$(file_of "$shape")" | cut -f1) MB CSV; rounds: import wall${walls[$shape]} s; floor wall${floors[$shape]} s; peak RSS${rsss[$shape]} MB"
	awk -v ours="$wall" -v cpu="$cpum" -v rss="$rssm" -v derive="$derive" -v floor="$floor" -v fcpu="$fcpu" -v frows="${frows[$shape]}" \
		-v rows="$ROWS" 'BEGIN {
		printf "scorecard import (write + derive):  %6.2f s wall  %6.2f s CPU  %9.0f rows/s  peak RSS %d MB  (derivation %.2f s)  [medians]\n", ours, cpu, rows / ours, rss, derive
		printf "sqlite3 .import floor:              %6.2f s wall  %6.2f s CPU  %9.0f rows/s  (%d rows in the table)  [medians]\n", floor, fcpu, frows / floor, frows
		printf "ratio import / floor:               %6.2f wall    %6.2f CPU\n", ours / floor, cpu / fcpu
	}'
done
if [ -n "${reimport:-}" ]; then
	awk -v month="$MONTH" -v mrows="$month_rows" -v reimport="$reimport" -v rederive="$rederive" \
		-v pipe="$t_pipe" -v prss="$(rss "$WORK/time-pipe.txt")" 'BEGIN {
		printf "-- demo: re-import of %s (%d rows): %6.2f s wall, of which deriving the month, quarter, half-year, year again %.2f s\n", month, mrows, reimport, rederive
		printf "-- demo: in memory (read+validate+derive): %6.2f s wall  peak RSS %d MB\n", pipe, prss
	}'
fi
