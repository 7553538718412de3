# Shared by bench/drain.sh and bench/http_ingest.sh (sourced, not run).
# Everything here talks to 127.0.0.1 only: PostgreSQL :5432, Redis :6379, the service on its bench port.

BENCH_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
ROOT=$(cd "$BENCH_DIR/.." && pwd)
BENCHLIB="$BENCH_DIR/lib/benchlib.py"
BENCH_DB=${BENCH_DB:-test}
DATA_ROOT=${BENCH_DATA_DIR:-${TMPDIR:-/tmp}/message-logger-bench}

SERVICE_PID=
WORK=

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }
now() { date +%s.%N; }
# seconds between two `now` values, 2 decimals
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", b - a }'; }
# rows / seconds, no decimals
rate() { awk -v n="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", n / s; else print "n/a" }'; }

psql_db() { psql -h 127.0.0.1 -p 5432 -U postgres -d "$BENCH_DB" -X -q -v ON_ERROR_STOP=1 "$@"; }
redis() { redis-cli -h 127.0.0.1 -p 6379 "$@"; }

# Debian packages only; apt-get update first, as this machine needs.
ensure_debian_cmd() { # command package
  command -v "$1" >/dev/null && return 0
  log "$1 missing: apt-get install $2"
  apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "$2" >/dev/null </dev/null \
    || die "could not install $2"
}

preflight() { # port...
  for c in java mvn python3 psql redis-cli awk; do command -v "$c" >/dev/null || die "$c is not installed"; done
  [ "$(redis ping 2>/dev/null)" = PONG ] || die "Redis does not answer on 127.0.0.1:6379"
  pg_isready -q -h 127.0.0.1 -p 5432 || die "PostgreSQL does not answer on 127.0.0.1:5432"
  if [ "$(psql -h 127.0.0.1 -U postgres -d postgres -X -tAc "SELECT 1 FROM pg_database WHERE datname = '$BENCH_DB'")" != 1 ]; then
    psql -h 127.0.0.1 -U postgres -d postgres -X -qc "CREATE DATABASE $BENCH_DB" || die "cannot create database $BENCH_DB"
  fi
  local port
  for port in "$@"; do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      die "port $port is already in use (another run of this benchmark?); stop it first"
    fi
  done
}

# Builds the jar if missing, then runs a private copy of jar + lib/ so that a rebuild of target/ by someone
# else during the run cannot pull the classes from under the service.
prepare_app() {
  if [ ! -f "$ROOT/target/message-logger.jar" ] || [ ! -d "$ROOT/target/lib" ]; then
    log "target/message-logger.jar missing: mvn -B -q -DskipTests package"
    (cd "$ROOT" && mvn -B -q -DskipTests package) || die "build failed"
  fi
  mkdir -p "$WORK/app"
  cp "$ROOT/target/message-logger.jar" "$WORK/app/" && cp -r "$ROOT/target/lib" "$WORK/app/lib" \
    || die "cannot copy the built jar and target/lib"
}

# Every key of a bench queue: the list, its processing lists, heartbeats, dead letters.
redis_drop_queue() { # queue
  { redis --scan --pattern "$1"; redis --scan --pattern "$1:*"; } | xargs -r -n 500 redis-cli -h 127.0.0.1 -p 6379 del >/dev/null
}

drop_schema() { psql_db -c "DROP SCHEMA IF EXISTS $1 CASCADE" 2>/dev/null; }

# Starts the service from the private copy; sets SERVICE_PID. Env: SERVICE_PORT, SERVICE_SCHEMA, SERVICE_QUEUE.
# The start every benchmark shares: a WORK folder, cleanup on any exit (our service stopped by pid, our schema and
# Redis keys dropped, WORK removed; a script may define before_cleanup to stop more of its own first), the
# leftovers of an interrupted run removed (preflight's port check makes sure no other run is using them), and a
# private copy of the jar. $1: a short name for the WORK folder.
begin_run() {
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-$1.XXXXXX")
  trap end_run EXIT
  trap 'exit 130' INT TERM
  drop_schema "$SERVICE_SCHEMA"
  redis_drop_queue "$SERVICE_QUEUE"
  prepare_app
}

