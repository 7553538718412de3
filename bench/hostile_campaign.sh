#!/usr/bin/env bash
# Hostile-input campaign: the properties of routes.ingest.HostileInputPropertiesRouteTest (every body posted is answered
# 202 and stored exactly or refused with a JSON 4xx, never a 5xx; every entry pushed ends as an exact row or as one
# dead letter holding its bytes, and the drain goes on) with many more tries than the test suite runs.
#
#   bench/hostile_campaign.sh [TRIES] [SECONDS]   (defaults 2000 and 900; run from anywhere)
#
# TRIES generated inputs per path (REST and list), after the fixed examples of the bug report and of bugs found
# before; SECONDS bounds the generation (half of it for the REST path): no new input is tried after it, then the
# last round is checked (at most a few minutes more; the whole run is killed at SECONDS + 900 s).
# Prints what was tried (per path and generator: stored, refused by status, dead-lettered by reason, failed) and
# what was found (each failing input, its problem and its bytes in base64). Exits 0 only when nothing was found.
#
# Env: SEED (default: the time; printed, and a run is replayed with the same SEED and TRIES),
#      MAVEN_OPTS (passed to Maven), HOSTILE_TEST (default HostileInputPropertiesRouteTest).
set -uo pipefail
. "$(dirname "$0")/lib/common.sh"

