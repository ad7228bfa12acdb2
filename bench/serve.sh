#!/usr/bin/env bash
# Benchmark of serving pages: the server against nginx serving the very same
# bytes as static files, side by side in one run.
#
#   1. starts `scorecard serve` on a fresh database with the demo data;
#   2. saves the bytes of four answers as a browser asks for them
#      (Accept-Encoding: gzip, deflate, br): the overview, the commune
#      rankings, a unit page and /api/v1/rankings;
#   3. serves those files with nginx (Debian's nginx-light), with the same
#      Content-Type and Content-Encoding;
#   4. prints, for each answer, the requests/s of both at CONNS connections
#      and their ratio (the ratio, not the absolute figure, is what counts on
#      a shared machine), then the server's p99 and errors at HICONNS
#      connections;
#   5. the same while `scorecard import` writes ROWS dossiers into the
#      server's database, again and again (two files in turn, each a
#      correction of the demo's published months, so the pages change
#      whenever one commits), and whether anything logged "database is
#      locked".
# The server's memory (VmRSS and its peak VmHWM) is printed after each part.
#
#   bench/serve.sh
#   ROWS=200000 DURATION=3s ROUNDS=1 bench/serve.sh
#   SOAK=600 bench/serve.sh
#
# With SOAK=seconds, a bounded soak instead: steady wrk load at HICONNS
# connections over the four answers and every unit's page of the last
# SOAK_MONTHS months (both kinds' rankings too), for that long, sampling the
# server's memory (VmRSS) every 10 s; prints the samples, min/max/last, and
# whether it is flat (the last third's mean within SOAK_FLAT_MB of the
# second third's: the first third includes the pages' first renderings).
#
# Goal: every ratio ≥ 0,5; p99 < 20 ms at 64 connections with no error;
# during the import p99 < 100 ms, no error, no "database is locked".
set -euo pipefail

WORK=${WORK:-/tmp/scorecard-serve-bench}
PORT=${PORT:-18300}
NGINX_PORT=${NGINX_PORT:-18301}
DURATION=${DURATION:-5s}
CONNS=${CONNS:-32}
HICONNS=${HICONNS:-64}
THREADS=${THREADS:-2}
ROWS=${ROWS:-1000000}
ROUNDS=${ROUNDS:-3}
SOAK=${SOAK:-0}
SOAK_MONTHS=${SOAK_MONTHS:-4}
SOAK_FLAT_MB=${SOAK_FLAT_MB:-5}
PERIOD=${PERIOD:-2024-04}
UNIT=${UNIT:-BK.SGDDT}
AE='Accept-Encoding: gzip, deflate, br'
REASON="Đo hiệu năng: nhập hồ sơ trong lúc phục vụ"
DB="$WORK/serve.db"
BIN="$WORK/scorecard"

cd "$(dirname "$0")/.."
for c in wrk nginx curl; do
	command -v "$c" >/dev/null || { echo "bench/serve.sh needs $c (apt-get install -y wrk nginx-light curl)" >&2; exit 2; }
done
rm -rf "$WORK"
mkdir -p "$WORK/www" "$WORK/nginx"

# name, path: the answers compared
NAMES=(overview communes unit api)
declare -A URLS=(
	[overview]="/?period=$PERIOD"
	[communes]="/rankings?kind=commune&period=$PERIOD"
	[unit]="/units/$UNIT?period=$PERIOD"
	[api]="/api/v1/rankings"
)

SERVER_PID='' NGINX_PID='' LOOP_PID=''
stop() {
	touch "$WORK/stop"
	for pid in $LOOP_PID $([ -e "$WORK/import.pid" ] && cat "$WORK/import.pid") $NGINX_PID $SERVER_PID; do
		kill "$pid" 2>/dev/null || true
	done
	wait 2>/dev/null || true
}
trap stop EXIT

echo "== build"
go build -o "$BIN" .

echo "== start the server on the demo data"
if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
	echo "something already answers on 127.0.0.1:$PORT: set PORT" >&2
	exit 1
fi
"$BIN" serve --db "$DB" --addr "127.0.0.1:$PORT" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
	curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null 2>&1 && break
	sleep 0.2
done
curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null || { cat "$WORK/server.log"; exit 1; }
# Another program answering on PORT would be measured instead.
kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log"; echo "the server did not start (PORT=$PORT in use?)" >&2; exit 1; }

# the server's memory: "VmRSS MB (peak VmHWM MB)"
memory() {
	awk '/^VmRSS/ { r = $2 } /^VmHWM/ { h = $2 } END { printf "%.0f MB (peak %.0f MB)", r / 1024, h / 1024 }' "/proc/$SERVER_PID/status"
}

load() { cut -d' ' -f1-3 /proc/loadavg; }

comma() { tr . ,; }

