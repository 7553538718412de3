#!/usr/bin/env bash
# Drain benchmark: N messages already waiting on the Redis list, how fast does the service store them,
# compared with the ceiling of a plain COPY of the same rows into a table with the same key and indexes?
#
#   bench/drain.sh [N]        (default 500000; run from anywhere, the project root is found from this file)
#
# Each round loads the list, times the drain, then times the COPY; ROUNDS rounds (default 3) and the verdict
# is on the median ratio: on this shared 2-core machine one round's ratio wanders by about +-10 %.
#
# Env: ROUNDS (default 3), UUID_KIND=v4|v7 (default v4: random uuids; v7: time-ordered, timestamp = origin_ts),
#      BENCH_DB (default test), BENCH_DATA_DIR (generated files, default /tmp/message-logger-bench),
#      JAVA_OPTS (passed to the service's JVM), DRAIN_TIMEOUT (seconds, default 120 + N/500),
#      BENCH_QUIET_TIMEOUT (seconds to wait for other work on the machine to stop first, default 180).
#      BATCH_SIZE, BATCH_INTERVAL, ... are passed through to the service like any of its settings.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

N=${1:-500000}
[[ "$N" =~ ^[1-9][0-9]*$ ]] || die "N must be a positive whole number, got '$N'"
ROUNDS=${ROUNDS:-3}
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, got '$ROUNDS'"
UUID_KIND=${UUID_KIND:-v4}
[[ "$UUID_KIND" = v4 || "$UUID_KIND" = v7 ]] || die "UUID_KIND must be v4 or v7"
SERVICE_PORT=5090
SERVICE_SCHEMA=bench_drain
SERVICE_QUEUE=bench_drain_queue
DRAIN_TIMEOUT=${DRAIN_TIMEOUT:-$((120 + N / 500))}
COLS="message_uuid, origin_ts, ack_ts, message_data, source_subject_id, destination_subject_ids, topic, message_type, message_metadata"

preflight "$SERVICE_PORT"
begin_run drain

# ---- data: generated once per (N, uuid kind), reused by later runs
DATA="$DATA_ROOT/drain-$UUID_KIND-$N-$SERVICE_QUEUE-v1"
if [ ! -f "$DATA/complete" ]; then
  log "generating $N messages ($UUID_KIND uuids) into $DATA"
  python3 "$BENCHLIB" gen-drain --n "$N" --uuid "$UUID_KIND" --queue "$SERVICE_QUEUE" --out "$DATA" || die "generation failed"
fi
. "$DATA/meta"

