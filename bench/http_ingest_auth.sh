#!/usr/bin/env bash
# What API keys cost on the ingest path: one service, wrk POSTing one message per request, rounds alternating
# without a key (anonymous access opened for the bench) and with an ingest key (Authorization: Bearer), so both
# are measured in the same run on the same warm JVM. Rate limits stay on (counted for both), set high enough
# never to refuse. Prints requests/s per round, the medians and the ratio key / no key.
#
#   bench/http_ingest_auth.sh [DURATION] [CONNECTIONS] [ROUNDS]     (defaults 15s, 50, 3 rounds of each)
#
# Env: WARMUP (default 30s), THREADS (wrk threads, 2), BENCH_DB (default test), JAVA_OPTS (service JVM),
#      BENCH_QUIET_TIMEOUT (seconds to wait for other work on the machine to stop first, default 180).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

DURATION=${1:-15s}
CONNECTIONS=${2:-50}
ROUNDS=${3:-3}
THREADS=${THREADS:-2}
WARMUP=${WARMUP:-30s}
[[ "$DURATION" =~ ^[1-9][0-9]*[smh]?$ ]] || die "DURATION must look like 15s, 2m or 45, got '$DURATION'"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS must be a positive whole number, got '$CONNECTIONS'"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || die "ROUNDS must be a positive whole number, got '$ROUNDS'"
SERVICE_PORT=5093
SERVICE_SCHEMA=bench_http_auth
SERVICE_QUEUE=bench_http_auth_queue
URL="http://127.0.0.1:$SERVICE_PORT"

ensure_debian_cmd wrk wrk
preflight "$SERVICE_PORT"
begin_run http-auth
wait_quiet

ADMIN_KEY=$(head -c 32 /dev/urandom | base64 | tr -d '/+=' | head -c 40)
export SECURITY_ADMIN_KEY="$ADMIN_KEY" SECURITY_ANONYMOUS=any SECURITY_RATE_LIMIT=1000000000
log "starting the service on port $SERVICE_PORT (keys on, anonymous access opened for the comparison)"
start_service_and_wait
KEY=$(curl -sf -X POST "$URL/keys" -H "Authorization: Bearer $ADMIN_KEY" -H 'Content-Type: application/json' \
  -d '{"name": "bench producer", "scopes": ["ingest"]}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["key"])') \
  || die "could not create an ingest key"

# wrk [run number] [duration] [key or empty] -> the requests/s of that run
run_wrk() {
  BENCH_RUN=$1 BENCH_KEY=$3 wrk -t"$THREADS" -c"$CONNECTIONS" -d"$2" --timeout 10s -s "$BENCH_DIR/post_message.lua" \
    "$URL" >"$WORK/run$1.out" 2>&1 || { cat "$WORK/run$1.out" >&2; die "wrk failed"; }
  local line; line=$(grep '^BENCH ' "$WORK/run$1.out") || die "wrk printed no figures"
  ( eval "$(echo "${line#BENCH }" | tr ' ' '\n')"; [ "$non202" = 0 ] || die "$non202 answers were not 202"; echo "$rps" )
}

log "warm-up: $WARMUP with the key"
run_wrk 1 "$WARMUP" "$KEY" >/dev/null
plain=(); keyed=()
for round in $(seq "$ROUNDS"); do
  python3 "$BENCHLIB" wait-drained --queue "$SERVICE_QUEUE" --timeout 600 >/dev/null || die "the drain did not catch up"
  plain+=("$(run_wrk $((round * 2)) "$DURATION" "")")
  log "round $round: no key   ${plain[-1]} requests/s"
  python3 "$BENCHLIB" wait-drained --queue "$SERVICE_QUEUE" --timeout 600 >/dev/null || die "the drain did not catch up"
  keyed+=("$(run_wrk $((round * 2 + 1)) "$DURATION" "$KEY")")
  log "round $round: with key ${keyed[-1]} requests/s"
done
stop_service

median() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { print (NR % 2 ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
m_plain=$(median "${plain[@]}")
m_keyed=$(median "${keyed[@]}")
ratio=$(awk -v k="$m_keyed" -v p="$m_plain" 'BEGIN { printf "%.3f", k / p }')
verdict=$(awk -v r="$ratio" 'BEGIN { print (r >= 0.9 ? "MET" : "NOT MET") }')
summary="$WORK/summary.txt"
{
  echo
  echo "== API keys on the ingest path (bench/http_ingest_auth.sh) $(date -u +%Y-%m-%dT%H:%M:%SZ) =="
  echo "load              wrk -t$THREADS -c$CONNECTIONS, $ROUNDS rounds of $DURATION each way, after a $WARMUP warm-up"
  echo "no key            ${plain[*]} requests/s (median $m_plain)"
  echo "with an API key   ${keyed[*]} requests/s (median $m_keyed)"
  echo "ratio key/no key  $ratio        target >= 0.90: $verdict"
} | tee "$summary"
echo "saved in $(save_results http_ingest_auth "$summary")"
