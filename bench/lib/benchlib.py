#!/usr/bin/env python3
"""Helpers for the Message Logger benchmarks (stdlib only: no redis-py, no psycopg).

Subcommands (each used by drain.sh or http_ingest.sh):
  gen-drain     generate N seed-shaped messages once: a RESP file for `redis-cli --pipe` and a TSV for COPY
  wait-http     poll until the service's routes answer (GET /messages/<zero uuid> -> JSON 404)
  watch-drain   time a drain: service start -> HTTP ready / first row -> all N rows, with CPU per process
  wait-drained  poll until a queue and its processing list are empty (all claimed messages committed)
  cpu-snap      print a JSON snapshot of CPU time per process and per thread of one pid
  cpu-report    print the CPU use between two snapshots, per process group, busiest threads and backends
"""
import argparse
import bisect
import json
import os
import random
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import datetime, timedelta, timezone

CLK_TCK = os.sysconf("SC_CLK_TCK")

# ------------------------------------------------------------------------------------------------ messages

WORDS = ("order shipment invoice payment sensor reading update status alert ready delayed confirmed "
         "cancelled temperature pressure battery level route gateway device patient sample report "
         "request reply ping heartbeat checkout basket price stock warehouse pickup delivery").split()
TOPICS = ["orders", "payments", "shipments", "telemetry", "alerts", "chat", "presence", "billing",
          "inventory", "devices", "audit", "notifications", "support", "reports", "sessions", "greetings",
          "lab-results", "appointments", "pricing", "fleet"]
TYPES = ["event", "event", "event", "chat", "chat", "alert", "command", "ack", "status"]
PRIORITIES = ["normal", "normal", "normal", "high", "low"]
SUBJECTS = 1000
ZIPF_S = 0.8  # mild skew: the busiest subject sends ~6.5% of messages, the median one ~0.03%


class SubjectPicker:
    """Subjects subject-1..subject-1000 drawn with a Zipf(0.8) skew (a few busy senders, a long tail)."""

    def __init__(self, rnd):
        self.rnd = rnd
        total = 0.0
        self.cum = []
        for rank in range(1, SUBJECTS + 1):
            total += 1.0 / rank ** ZIPF_S
            self.cum.append(total)
        self.total = total
        # the rank -> subject id mapping is shuffled so busy subjects are not all low numbers
        self.ids = [f"subject-{i}" for i in range(1, SUBJECTS + 1)]
        rnd.shuffle(self.ids)

    def pick(self):
        return self.ids[bisect.bisect_left(self.cum, self.rnd.random() * self.total)]


def uuid_v4(rnd):
    v = rnd.getrandbits(128)
    v = (v & ~(0xF << 76)) | (0x4 << 76)
    v = (v & ~(0x3 << 62)) | (0x2 << 62)
    return fmt_uuid(v)


def uuid_v7(rnd, unix_ms):
    v = (unix_ms & ((1 << 48) - 1)) << 80
    v |= 0x7 << 76
    v |= rnd.getrandbits(12) << 64
    v |= 0x2 << 62
    v |= rnd.getrandbits(62)
    return fmt_uuid(v)


def fmt_uuid(v):
    h = f"{v:032x}"
    return f"{h[0:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:32]}"


def iso_millis(dt):
    return dt.strftime("%Y-%m-%dT%H:%M:%S.") + f"{dt.microsecond // 1000:03d}Z"


