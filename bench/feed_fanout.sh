#!/usr/bin/env bash
# Live feed fan-out benchmark: CLIENTS WebSocket clients on ws://127.0.0.1:<feed port>/, messages PUBLISHed on the
# service's Redis channel at RATE per second for DURATION seconds; how late and how completely does every message
# reach every client?
#
#   bench/feed_fanout.sh [CLIENTS] [RATE] [DURATION]      (defaults 100 clients, 2000 messages/s, 20 s)
#
# The load client is bench/FeedFanout.java (run with the JDK's source launcher on the service's own jars).
# Target: p99 PUBLISH -> frame delay < 250 ms and no client missing a message. Exit status 0 only when met.
#
# Env: WARMUP (seconds at the same rate before the measured run, default 5), STRAGGLER_WAIT (seconds to wait for
#      the last frames after the last PUBLISH, default 10), JAVA_OPTS (service JVM), CLIENT_JAVA_OPTS (load
#      client JVM), BENCH_DB (default test), BENCH_QUIET_TIMEOUT (seconds to wait for other work on the machine
#      to stop first, default 180). FEED_CLIENT_BUFFER, FEED_SLOW_CLIENT_TIMEOUT, ... pass through to the service.
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

CLIENTS=${1:-100}
RATE=${2:-2000}
DURATION=${3:-20}
DURATION=${DURATION%s}
WARMUP=${WARMUP:-5}
WARMUP=${WARMUP%s}
STRAGGLER_WAIT=${STRAGGLER_WAIT:-10}
[[ "$CLIENTS" =~ ^[1-9][0-9]*$ ]] && [ "$CLIENTS" -le 5000 ] || die "CLIENTS must be 1..5000, got '$CLIENTS'"
[[ "$RATE" =~ ^[1-9][0-9]*$ ]] && [ "$RATE" -le 200000 ] || die "RATE must be 1..200000 messages/s, got '$RATE'"
[[ "$DURATION" =~ ^[1-9][0-9]*$ ]] && [ "$DURATION" -le 3600 ] || die "DURATION must be 1..3600 seconds, got '$DURATION'"
[[ "$WARMUP" =~ ^[0-9]+$ ]] && [ "$WARMUP" -le 600 ] || die "WARMUP must be 0..600 seconds, got '$WARMUP'"
[[ "$STRAGGLER_WAIT" =~ ^[0-9]+$ ]] && [ "$STRAGGLER_WAIT" -le 600 ] || die "STRAGGLER_WAIT must be 0..600 seconds"
SERVICE_PORT=5092
SERVICE_SCHEMA=bench_feed
SERVICE_QUEUE=bench_feed_queue
BENCH_FEED_PORT=5093
BENCH_MANAGEMENT_PORT=9892

preflight "$SERVICE_PORT" "$BENCH_FEED_PORT" "$BENCH_MANAGEMENT_PORT"
before_cleanup() { [ -n "${CLIENT_PID:-}" ] && kill -TERM "$CLIENT_PID" 2>/dev/null; }
begin_run feed
wait_quiet

# the service's own ports, channel and instance (start_service sets HTTP port, queue, schema, database)
export FEED_PORT=$BENCH_FEED_PORT FEED_HOST=127.0.0.1 MANAGEMENT_PORT=$BENCH_MANAGEMENT_PORT MANAGEMENT_HOST=127.0.0.1 \
  REDIS_CHANNEL=$SERVICE_QUEUE REDIS_EVENTS_CHANNEL=$SERVICE_QUEUE:events DRAIN_INSTANCE_ID=bench-feed-$SERVICE_PORT
log "starting the service on port $SERVICE_PORT, feed on $FEED_PORT (schema $BENCH_DB.$SERVICE_SCHEMA, channel $REDIS_CHANNEL)"
start_service_and_wait

# The client runs warm-up + measured run + straggler wait + connects (<= 30 s) + /stats wait (<= 30 s) + close;
# `timeout` bounds it anyway. It takes the CPU snapshots itself, at the edges of the publishing window.
log "load client: $CLIENTS clients, $RATE msg/s, ${WARMUP} s warm-up + ${DURATION} s measured"
# shellcheck disable=SC2086
timeout --signal=TERM --kill-after=10 $((WARMUP + DURATION + STRAGGLER_WAIT + 120)) \
  java ${CLIENT_JAVA_OPTS:-} -cp "$WORK/app/lib/*" "$BENCH_DIR/FeedFanout.java" \
  --http-port "$SERVICE_PORT" --feed-port "$FEED_PORT" --channel "$REDIS_CHANNEL" \
  --clients "$CLIENTS" --rate "$RATE" --duration "$DURATION" --warmup "$WARMUP" --wait "$STRAGGLER_WAIT" \
  --snap-dir "$WORK" --service-pid "$SERVICE_PID" --benchlib "$BENCHLIB" >"$WORK/client.out" &
CLIENT_PID=$!
wait "$CLIENT_PID"
client_rc=$?
CLIENT_PID=
bench_line=$(grep '^BENCH ' "$WORK/client.out" | sed 's/^BENCH //')
if [ "$client_rc" -ge 2 ] || [ -z "$bench_line" ]; then
  cat "$WORK/client.out" >&2
  service_log_tail
  die "the load client failed (exit $client_rc)"
fi
eval "$bench_line"   # pass client_cpu frames p99_ms missing_clients

cpu_lines=""
if [ -s "$WORK/cpu0" ] && [ -s "$WORK/cpu1" ]; then
  cpu_lines=$(python3 "$BENCHLIB" cpu-report "$WORK/cpu0" "$WORK/cpu1" --pid "$SERVICE_PID" --names \
    --extra "feed client=$client_cpu" --count "$frames" --unit "frames delivered" \
    --title "CPU during the publishing window")
fi
stop_service

summary="$WORK/summary.txt"
{
  echo
  echo "== Feed fan-out benchmark (bench/feed_fanout.sh) $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
  echo "service settings           feed.client-buffer=${FEED_CLIENT_BUFFER:-1048576 (default)} feed.slow-client-timeout=${FEED_SLOW_CLIENT_TIMEOUT:-5000 (default)} JAVA_OPTS='${JAVA_OPTS:-}'"
  grep -v '^BENCH ' "$WORK/client.out"
  echo
  echo "$cpu_lines"
  echo "  (\"feed client\" is the load client's JVM: its WebSocket event loops and the publisher; it shares the cores too)"
} | tee "$summary"
echo "saved in $(save_results feed_fanout "$summary")"
[ "$pass" = PASS ]
