#!/usr/bin/env bash
# HTTP ingest benchmark: wrk POSTs one message per request (unique uuid each) over keep-alive connections for
# a fixed time; then, once the drain has caught up, checks that every message answered 202 is in the table.
#
#   bench/http_ingest.sh [DURATION] [CONNECTIONS]     (defaults 30s and 50; wrk -t2)
#
# Env: WARMUP (default 30s: after 5 s the JIT is far from done and the figures come out ~1.5x lower; its
#      messages go to the same table and are checked too), THREADS (wrk threads, 2),
#      BENCH_DB (default test), JAVA_OPTS (service JVM), DRAIN_WAIT_TIMEOUT (seconds, default 600),
#      BENCH_QUIET_TIMEOUT (seconds to wait for other work on the machine to stop first, default 180).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

DURATION=${1:-30s}
CONNECTIONS=${2:-50}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-30s}
[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION must look like 30s, 2m or 45, got '$DURATION'"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive whole number, got '$CONNECTIONS'"
[ "$CONNECTIONS" -ge "$THREADS" ] || die "CONNECTIONS must be at least THREADS ($THREADS)"
SERVICE_PORT=5091
SERVICE_SCHEMA=bench_http
SERVICE_QUEUE=bench_http_queue
DRAIN_WAIT_TIMEOUT=${DRAIN_WAIT_TIMEOUT:-600}
URL="http://127.0.0.1:$SERVICE_PORT"

ensure_debian_cmd wrk wrk
preflight "$SERVICE_PORT"
begin_run http
wait_quiet

log "starting the service on port $SERVICE_PORT (schema $BENCH_DB.$SERVICE_SCHEMA, queue $SERVICE_QUEUE)"
start_service_and_wait

# wrk [run number] [duration] -> prints wrk's output; the BENCH line goes to $WORK/run<N>.bench
# wrk's own CPU (user + sys seconds) goes to $WORK/run<N>.cpu, from bash's `time`
run_wrk() {
  local rc TIMEFORMAT='%U %S'
  { time BENCH_RUN=$1 BENCH_ACCEPTED_FILE="$WORK/accepted-$1.txt" \
    wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s --latency -s "$BENCH_DIR/post_message.lua" "$URL" \
    >"$WORK/run$1.out" 2>&1; rc=$?; } 2>"$WORK/run$1.time"
  awk '{ printf "%.2f", $1 + $2 }' "$WORK/run$1.time" >"$WORK/run$1.cpu"
  grep '^BENCH ' "$WORK/run$1.out" | sed 's/^BENCH //' >"$WORK/run$1.bench"
  [ "$rc" = 0 ] && [ -s "$WORK/run$1.bench" ] || { cat "$WORK/run$1.out" >&2; die "wrk failed"; }
}

log "warm-up: $WARMUP, $CONNECTIONS connections, $THREADS threads"
run_wrk 1 "$WARMUP"
( . <(tr ' ' '\n' <"$WORK/run1.bench"); log "warm-up: $rps req/s, p99 $p99_ms ms, $accepted accepted" )
# let the drain catch up with the warm-up so the measured run starts from an empty queue
python3 "$BENCHLIB" wait-drained --queue "$SERVICE_QUEUE" --timeout "$DRAIN_WAIT_TIMEOUT" >/dev/null \
  || die "the drain did not catch up with the warm-up"

log "measured run: $DURATION, $CONNECTIONS connections, $THREADS threads"
python3 "$BENCHLIB" cpu-snap --pid "$SERVICE_PID" >"$WORK/cpu0"
run_wrk 2 "$DURATION"
python3 "$BENCHLIB" cpu-snap --pid "$SERVICE_PID" >"$WORK/cpu1"
backlog_at_end=$(( $(redis llen "$SERVICE_QUEUE") ))

log "waiting for the drain to store everything (at most ${DRAIN_WAIT_TIMEOUT}s)"
catchup=$(python3 "$BENCHLIB" wait-drained --queue "$SERVICE_QUEUE" --timeout "$DRAIN_WAIT_TIMEOUT") \
  || die "the drain did not empty $SERVICE_QUEUE in ${DRAIN_WAIT_TIMEOUT}s"
cpu_lines=$(python3 "$BENCHLIB" cpu-report "$WORK/cpu0" "$WORK/cpu1" --pid "$SERVICE_PID" --names \
  --extra "wrk=$(cat "$WORK/run2.cpu")" --count "$(sed -n 's/.*requests=\([0-9]*\).*/\1/p' "$WORK/run2.bench")" \
  --unit "requests (ingest + their drain)" --title "CPU during the measured run")
stop_service   # graceful: nothing is claimed any more, so nothing is left to write

# ---- every accepted message stored? (by uuid, not only by count)
cat "$WORK/accepted-1.txt" "$WORK/accepted-2.txt" >"$WORK/accepted.txt"
check=$(psql_db -tA <<SQL
CREATE TEMP TABLE accepted (message_uuid uuid);
\\copy accepted FROM '$WORK/accepted.txt'
SELECT (SELECT count(*) FROM accepted) || ' ' || (SELECT count(DISTINCT message_uuid) FROM accepted) || ' ' ||
       (SELECT count(*) FROM $SERVICE_SCHEMA.message_exchange) || ' ' ||
       (SELECT count(*) FROM accepted a WHERE NOT EXISTS
          (SELECT 1 FROM $SERVICE_SCHEMA.message_exchange m WHERE m.message_uuid = a.message_uuid)) || ' ' ||
       (SELECT count(*) FROM $SERVICE_SCHEMA.message_exchange m WHERE NOT EXISTS
          (SELECT 1 FROM accepted a WHERE a.message_uuid = m.message_uuid));
SQL
) || die "the stored-messages check failed to run"
read -r accepted_all accepted_distinct stored missing unacknowledged <<<"$check"
dead=$(redis llen "$SERVICE_QUEUE:dead")

# ---- report
eval "$(tr ' ' '\n' <"$WORK/run1.bench" | sed 's/^/w_/')"
eval "$(tr ' ' '\n' <"$WORK/run2.bench")"
verdict_rps=$(awk -v r="$rps" 'BEGIN { print (r >= 10000 ? "MET" : "NOT MET") }')
verdict_p99=$(awk -v p="$p99_ms" 'BEGIN { print (p < 20 ? "MET" : "NOT MET") }')
non2xx=$((non202))
pass=$([ "$missing" = 0 ] && [ "$accepted_all" = "$accepted_distinct" ] && echo PASS || echo FAIL)
summary="$WORK/summary.txt"
{
  echo
  echo "== HTTP ingest benchmark (bench/http_ingest.sh) $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
  echo "load                       wrk -t$THREADS -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up), one message (~330 bytes) per POST, keep-alive"
  echo "--- wrk's own output (measured run):"
  grep -v '^BENCH ' "$WORK/run2.out"
  echo "---"
  printf 'requests/s                 %9s       target >= 10000: %s\n' "$rps" "$verdict_rps"
  printf 'latency p50 / p90 / p99    %s / %s / %s ms   (max %s ms)   p99 target < 20 ms: %s\n' \
    "$p50_ms" "$p90_ms" "$p99_ms" "$max_ms" "$verdict_p99"
  printf 'requests / non-2xx         %s / %s   (socket errors: connect %s, read %s, write %s, timeout %s)\n' \
    "$requests" "$non2xx" "$connect_errors" "$read_errors" "$write_errors" "$timeouts"
  printf 'accepted (202)             %s measured + %s warm-up = %s (%s distinct uuids)\n' \
    "$accepted" "$w_accepted" "$accepted_all" "$accepted_distinct"
  printf 'stored (COUNT(*))          %s   (%s more than accepted: requests in flight when wrk stopped, stored without wrk seeing the 202)\n' \
    "$stored" "$unacknowledged"
  printf 'drain                      %s entries waiting when wrk stopped, stored %s s later; dead letters: %s\n' \
    "$backlog_at_end" "$catchup" "$dead"
  echo "every accepted message stored: $pass ($missing accepted uuids missing from the table)"
  echo
  echo "$cpu_lines"
} | tee "$summary"
echo "saved in $(save_results http_ingest "$summary")"
[ "$pass" = PASS ]