TRIES=${1:-2000}
LIMIT=${2:-900}
[[ "$TRIES" =~ ^[1-9][0-9]*$ ]] || die "TRIES must be a positive whole number, got '$TRIES'"
[[ "$LIMIT" =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a positive whole number, got '$LIMIT'"
SEED=${SEED:-$(date +%s)}
[[ "$SEED" =~ ^-?[0-9]+$ ]] || die "SEED must be a whole number, got '$SEED'"
TEST=${HOSTILE_TEST:-HostileInputPropertiesRouteTest}
# the test's own schemas are rt_<slug>_<run>, its Redis keys rt:<slug>:<run>*; it drops them when it ends
SLUG=hostile_input_properties

preflight
WORK=$(mktemp -d "${TMPDIR:-/tmp}/bench-hostile.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
trap 'exit 130' INT TERM
schemas_before="$WORK/schemas.before"
psql_db -tAc "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rt\_${SLUG}\_%'" | sort >"$schemas_before"

log "seed $SEED, $TRIES tries per path, $LIMIT s for new tries (replay: SEED=$SEED bench/hostile_campaign.sh $TRIES $LIMIT)"
log "mvn -B -o -q test -Dtest=$TEST -Dhostile.tries=$TRIES -Dhostile.seconds=$LIMIT -Dhostile.seed=$SEED (output in $WORK/test.log)"
report="$WORK/report.tsv"
: >"$report"
t0=$(now)
(cd "$ROOT" && timeout --kill-after=30 $((LIMIT + 900)) mvn -B -o -q test -Dtest="$TEST" -Dsurefire.failIfNoSpecifiedTests=false \
  -Dhostile.tries="$TRIES" -Dhostile.seconds="$LIMIT" -Dhostile.seed="$SEED" -Dhostile.report="$report") >"$WORK/test.log" 2>&1
rc=$?
t1=$(now)
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
  log "the run did not end within $((LIMIT + 900)) s and was stopped; dropping the schemas it left"
  psql_db -tAc "SELECT nspname FROM pg_namespace WHERE nspname LIKE 'rt\_${SLUG}\_%'" | sort | comm -13 "$schemas_before" - \
    | while read -r schema; do
        drop_schema "$schema"
        run=${schema##*_}
        redis_drop_queue "rt:$SLUG:$run"
      done
fi
if ! grep -q '^run' "$report"; then
  tail -n 60 "$WORK/test.log" >&2
  die "the test wrote no report (exit $rc); its output is above"
fi

summary="$WORK/summary.txt"
python3 - "$report" "$SEED" "$TRIES" "$LIMIT" "$(secs "$t0" "$t1")" >"$summary" <<'EOF'
import collections, re, sys

report, seed, tries, limit, took = sys.argv[1:]
runs, outcomes, findings, inputs = [], collections.OrderedDict(), [], []
for line in open(report, encoding="utf-8"):
    cols = line.rstrip("\n").split("\t")
    if cols[0] == "run":
        runs.append(cols)
    elif cols[0] == "outcome":
        _, path, generator, outcome, count = cols
        outcomes.setdefault((path, generator), collections.Counter())[outcome] += int(count)
    elif cols[0] == "finding":
        findings.append(cols[1:])
    elif cols[0] == "input":
        inputs.append(cols[1:])

print(f"Hostile-input campaign: seed {seed}, {tries} generated tries per path, {limit} s for new tries; {took} s in all")
for _, path, _, n, secs in runs:
    print(f"  {path}: {n} inputs in {secs} s")
print()
print("What was tried (stored: read back exactly; refused: the 4xx status; dead letter: its reason; FAILED: see below)")
header = f"{'path':5} {'generator':21} {'tries':>6} {'stored':>7}  {'refused / dead-lettered':56} {'FAILED':>6}"
print(header)
print("-" * len(header))
totals = collections.Counter()
for (path, generator), counts in sorted(outcomes.items()):
    n = sum(counts.values())
    stored = sum(c for o, c in counts.items() if o == "stored")
    failed = sum(c for o, c in counts.items() if o.startswith("FAILED"))
    other = collections.Counter()
    for o, c in counts.items():
        if o.startswith("refused "):
            other[o[len("refused "):]] += c
        elif o.startswith("dead letter: "):
            other[o[len("dead letter: "):]] += c
        elif o != "stored" and not o.startswith("FAILED"):
            other[o] += c
    shown = ", ".join(f"{k} x{v}" for k, v in sorted(other.items()))
    print(f"{path:5} {generator:21} {n:>6} {stored:>7}  {shown:56} {failed:>6}")
    totals[path, "tries"] += n
    totals[path, "stored"] += stored
    totals[path, "failed"] += failed
for path in sorted({p for p, _ in totals}):
    print(f"{path:5} {'all':21} {totals[path, 'tries']:>6} {totals[path, 'stored']:>7}  {'':56} {totals[path, 'failed']:>6}")

def kind(problem):
    """A finding's problem without its particulars (uuids, numbers), to group alike findings."""
    text = re.sub(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}", "<uuid>", problem)
    return re.sub(r"\d+", "N", text)[:150]

print()
byDb = collections.Counter((p, g, re.sub(r"\d+", "N", l)) for p, g, l, o, e in inputs if o.endswith("rejected by the database"))
if byDb:
    print("Passed the service's own checks, refused by PostgreSQL (dead letter \"rejected by the database\"):")
    for (path, generator, label), n in sorted(byDb.items()):
        print(f"  {path:5} {generator:21} x{n:<4} {label[:110]}")
    print()
print(f"What was found: {len(findings)} finding(s)")
kinds = collections.OrderedDict()
for finding in findings:
    kinds.setdefault((finding[0], finding[1], kind(finding[3])), []).append(finding)
for (path, generator, problem), group in kinds.items():
    print(f"  {len(group):>4} x {path} {generator}: {problem}")
print()
shown = 0
for (path, generator, problem), group in kinds.items():
    print(f"{path} {generator}: {problem} ({len(group)})")
    for _, _, label, full, b64 in group[:3]:
        shown += 1
        print(f"  - [{label}] {full[:400]}")
        if b64:
            print(f"    base64 ({len(b64)} chars): {b64 if len(b64) <= 2000 else b64[:2000] + '... (whole in report.tsv)'}")
    for _, _, label, _, _ in group[3:]:
        print(f"  - [{label}] (base64 in report.tsv)")
EOF
cat "$summary"
dir=$(save_results hostile "$summary")
cp "$report" "$dir/report.tsv" && cp "$WORK/test.log" "$dir/test.log"
log "kept in $dir (summary.txt, report.tsv with every failing input in base64, test.log)"
grep -q '^finding' "$report" && exit 1
[ "$rc" = 0 ] || { log "the test run failed (exit $rc) without a finding: see $dir/test.log"; exit 1; }
exit 0