end_run() {
  local rc=$?
  trap - EXIT INT TERM
  if declare -F before_cleanup >/dev/null; then before_cleanup; fi
  stop_service
  drop_schema "$SERVICE_SCHEMA"
  redis_drop_queue "$SERVICE_QUEUE"
  [ -n "${WORK:-}" ] && rm -rf "$WORK"
  exit "$rc"
}

start_service() {
  (
    cd "$WORK/app" || exit 1
    export HTTP_PORT="$SERVICE_PORT" REDIS_URL=redis://127.0.0.1:6379 REDIS_QUEUE="$SERVICE_QUEUE" \
      DB_URL="jdbc:postgresql://127.0.0.1:5432/$BENCH_DB" DB_USER=postgres DB_SCHEMA="$SERVICE_SCHEMA"
    # the feed and management ports too, so a service running on the defaults (5001, 9876) is no obstacle
    export FEED_PORT="${FEED_PORT:-$((SERVICE_PORT + 1000))}" MANAGEMENT_PORT="${MANAGEMENT_PORT:-$((SERVICE_PORT + 4000))}"
    # the load tools are one client on loopback: the rate limit would measure itself, not the pipeline
    export SECURITY_RATE_LIMIT="${SECURITY_RATE_LIMIT:-0}"
    # shellcheck disable=SC2086
    exec java ${JAVA_OPTS:-} -jar message-logger.jar >"$WORK/service.log" 2>&1
  ) &
  SERVICE_PID=$!
}

# Starts the service and waits until its REST API answers (at most 120 s); logs how long that took.
start_service_and_wait() {
  local t0 ready
  t0=$(now)
  start_service
  ready=$(python3 "$BENCHLIB" wait-http --port "$SERVICE_PORT" --pid "$SERVICE_PID" --t0 "$t0" --timeout 120) \
    || { service_log_tail; die "the service did not come up"; }
  log "service answers after ${ready} s"
}

# SIGTERM (graceful: the service writes its pending batch), then SIGKILL after 40 s. Only our own pid.
stop_service() {
  [ -n "$SERVICE_PID" ] || return 0
  if kill -0 "$SERVICE_PID" 2>/dev/null; then
    kill -TERM "$SERVICE_PID" 2>/dev/null
    for _ in $(seq 400); do kill -0 "$SERVICE_PID" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$SERVICE_PID" 2>/dev/null; then
      log "service did not stop in 40 s: SIGKILL $SERVICE_PID"
      kill -KILL "$SERVICE_PID" 2>/dev/null
    fi
  fi
  wait "$SERVICE_PID" 2>/dev/null
  SERVICE_PID=
}

service_log_tail() { [ -f "$WORK/service.log" ] && { echo "--- last lines of the service log:" >&2; tail -n 40 "$WORK/service.log" >&2; }; }

# Keeps what a run printed, plus the service log, under bench/results/ (ignored by git).
save_results() { # name summary_file
  local dir
  dir="$BENCH_DIR/results/$1-$(date +%Y%m%d-%H%M%S)"
  mkdir -p "$dir" && cp "$2" "$dir/summary.txt" && { [ -f "$WORK/service.log" ] && cp "$WORK/service.log" "$dir/"; } 
  echo "$dir"
}

# Other work on this 2-core machine (a colleague's mvn test, ...) would share the cores with the benchmark:
# wait, bounded, until it is nearly idle; go on with a warning otherwise.
wait_quiet() {
  python3 "$BENCHLIB" quiet --timeout "${BENCH_QUIET_TIMEOUT:-180}" --max-busy "${BENCH_QUIET_MAX_BUSY:-25}"
}
