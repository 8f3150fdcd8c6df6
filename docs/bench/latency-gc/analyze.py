#!/usr/bin/env python3
"""Reads run directories of docs/bench/latency-steady/run-with-diagnostics.sh (results.csv, samples-*.csv, diag/)
and prints, per latency run: the window's percentiles (recomputed from the samples), p99 per 10 s, the stop-the-world
pauses of the broker and of the benchmark (Flink) JVM inside the window (from the safepoint log, so the same measure
for every collector; ZGC allocation stalls separately), mean CPU (vmstat, top), the share of records >= 20 ms by how
idle the machine was in their second, and the episodes of records >= 20 ms (merged when < 200 ms apart) with how
many had a pause >= 5 ms of either JVM from 300 ms before them to their end.
Usage: python3 docs/bench/latency-gc/analyze.py target/lat-NAME [...]
The GC logs are told apart by start time: the benchmark JVM first, the broker last (the storage format tool between)."""
import sys, os, re, glob, csv, datetime

def ts(s):  # 2026-11-29T09:56:31.419+0000
    return datetime.datetime.strptime(s[:23], "%Y-%m-%dT%H:%M:%S.%f").replace(tzinfo=datetime.timezone.utc).timestamp()*1000

def pct(sorted_v, q):
    if not sorted_v: return float('nan')
    import math
    r = math.ceil(q*len(sorted_v)); return sorted_v[max(0, r-1)]

def jvms(diag):
    logs = []
    for f in glob.glob(os.path.join(diag, "gc-*.log")):
        with open(f) as fh:
            first = fh.readline()
        m = re.match(r"\[([^\]]+)\]", first)
        if m: logs.append((ts(m.group(1)), f))
    logs.sort()
    names = {}
    # started in order: benchmark JVM, storage format tool, broker
    if len(logs) >= 3:
        names[logs[0][1]] = "flink"; names[logs[-1][1]] = "broker"
    return names

def pauses(f):
    """(start_ms, dur_ms, what): safepoints (Total) and ZGC allocation stalls."""
    out = []; gcname = "?"
    rx = re.compile(r"\[([^\]]+)\]\[[^\]]+\]\[info\]\[safepoint\s*\] Safepoint \"(\w+)\".*Total: (\d+) ns")
    st = re.compile(r"\[([^\]]+)\]\[[^\]]+\]\[info\]\[gc\s*\] Allocation Stall \(([^)]*)\) ([\d.]+)ms")
    for line in open(f, errors="replace"):
        if "Using " in line and "[gc" in line and gcname == "?":
            m = re.search(r"Using (The Z Garbage Collector|G1|Parallel|Serial|Shenandoah)", line)
            if m: gcname = m.group(1)
        m = rx.search(line)
        if m:
            end = ts(m.group(1)); d = int(m.group(3))/1e6
            out.append((end - d, d, m.group(2))); continue
        m = st.search(line)
        if m:
            end = ts(m.group(1)); d = float(m.group(3))
            out.append((end - d, d, "AllocationStall")); continue
    return gcname, out