# One round: load the list, time the drain, time the COPY, compare; appends the round's figures to $summary
# and its ratio to $WORK/ratios. $1: the round number.
one_round() {
  local round=$1
  if [ "$round" -gt 1 ]; then
    drop_schema "$SERVICE_SCHEMA"
    redis_drop_queue "$SERVICE_QUEUE"
  fi
  # ---- load the list while the service is not running
  log "loading $N messages onto $SERVICE_QUEUE with redis-cli --pipe"
  t_load0=$(now)
  redis --pipe <"$DATA/messages.resp" >"$WORK/pipe.out" 2>&1 || { cat "$WORK/pipe.out" >&2; die "redis-cli --pipe failed"; }
  t_load1=$(now)
  queued=$(redis llen "$SERVICE_QUEUE")
  [ "$queued" = "$N" ] || die "expected $N entries on $SERVICE_QUEUE, found $queued"

  # ---- the drain
  psql_db -c CHECKPOINT
  wait_quiet
  log "starting the service on port $SERVICE_PORT (schema $BENCH_DB.$SERVICE_SCHEMA, queue $SERVICE_QUEUE)"
  t0=$(now)
  start_service
  python3 "$BENCHLIB" watch-drain --pid "$SERVICE_PID" --port "$SERVICE_PORT" --db "$BENCH_DB" --schema "$SERVICE_SCHEMA" \
    --queue "$SERVICE_QUEUE" --n "$N" --t0 "$t0" --timeout "$DRAIN_TIMEOUT" --out "$WORK/drain.result" \
    --cpu-out "$WORK/drain.cpu"
  watch_rc=$?
  # shellcheck disable=SC1091
  . "$WORK/drain.result"
  if [ "$watch_rc" != 0 ]; then
    service_log_tail
    die "drain did not complete: ${error:-unknown} (rows stored: ${stored:-?})"
  fi
  stop_service

  # ---- the ceiling: COPY of the same rows into an empty table with the same key and indexes
  log "COPY ceiling: the same $N rows into $SERVICE_SCHEMA.copy_ceiling (LIKE message_exchange INCLUDING ALL)"
  # settle the drained table first so autovacuum and a checkpoint do not land inside the timed COPY
  psql_db -c "VACUUM ANALYZE $SERVICE_SCHEMA.message_exchange" -c CHECKPOINT \
    -c "CREATE TABLE $SERVICE_SCHEMA.copy_ceiling (LIKE $SERVICE_SCHEMA.message_exchange INCLUDING ALL)" \
    || die "cannot create the COPY table"
  python3 "$BENCHLIB" cpu-snap >"$WORK/copy.cpu0"
  t_copy0=$(now)
  psql_db -c '\timing on' -c "\\copy $SERVICE_SCHEMA.copy_ceiling ($COLS) FROM '$DATA/messages.tsv'" >"$WORK/copy.out" 2>&1 \
    || { cat "$WORK/copy.out" >&2; die "COPY failed"; }
  t_copy1=$(now)
  python3 "$BENCHLIB" cpu-snap >"$WORK/copy.cpu1"
  copy_ms=$(sed -n 's/^Time: \([0-9.]*\) ms.*/\1/p' "$WORK/copy.out" | tail -1)
  if [ -n "$copy_ms" ]; then copy_s=$(awk -v ms="$copy_ms" 'BEGIN { printf "%.2f", ms / 1000 }'); copy_src="psql \\timing"
  else copy_s=$(secs "$t_copy0" "$t_copy1"); copy_src="wall clock around psql"; fi

  # ---- the drained rows are exactly the COPY's rows
  check=$(psql_db -tA -c "SELECT (SELECT count(*) FROM $SERVICE_SCHEMA.message_exchange) || ' ' ||
    (SELECT count(*) FROM $SERVICE_SCHEMA.copy_ceiling) || ' ' ||
    (SELECT count(*) FROM (SELECT $COLS FROM $SERVICE_SCHEMA.message_exchange EXCEPT SELECT $COLS FROM $SERVICE_SCHEMA.copy_ceiling) d) || ' ' ||
    (SELECT count(*) FROM (SELECT $COLS FROM $SERVICE_SCHEMA.copy_ceiling EXCEPT SELECT $COLS FROM $SERVICE_SCHEMA.message_exchange) c)")
  read -r drained_rows copied_rows only_drained only_copied <<<"$check"

  # ---- report
  drain_window=$(awk -v a="$t_first" -v b="$t_done" 'BEGIN { printf "%.2f", b - a }')
  drain_rows=$((N - rows_at_first))
  drain_rate=$(rate "$drain_rows" "$drain_window")
  total_rate=$(rate "$N" "$t_done")
  copy_rate=$(rate "$N" "$copy_s")
  ratio=$(awk -v d="$drain_rate" -v c="$copy_rate" 'BEGIN { printf "%.2f", d / c }')
  verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.5 ? "at or above 0.50" : "below 0.50") }')
  same=$([ "$drained_rows" = "$N" ] && [ "$copied_rows" = "$N" ] && [ "$only_drained" = 0 ] && [ "$only_copied" = 0 ] && echo yes || echo NO)
  {
    echo
    echo "== Drain benchmark (bench/drain.sh) round $round of $ROUNDS, $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
    echo "N                          $N messages, $UUID_KIND uuids, 1000 subjects (Zipf 0.8), avg $gen_avg_bytes bytes"
    echo "service settings           batch.size=${BATCH_SIZE:-500 (default)} batch.interval=${BATCH_INTERVAL:-1000 (default)} JAVA_OPTS='${JAVA_OPTS:-}'"
    printf 'Redis load (--pipe)        %8s s   %9s msg/s   (service not running)\n' "$(secs "$t_load0" "$t_load1")" "$(rate "$N" "$(secs "$t_load0" "$t_load1")")"
    printf 'start -> HTTP ready        %8s s\n' "$t_http"
    printf 'start -> first row         %8s s   (%s rows already committed when first seen)\n' "$t_first" "$rows_at_first"
    printf 'DRAIN first row -> all N   %8s s   %9s rows/s   (%s rows, counted from the first row seen)\n' "$drain_window" "$drain_rate" "$drain_rows"
    printf 'drain incl. start-up       %8s s   %9s rows/s   (java launched -> COUNT(*) = N)\n' "$t_done" "$total_rate"
    printf 'COPY ceiling               %8s s   %9s rows/s   (%s; one \\copy of the same rows, same PK + 2 indexes)\n' "$copy_s" "$copy_rate" "$copy_src"
    printf 'ratio drain/COPY           %8s     (this round %s; the verdict is on the median of the rounds)\n' "$ratio" "$verdict"
    echo "drained rows == COPY rows  $same (drained $drained_rows, copied $copied_rows, only drained $only_drained, only copied $only_copied)"
    echo
    cat "$WORK/drain.cpu" 2>/dev/null
    python3 "$BENCHLIB" cpu-report "$WORK/copy.cpu0" "$WORK/copy.cpu1" --title "CPU during the COPY" --count "$N" --unit rows
  } | tee -a "$summary"
  echo "$ratio" >>"$WORK/ratios"
  [ "$same" = yes ]
}

summary="$WORK/summary.txt"
: >"$summary"
all_same=yes
for round in $(seq "$ROUNDS"); do
  log "round $round of $ROUNDS"
  one_round "$round" || all_same=no
done
median=$(sort -n "$WORK/ratios" | awk '{ r[NR] = $1 } END { if (NR % 2) print r[(NR + 1) / 2]; else printf "%.2f", (r[NR / 2] + r[NR / 2 + 1]) / 2 }')
verdict=$(awk -v r="$median" 'BEGIN { print (r >= 0.5 ? "MET" : "NOT MET") }')
{
  echo
  echo "== Drain benchmark: $ROUNDS round(s) of $N messages =="
  echo "ratios drain/COPY          $(tr '\n' ' ' <"$WORK/ratios")"
  echo "median ratio               $median     target >= 0.50: $verdict"
  echo "every round stored exactly the COPY's rows: $all_same"
} | tee -a "$summary"
echo "saved in $(save_results drain "$summary")"
[ "$all_same" = yes ]