def copy_text(value):
    """A value in COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def cmd_gen_drain(a):
    """N distinct messages in the reference format, ~300 bytes each, origin_ts spread over 24 hours."""
    out = a.out
    os.makedirs(out, exist_ok=True)
    if os.path.exists(os.path.join(out, "complete")):
        print(f"reusing {out}", file=sys.stderr)
        return
    rnd = random.Random(a.seed)
    subjects = SubjectPicker(rnd)
    base = datetime(2026, 11, 21, 0, 0, 0, tzinfo=timezone.utc)
    step_us = 86_400_000_000 // a.n
    key = a.queue.encode()
    resp_tmp = os.path.join(out, "messages.resp.tmp")
    tsv_tmp = os.path.join(out, "messages.tsv.tmp")
    total_bytes = 0
    chunk = []

    def flush(resp):
        # one LPUSH per 100 values; LPUSH a b c leaves c at the head, so RPOP (the drain) takes a first
        parts = [b"*%d\r\n$5\r\nLPUSH\r\n$%d\r\n%s\r\n" % (len(chunk) + 2, len(key), key)]
        for v in chunk:
            parts.append(b"$%d\r\n%s\r\n" % (len(v), v))
        resp.write(b"".join(parts))
        chunk.clear()

    with open(resp_tmp, "wb") as resp, open(tsv_tmp, "w", encoding="utf-8") as tsv:
        for i in range(a.n):
            origin = base + timedelta(microseconds=i * step_us + rnd.randrange(0, 500_000))
            ack = origin + timedelta(microseconds=rnd.randrange(5_000, 800_000))
            if a.uuid == "v7":
                uid = uuid_v7(rnd, int(origin.timestamp() * 1000))
            else:
                uid = uuid_v4(rnd)
            sender = subjects.pick()
            nrcpt = rnd.choices((1, 2, 3), weights=(80, 15, 5))[0]
            rcpts = []
            while len(rcpts) < nrcpt:
                r = subjects.pick()
                if r != sender and r not in rcpts:
                    rcpts.append(r)
            text = " ".join(rnd.choice(WORDS) for _ in range(rnd.randrange(1, 4)))
            data = json.dumps({"text": text}, separators=(",", ":"))
            meta = json.dumps({"priority": rnd.choice(PRIORITIES)}, separators=(",", ":"))
            topic = rnd.choice(TOPICS)
            mtype = rnd.choice(TYPES)
            o, k = iso_millis(origin), iso_millis(ack)
            msg = (f'{{"message_uuid":"{uid}","origin_ts":"{o}","ack_ts":"{k}","message_data":{data},'
                   f'"source_subject_id":"{sender}","destination_subject_ids":{json.dumps(rcpts, separators=(",", ":"))},'
                   f'"topic":"{topic}","message_type":"{mtype}","message_metadata":{meta}}}')
            b = msg.encode()
            total_bytes += len(b)
            chunk.append(b)
            if len(chunk) == 100:
                flush(resp)
            array = "{" + ",".join('"' + r + '"' for r in rcpts) + "}"
            tsv.write("\t".join(copy_text(x) for x in (uid, o, k, data, sender, array, topic, mtype, meta)) + "\n")
        if chunk:
            flush(resp)
    os.replace(resp_tmp, os.path.join(out, "messages.resp"))
    os.replace(tsv_tmp, os.path.join(out, "messages.tsv"))
    with open(os.path.join(out, "meta"), "w") as m:
        m.write(f"gen_n={a.n}\ngen_avg_bytes={total_bytes / a.n:.0f}\ngen_uuid={a.uuid}\n")
    open(os.path.join(out, "complete"), "w").close()


# ------------------------------------------------------------------------------------------------ Redis

class Redis:
    """Just enough RESP for a few commands."""

    def __init__(self, host="127.0.0.1", port=6379):
        self.sock = socket.create_connection((host, port), timeout=5)
        self.buf = self.sock.makefile("rb")

    def cmd(self, *args):
        out = [b"*%d\r\n" % len(args)]
        for x in args:
            x = x if isinstance(x, bytes) else str(x).encode()
            out.append(b"$%d\r\n%s\r\n" % (len(x), x))
        self.sock.sendall(b"".join(out))
        return self._read()

    def _read(self):
        line = self.buf.readline()
        kind, rest = line[:1], line[1:-2]
        if kind == b"+":
            return rest.decode()
        if kind == b"-":
            raise RuntimeError(rest.decode())
        if kind == b":":
            return int(rest)
        if kind == b"$":
            n = int(rest)
            if n < 0:
                return None
            data = self.buf.read(n + 2)[:-2]
            return data.decode()
        if kind == b"*":
            n = int(rest)
            return None if n < 0 else [self._read() for _ in range(n)]
        raise RuntimeError(f"unexpected reply {line!r}")

    def scan_all(self, pattern):
        cursor, keys = "0", []
        while True:
            cursor, batch = self.cmd("SCAN", cursor, "MATCH", pattern, "COUNT", 1000)
            keys.extend(batch)
            if cursor == "0":
                return keys


def queue_backlog(r, queue):
    """Entries not yet committed: waiting on the queue plus claimed on any processing list of this queue."""
    n = r.cmd("LLEN", queue)
    for key in r.scan_all(queue + ":processing:*"):
        n += r.cmd("LLEN", key)
    return n


# ------------------------------------------------------------------------------------------------ PostgreSQL

class Psql:
    """One long-lived psql session; a query answers with one line (-At)."""

    def __init__(self, db):
        self.p = subprocess.Popen(["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", db, "-X", "-At", "-q"],
                                  stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, bufsize=1)
        self.backend_pid = int(self.one("SELECT pg_backend_pid();"))

    def one(self, sql):
        self.p.stdin.write(sql + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError(f"psql ended on: {sql}")
        return line.rstrip("\n")

    def close(self):
        try:
            self.p.stdin.close()
            self.p.wait(timeout=5)
        except Exception:
            self.p.kill()


# ------------------------------------------------------------------------------------------------ HTTP

ZERO_UUID = "00000000-0000-0000-0000-000000000000"


def http_ready(port):
    """The REST routes answer: GET /messages/<zero uuid> gives the service's own JSON 404."""
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{port}/messages/{ZERO_UUID}", timeout=0.5).read()
        return True  # a 200 would be odd, but it is the route answering
    except urllib.error.HTTPError as e:
        body = e.read().decode(errors="replace")
        return e.code == 404 and "no message with uuid" in body
    except (OSError, urllib.error.URLError):
        return False