def main(run):
    diag = os.path.join(run, "diag"); names = jvms(diag)
    P = {}
    for f, n in names.items():
        g, p = pauses(f); P[n] = (g, p, os.path.basename(f))
    rows = list(csv.DictReader(open(os.path.join(run, "results.csv"))))
    for r in rows:
        if not r["scenario"].startswith("latency"): continue
        rate = float(r["offered_per_s"]); eo = r["scenario"] == "latency-eo"
        f = os.path.join(run, "samples-%s-%dms-%.0f.csv" % ("eo" if eo else "alo", int(r["checkpoint_ms"]), rate))
        s = []
        with open(f) as fh:
            next(fh)
            for line in fh:
                a, b = line.split(","); s.append((int(a), int(b)))
        s.sort(); n = int(r["records"]); w = s[-n:]; t0 = w[0][0]; t1 = w[-1][0]
        lat = sorted(x[1] for x in w)
        print("## %s %s ckpt %s ms, %.0f/s: warm-up %s s, results.csv p50/p99/p99.9 %s/%s/%s; recomputed n=%d p50=%d p99=%d p99.9=%d max=%d; >=20 ms: %d records (%.2f%%)" % (
            os.path.basename(run), r["delivery"], r["checkpoint_ms"], rate, r["warmup_s"], r["p50_ms"][:-4], r["p99_ms"][:-4], r["p999_ms"][:-4],
            len(lat), pct(lat,.5), pct(lat,.99), pct(lat,.999), lat[-1], sum(1 for x in lat if x >= 20), 100.0*sum(1 for x in lat if x >= 20)/len(lat)))
        ws = []
        for k in range(0, int((t1 - t0)/10000)+1):
            a = t0 + k*10000; seg = sorted(x[1] for x in w if a <= x[0] < a+10000)
            if len(seg) > 1000: ws.append("%d" % pct(seg, .99))
        print("   per-10 s p99: " + " ".join(ws))
        for jn in ("broker", "flink"):
            if jn not in P: continue
            g, p, fn = P[jn]
            inw = [x for x in p if t0 <= x[0] <= t1 + 1000]
            gcp = sorted(x[1] for x in inw if x[2] not in ("AllocationStall",))
            big = [x for x in inw if x[1] >= 1]
            stalls = [x for x in inw if x[2] == "AllocationStall"]
            kinds = {}
            for x in big: kinds[x[2]] = kinds.get(x[2], 0) + 1
            print("   %-6s %-5s %s: pauses >=1 ms %d (>=5 ms %d), median %.1f p90 %.1f max %.1f ms of those >=1; all safepoints %d, sum %.0f ms; alloc stalls %d (max %.0f ms); kinds>=1ms %s" % (
                jn, g.split()[-3] if g.startswith("The Z") else g, fn, len(big), sum(1 for x in big if x[1] >= 5),
                pct(sorted(x[1] for x in big), .5) if big else 0, pct(sorted(x[1] for x in big), .9) if big else 0, max([x[1] for x in big], default=0),
                len(gcp), sum(gcp), len(stalls), max([x[1] for x in stalls], default=0), kinds))
        cpu = []
        for line in open(os.path.join(diag, "vmstat.txt")):
            f_ = line.split()
            if len(f_) >= 19 and f_[0].isdigit():
                t = datetime.datetime.strptime(f_[-2] + " " + f_[-1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()*1000
                if t0 <= t <= t1: cpu.append((int(f_[12]), int(f_[13]), int(f_[14])))
        # share of records >= 20 ms by how idle the machine was in the second after they were sent
        vm = {}
        for line in open(os.path.join(diag, "vmstat.txt")):
            f_ = line.split()
            if len(f_) >= 19 and f_[0].isdigit():
                vm[int(datetime.datetime.strptime(f_[-2] + " " + f_[-1], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp())] = int(f_[14])
        per = {}
        for t, l in w:
            a = per.setdefault(t//1000, [0, 0]); a[0] += 1; a[1] += l >= 20
        buckets = {}
        for k, (c, slow) in per.items():
            if k + 1 in vm:  # the vmstat line stamped T covers the second before T
                idle = vm[k + 1]; key = "<25" if idle < 25 else "25-40" if idle < 40 else ">=40"
                b = buckets.setdefault(key, [0, 0, 0]); b[0] += 1; b[1] += c; b[2] += slow
        if buckets:
            print("   records >=20 ms by idle CPU of their second: " + ", ".join("idle %s%%: %d s, %.1f%%" % (k, v[0], 100.0*v[2]/v[1]) for k, v in sorted(buckets.items())))
        if cpu:
            print("   vmstat over the window: us %.0f%% sy %.0f%% id %.0f%% (means of %d s)" % tuple([sum(c[i] for c in cpu)/len(cpu) for i in range(3)] + [len(cpu)]))
        day = datetime.datetime.utcfromtimestamp(t0/1000).strftime("%Y-%m-%d")
        pids = {os.path.basename(f)[3:-4]: n for f, n in names.items()}
        acc = {}; cur = None; nframes = 0
        for line in open(os.path.join(diag, "top.txt")):
            if line.startswith("top - "):
                t = datetime.datetime.strptime(day + " " + line.split()[2], "%Y-%m-%d %H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()*1000
                cur = t0 <= t <= t1; nframes += cur; continue
            f_ = line.split()
            if cur and f_ and f_[0] in pids:
                acc[pids[f_[0]]] = acc.get(pids[f_[0]], 0) + float(f_[8])
        if nframes:
            print("   top over the window, mean %%CPU (of 200): %s" % ", ".join("%s %.0f" % (k, v/nframes) for k, v in sorted(acc.items())))
        # episodes: runs of records >= 20 ms, by send time, merged if < 200 ms apart
        eps = []; 
        for t, l in w:
            if l >= 20:
                if eps and t - eps[-1][1] < 200: eps[-1][1] = t; eps[-1][2] = max(eps[-1][2], l)
                else: eps.append([t, t, l])
        near = 0
        for e in eps:
            hit = any(e[0]-300 <= x[0] <= e[1] and x[1] >= 5 for jn in P for x in P[jn][1])
            near += hit
        print("   episodes >=20 ms: %d, with a pause >=5 ms (either JVM) from 300 ms before to their end: %d; worst per episode: %s" % (
            len(eps), near, " ".join(str(e[2]) for e in sorted(eps, key=lambda e: -e[2])[:12])))

for r in sys.argv[1:]: main(r)