# soak: steady load over many pages while the memory is sampled.
soak() {
	local paths=() p code m unit
	for n in "${NAMES[@]}"; do paths+=("${URLS[$n]}"); done
	for m in $(seq 0 $((SOAK_MONTHS - 1))); do
		p=$(date -d "$PERIOD-01 -$m month" +%Y-%m)
		paths+=("/rankings?period=$p" "/rankings?kind=commune&period=$p")
		for kind in agency commune; do
			for unit in $(curl -fs "http://127.0.0.1:$PORT/api/v1/rankings?period=$p&kind=$kind" | grep -o '"unit_code":"[^"]*"' | cut -d'"' -f4); do
				paths+=("/units/$unit?period=$p")
			done
		done
	done
	{
		echo 'local paths = {'
		for p in "${paths[@]}"; do printf '  "%s",\n' "$p"; done
		echo '}'
		echo 'local i = 0'
		echo 'request = function() i = i % #paths + 1; return wrk.format("GET", paths[i]) end'
	} >"$WORK/soak.lua"
	echo
	echo "== soak: $HICONNS connections over ${#paths[@]} pages for $SOAK s, memory every 10 s (load average $(load))"
	wrk -t"$THREADS" -c"$HICONNS" -d"${SOAK}s" --timeout 10s --latency -H "$AE" -s "$WORK/soak.lua" "http://127.0.0.1:$PORT" >"$WORK/soak.wrk" &
	local wrk_pid=$! samples=()
	while kill -0 "$wrk_pid" 2>/dev/null; do
		sleep 10
		kill -0 "$wrk_pid" 2>/dev/null || break
		samples+=("$(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$SERVER_PID/status")")
		printf '   %4d s  %s MB  (load average %s)\n' $((${#samples[@]} * 10)) "${samples[-1]}" "$(load)"
	done
	wait "$wrk_pid"
	awk '/Requests\/sec:/ { rps = $2 } $1 == "99%" { p99 = $2 } /Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		/Non-2xx or 3xx responses:/ { err += $5 } END { printf "   %s requests/s, p99 %s, %d errors\n", rps, p99, err }' "$WORK/soak.wrk" | comma
	echo "${samples[*]}" | tr ' ' '\n' | awk -v flat="$SOAK_FLAT_MB" '
		{ v[NR] = $1; if (NR == 1 || $1 < min) min = $1; if ($1 > max) max = $1 }
		END {
			if (NR < 3) { print "   too few samples"; exit }
			a = int(NR / 3); b = int(2 * NR / 3)
			for (i = a + 1; i <= b; i++) { s2 += v[i]; n2++ }
			for (i = b + 1; i <= NR; i++) { s3 += v[i]; n3++ }
			d = s3 / n3 - s2 / n2
			printf "   memory: min %d MB, max %d MB, last %d MB; last third %+.1f MB against the second: %s\n", min, max, v[NR], d, (d <= flat && d >= -flat ? "flat" : "NOT flat")
		}' | comma
	echo "   server memory: $(memory)"
}

if [ "$SOAK" -gt 0 ]; then
	soak
	exit 0
fi

echo "== save the answers and serve them with nginx"
nginx_locations=''
for n in "${NAMES[@]}"; do
	curl -fs -H "$AE" -D "$WORK/$n.headers" -o "$WORK/www/$n" "http://127.0.0.1:$PORT${URLS[$n]}"
	ctype=$(awk -F': ' 'tolower($1) == "content-type" { sub(/\r$/, "", $2); print $2 }' "$WORK/$n.headers")
	cenc=$(awk -F': ' 'tolower($1) == "content-encoding" { sub(/\r$/, "", $2); print $2 }' "$WORK/$n.headers")
	printf '   %-9s %-40s %7d bytes %s\n' "$n" "${URLS[$n]}" "$(stat -c %s "$WORK/www/$n")" "${cenc:-identity}"
	nginx_locations+="location = /$n { types { } default_type \"$ctype\"; ${cenc:+add_header Content-Encoding $cenc;} }
"
done
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
error_log $WORK/nginx/error.log;
events { worker_connections 1024; }
http {
	access_log off;
	keepalive_requests 1000000;
	client_body_temp_path $WORK/nginx;
	server {
		listen 127.0.0.1:$NGINX_PORT;
		root $WORK/www;
		$nginx_locations
	}
}
EOF
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -g 'daemon off;' &
NGINX_PID=$!
for _ in $(seq 1 50); do
	curl -fs -o /dev/null "http://127.0.0.1:$NGINX_PORT/api" && break
	sleep 0.1
done
for n in "${NAMES[@]}"; do
	cmp -s <(curl -fs -H "$AE" "http://127.0.0.1:$NGINX_PORT/$n") "$WORK/www/$n" || { echo "nginx does not serve $n's bytes" >&2; exit 1; }
done

# wrk CONNECTIONS URL → "requests/s p99_ms errors"
measure() {
	local out
	out=$(wrk -t"$THREADS" -c"$1" -d"$DURATION" --latency -H "$AE" "$2")
	echo "$out" >>"$WORK/wrk.log"
	echo "$out" | awk '
		function ms(v) {
			if (v ~ /us$/) return substr(v, 1, length(v) - 2) / 1000
			if (v ~ /ms$/) return substr(v, 1, length(v) - 2) + 0
			if (v ~ /s$/) return substr(v, 1, length(v) - 1) * 1000
			return v
		}
		$1 == "99%" { p99 = ms($2) }
		/^Requests\/sec:/ { rps = $2 }
		/Socket errors:/ { gsub(/,/, ""); err += $4 + $6 + $8 + $10 }
		/Non-2xx or 3xx responses:/ { err += $5 }
		END { printf "%.0f %.2f %d\n", rps, p99, err }'
}

median() { tr ' ' '\n' | sed '/^$/d' | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# compare TITLE: requests/s of both at CONNS (ROUNDS rounds, interleaved,
# medians) and their ratio, then both at HICONNS: the server's p99 and
# errors, nginx's p99 beside it as the floor
compare() {
	echo
	echo "== $1: requests/s at $CONNS connections, $DURATION each, median of $ROUNDS (load average $(load))"
	printf '   %-9s %12s %12s %7s\n' answer scorecard nginx ratio
	for n in "${NAMES[@]}"; do
		local ours='' theirs='' errs=0 rps err
		for _ in $(seq 1 "$ROUNDS"); do
			read -r rps _ err < <(measure "$CONNS" "http://127.0.0.1:$PORT${URLS[$n]}")
			ours+=" $rps" errs=$((errs + err))
			read -r rps _ _ < <(measure "$CONNS" "http://127.0.0.1:$NGINX_PORT/$n")
			theirs+=" $rps"
		done
		ours=$(echo "$ours" | median) theirs=$(echo "$theirs" | median)
		printf '   %-9s %12s %12s %7s%s\n' "$n" "$ours" "$theirs" \
			"$(awk -v a="$ours" -v b="$theirs" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }' | comma)" \
			"$([ "$errs" -gt 0 ] && echo "  ($errs errors)")"
	done
	echo "== $1: $HICONNS connections, $DURATION each (load average $(load))"
	printf '   %-9s %12s %10s %7s %14s\n' answer requests/s "p99 ms" errors "nginx p99 ms"
	for n in "${NAMES[@]}"; do
		read -r rps p99 err < <(measure "$HICONNS" "http://127.0.0.1:$PORT${URLS[$n]}")
		read -r _ np99 _ < <(measure "$HICONNS" "http://127.0.0.1:$NGINX_PORT/$n")
		printf '   %-9s %12s %10s %7s %14s\n' "$n" "$rps" "$(echo "$p99" | comma)" "$err" "$(echo "$np99" | comma)"
	done
	echo "   server memory: $(memory)"
}

compare "idle"

echo
echo "== generate two files of $ROWS dossiers"
for seed in 1 2; do
	"$BIN" gen-dossiers --rows "$ROWS" --months 12 --end "$PERIOD" --seed "$seed" "$WORK/dossiers$seed.csv" | sed -n 1p
	cat "$WORK/dossiers$seed.csv" >/dev/null
done
"$BIN" import --db "$DB" --correction "$REASON" data/demo/units.csv "$WORK/dossiers1.catalogue.csv" >/dev/null
echo "== import them in turn, without a pause, while serving"
# Each import is a correction of the demo's published months: when it
# commits, the pages change, and the server prepares them again.
: >"$WORK/imports.txt"
(
	i=0
	while [ ! -e "$WORK/stop" ]; do
		i=$((i + 1))
		t0=$(date +%s.%N)
		"$BIN" import --db "$DB" --correction "$REASON" "$WORK/dossiers$((2 - i % 2)).csv" >"$WORK/import$i.log" 2>&1 &
		echo $! >"$WORK/import.pid"
		rc=0
		wait $! || rc=$?
		[ -e "$WORK/stop" ] && break # cut short: not a measure
		echo "$i $rc $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')" >>"$WORK/imports.txt"
	done
) &
LOOP_PID=$!
sleep 2
compare "during the imports"
touch "$WORK/stop"
kill "$(cat "$WORK/import.pid")" 2>/dev/null || true
wait "$LOOP_PID" 2>/dev/null || true
awk '{ n++; if ($2 != 0) bad++; s = s " " $3 } END { printf "   imports that committed during the measures: %d (%d failed), seconds each:%s\n", n, bad, s }' "$WORK/imports.txt" | comma
locked=$(cat "$WORK/server.log" "$WORK"/import*.log | grep -c 'database is locked' || true)
echo "   \"database is locked\" in the server's and the imports' logs: $locked"
sleep 1
for n in "${NAMES[@]}"; do
	printf '   after the imports, %-9s %s s\n' "$n" \
		"$(curl -fs -o /dev/null -H "$AE" -w '%{time_total}' "http://127.0.0.1:$PORT${URLS[$n]}" | comma)"
done
echo "   server memory: $(memory)"