def cmd_wait_http(a):
    start = time.time()
    while time.time() - start < a.timeout:
        if a.pid and not os.path.exists(f"/proc/{a.pid}"):
            print("service exited before answering", file=sys.stderr)
            sys.exit(1)
        if http_ready(a.port):
            print(f"{time.time() - a.t0 if a.t0 else time.time() - start:.3f}")
            return
        time.sleep(0.05)
    print(f"no answer on port {a.port} after {a.timeout}s", file=sys.stderr)
    sys.exit(1)


# ------------------------------------------------------------------------------------------------ CPU

def read_stat(path):
    """(comm, utime + stime) in clock ticks; a postgres process also adds the time of its reaped children, so
    backends that start and end between two snapshots (a psql \\copy, a test's connection) still count."""
    with open(path) as f:
        s = f.read()
    comm = s[s.index("(") + 1:s.rindex(")")]
    fields = s[s.rindex(")") + 2:].split()
    ticks = int(fields[11]) + int(fields[12])
    if comm == "postgres":
        ticks += int(fields[13]) + int(fields[14])
    return comm, ticks


def cpu_snapshot(java_pid=None):
    snap = {"t": time.time(), "procs": {}, "threads": {}}
    with open("/proc/stat") as f:
        cpu = [int(x) for x in f.readline().split()[1:]]
    snap["total"] = sum(cpu[:8])
    snap["idle"] = cpu[3] + cpu[4]
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            comm, ticks = read_stat(f"/proc/{d}/stat")
            with open(f"/proc/{d}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode(errors="replace").strip()
        except (OSError, ValueError):
            continue
        snap["procs"][d] = [comm, ticks, cmdline[:90]]
    if java_pid:
        try:
            for tid in os.listdir(f"/proc/{java_pid}/task"):
                try:
                    snap["threads"][tid] = read_stat(f"/proc/{java_pid}/task/{tid}/stat")[1]
                except (OSError, ValueError):
                    pass
        except OSError:
            pass
    return snap


def java_thread_names(pid):
    """tid -> Java thread name, from one thread dump (jcmd); run outside the measured window."""
    names = {}
    try:
        out = subprocess.run(["jcmd", str(pid), "Thread.print"], capture_output=True, text=True, timeout=30).stdout
    except Exception:
        return names
    for line in out.splitlines():
        if line.startswith('"') and " nid=" in line:
            name = line[1:line.index('"', 1)]
            nid = line.split(" nid=")[1].split()[0]
            try:
                names[str(int(nid, 16))] = name
            except ValueError:
                pass
    return names


def cpu_report(a, b, java_pid=None, names=None, bench_pids=(), title="CPU", extra=None, units=None):
    """Average CPU between two snapshots, in % of ONE core (the machine has 2 cores: 200% = saturated)."""
    dt = b["t"] - a["t"]
    if dt <= 0:
        return []
    ncpu = os.cpu_count() or 1
    pct = lambda ticks: 100.0 * ticks / CLK_TCK / dt
    groups = {"java (service)": 0, "postgres (all)": 0, "redis-server": 0, "wrk": 0, "bench tools": 0}
    pg, others = [], []
    for pid, (comm, ticks, cmdline) in b["procs"].items():
        before = a["procs"].get(pid)
        d = ticks - (before[1] if before and before[0] == comm else 0)
        if d <= 0:
            continue
        if java_pid and pid == str(java_pid):
            groups["java (service)"] += d
        elif pid in bench_pids or comm in ("psql", "redis-cli", "python3", "jcmd"):
            groups["bench tools"] += d
        elif comm == "postgres":
            groups["postgres (all)"] += d
            if " -D " in cmdline or "config_file" in cmdline:
                cmdline = "postmaster (+ backends that ended in the window, e.g. a \\copy)"
            pg.append((d, cmdline))
        elif comm.startswith("redis-server"):
            groups["redis-server"] += d
        elif comm == "wrk":
            groups["wrk"] += d
        else:
            others.append((d, cmdline or comm))
    for g, seconds in (extra or {}).items():
        # processes that ended inside the window (wrk), measured by the shell's `time`
        groups[g] = groups.get(g, 0) + seconds * CLK_TCK
    total_busy = (b["total"] - a["total"]) - (b["idle"] - a["idle"])
    dtotal = b["total"] - a["total"]
    total_pct = 100.0 * total_busy / dtotal * ncpu if dtotal else 0.0
    # the rest of the machine's busy time: other processes, including those that ended inside the window
    # (a colleague's javac or surefire fork), and kernel work no process is charged with
    ours = sum(pct(d) for d in groups.values())
    groups_pct = {g: pct(d) for g, d in groups.items()}
    groups_pct["everything else"] = max(0.0, total_pct - ours)
    lines = [f"{title} over {dt:.1f} s, average % of ONE core (2 cores: 200% = machine saturated):"]
    for g, v in groups_pct.items():
        if v >= 0.05 or g in ("java (service)", "postgres (all)", "redis-server", "everything else"):
            lines.append(f"  {g:<18} {v:6.1f}%")
    lines.append(f"  {'machine busy':<18} {total_pct:6.1f}%  (idle {ncpu * 100 - total_pct:.1f}%)")
    if units and units[0] > 0:
        # CPU time per unit of work hardly depends on what else runs: compare runs with it
        count, label = units
        per = {g: 1000.0 * d / CLK_TCK / count * 1000 for g, d in groups.items()
               if g in ("java (service)", "postgres (all)", "redis-server", "wrk") and d}
        per = {g: v for g, v in per.items() if v >= 0.5}
        total = sum(per.values())
        text = f"  CPU per 1000 {label}: " + ", ".join(f"{g.split()[0]} {v:.0f} ms" for g, v in per.items())
        if "java (service)" in per and total:
            text += (f"; together {total:.0f} ms, so at most ~{2 * 1e6 / total:,.0f} {label}/s even if these alone "
                     "had both cores and overlapped perfectly")
        elif total:
            text += f" (one backend: at most ~{1e6 / total:,.0f} {label}/s on one core)"
        lines.append(text)
    if pg:
        pg.sort(reverse=True)
        lines.append("  busiest postgres processes: " + "; ".join(
            f"{pct(d):.0f}% {c.replace('postgres: ', '')}" for d, c in pg[:4]))
    others = [(d, c) for d, c in sorted(others, reverse=True) if pct(d) >= 2]
    if groups_pct["everything else"] >= 10:
        lines.append(f"  NOT OURS: {groups_pct['everything else']:.0f}% of a core went to other work on this machine; "
                     "the figures above are then too low. Seen: " + ("; ".join(
                         f"{pct(d):.0f}% {c[:70]}" for d, c in others[:3]) or "only processes that already ended"))
    if java_pid and b["threads"]:
        th = []
        for tid, ticks in b["threads"].items():
            d = ticks - a["threads"].get(tid, 0)
            if d > 0:
                th.append((d, (names or {}).get(tid, f"tid {tid}")))
        th.sort(reverse=True)
        lines.append("  busiest java threads: " + "; ".join(f"{pct(d):.0f}% {n}" for d, n in th[:6]))
    return lines


def cmd_quiet(a):
    """Waits (bounded) until the machine is nearly idle, so other work does not share the 2 cores with us."""
    start = time.time()
    while True:
        s0 = cpu_snapshot()
        time.sleep(2)
        s1 = cpu_snapshot()
        dtotal = s1["total"] - s0["total"]
        busy = 100.0 * ((dtotal - (s1["idle"] - s0["idle"])) / dtotal if dtotal else 0) * (os.cpu_count() or 1)
        if busy <= a.max_busy:
            print(f"machine busy {busy:.0f}% of 200% before the run", file=sys.stderr)
            return
        if time.time() - start >= a.timeout:
            lines = cpu_report(s0, s1, title="Machine NOT quiet")
            print(f"WARNING: machine still {busy:.0f}% busy (of 200%) after waiting {a.timeout:.0f}s; "
                  "running anyway, figures will be low", file=sys.stderr)
            print("\n".join(lines), file=sys.stderr)
            return
        print(f"machine {busy:.0f}% busy (of 200%); waiting for it to quiet down", file=sys.stderr)


def cmd_cpu_snap(a):
    json.dump(cpu_snapshot(a.pid), sys.stdout)


def cmd_cpu_report(a):
    with open(a.before) as f:
        before = json.load(f)
    with open(a.after) as f:
        after = json.load(f)
    names = java_thread_names(a.pid) if a.pid and a.names else {}
    extra = {}
    for item in a.extra or []:
        g, v = item.rsplit("=", 1)
        extra[g] = float(v)
    units = (a.count, a.unit) if a.count else None
    print("\n".join(cpu_report(before, after, a.pid, names, title=a.title, extra=extra, units=units)))


# ------------------------------------------------------------------------------------------------ drain watch

def cmd_watch_drain(a):
    """Polls Redis (cheap) and PostgreSQL (EXISTS, one long-lived session) to time the drain."""
    r = Redis()
    pg = Psql(a.db)
    table = f"{a.schema}.message_exchange"
    res = {}
    deadline = a.t0 + a.timeout
    t_http = t_table = t_first = t_done = None
    cpu_first = None
    last_progress = time.time()
    last_http = 0.0

    def alive():
        return os.path.exists(f"/proc/{a.pid}")

    try:
        while True:
            now = time.time()
            if now > deadline:
                print(f"TIMEOUT after {a.timeout}s", file=sys.stderr)
                res["error"] = "timeout"
                break
            if not alive():
                res["error"] = "service exited"
                break
            if t_http is None and now - last_http >= 0.05:
                last_http = now
                if http_ready(a.port):
                    t_http = time.time()
            if t_table is None:
                if pg.one(f"SELECT to_regclass('{table}') IS NOT NULL;") == "t":
                    t_table = time.time()
                else:
                    time.sleep(0.01)
                    continue
            if t_first is None:
                if pg.one(f"SELECT EXISTS (SELECT 1 FROM {table});") == "t":
                    t_first = time.time()
                    cpu_first = cpu_snapshot(a.pid)
                    res["rows_at_first"] = int(pg.one(f"SELECT count(*) FROM {table};"))
                else:
                    time.sleep(0.01)
                continue
            backlog = queue_backlog(r, a.queue)
            if backlog == 0:
                stored = int(pg.one(f"SELECT count(*) FROM {table};"))
                if stored >= a.n:
                    t_done = time.time()
                    cpu_done = cpu_snapshot(a.pid)
                    res["stored"] = stored
                    break
                dead = r.cmd("LLEN", a.queue + ":dead")
                if dead:
                    res["error"] = f"{dead} entries dead-lettered on {a.queue}:dead"
                    res["stored"] = stored
                    break
                time.sleep(0.2)
                continue
            if now - last_progress >= 10:
                last_progress = now
                done = a.n - backlog
                print(f"  ... {now - t_first:6.1f} s after first row: ~{done} of {a.n} committed "
                      f"(~{done / (now - t_first):.0f} rows/s so far)", file=sys.stderr)
            time.sleep(0.02)
    finally:
        pg_backend = pg.backend_pid
        pg.close()
    for k, v in (("t_http", t_http), ("t_table", t_table), ("t_first", t_first), ("t_done", t_done)):
        res[k] = f"{v - a.t0:.3f}" if v else ""
    if t_done:
        names = java_thread_names(a.pid)
        report = cpu_report(cpu_first, cpu_done, a.pid, names, bench_pids=(str(pg_backend),),
                            title="CPU from first row to all rows", units=(res["stored"] - res["rows_at_first"], "rows"))
        with open(a.cpu_out, "w") as f:
            f.write("\n".join(report) + "\n")
    with open(a.out, "w") as f:
        for k, v in res.items():
            f.write(f"{k}={v}\n")
    sys.exit(0 if t_done else 1)


def cmd_wait_drained(a):
    """Waits until nothing is waiting or claimed on the queue; prints the seconds it took."""
    r = Redis()
    start = time.time()
    while time.time() - start < a.timeout:
        if queue_backlog(r, a.queue) == 0:
            print(f"{time.time() - start:.2f}")
            return
        time.sleep(0.05)
    print(f"queue {a.queue} still has {queue_backlog(r, a.queue)} entries after {a.timeout}s", file=sys.stderr)
    sys.exit(1)


def main():
    p = argparse.ArgumentParser()
    sub = p.add_subparsers(dest="cmd", required=True)
    g = sub.add_parser("gen-drain")
    g.add_argument("--n", type=int, required=True)
    g.add_argument("--uuid", choices=("v4", "v7"), default="v4")
    g.add_argument("--queue", required=True)
    g.add_argument("--out", required=True)
    g.add_argument("--seed", type=int, default=20261122)
    w = sub.add_parser("wait-http")
    w.add_argument("--port", type=int, required=True)
    w.add_argument("--timeout", type=float, default=90)
    w.add_argument("--pid", type=int)
    w.add_argument("--t0", type=float)
    d = sub.add_parser("watch-drain")
    d.add_argument("--pid", type=int, required=True)
    d.add_argument("--port", type=int, required=True)
    d.add_argument("--db", required=True)
    d.add_argument("--schema", required=True)
    d.add_argument("--queue", required=True)
    d.add_argument("--n", type=int, required=True)
    d.add_argument("--t0", type=float, required=True)
    d.add_argument("--timeout", type=float, required=True)
    d.add_argument("--out", required=True)
    d.add_argument("--cpu-out", required=True)
    q = sub.add_parser("wait-drained")
    q.add_argument("--queue", required=True)
    q.add_argument("--timeout", type=float, default=600)
    qq = sub.add_parser("quiet")
    qq.add_argument("--max-busy", type=float, default=25)
    qq.add_argument("--timeout", type=float, default=120)
    s = sub.add_parser("cpu-snap")
    s.add_argument("--pid", type=int)
    c = sub.add_parser("cpu-report")
    c.add_argument("before")
    c.add_argument("after")
    c.add_argument("--pid", type=int)
    c.add_argument("--names", action="store_true", help="name java threads with one jcmd thread dump")
    c.add_argument("--title", default="CPU")
    c.add_argument("--extra", action="append", help="GROUP=CPU_SECONDS of a process that ended in the window")
    c.add_argument("--count", type=int, help="units of work done in the window (for CPU per 1000 units)")
    c.add_argument("--unit", default="rows")
    a = p.parse_args()
    {"gen-drain": cmd_gen_drain, "wait-http": cmd_wait_http, "watch-drain": cmd_watch_drain,
     "wait-drained": cmd_wait_drained, "quiet": cmd_quiet, "cpu-snap": cmd_cpu_snap, "cpu-report": cmd_cpu_report}[a.cmd](a)


if __name__ == "__main__":
    main()
