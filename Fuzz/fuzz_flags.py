#!/usr/bin/env python3
"""Flag-value fuzzer for the ionlink CLI (stdlib only):  python3 Fuzz/fuzz_flags.py --binary .build/debug/ionlink --seconds 60 --seed 1

Every subcommand and argument comes from `ionlink --experimental-dump-help`; each argument's value *shape* (number,
duration, range, KEY=VALUE, A,B pair, host:port, path, names, text) is inferred from its default, help text and
"e.g." examples. An invocation gives one or two arguments a hostile value of their shape (1 in 4: any hostile value)
and some others valid ones (defaults, examples, fixtures), so validation past the first flag is reached. Known
crashers (Fuzz/corpus/flags/<n>.json) replay first; a new crash is minimised (arguments it does not need dropped),
located with Swift's backtracer and saved there. Crashes and hangs are deduplicated by command + hostile flags.

Each invocation runs in its own session (all of it killed afterwards), with cwd, HOME and TMPDIR a fresh temp dir
holding copies of the fixtures and stdin /dev/null. Classification:
  handled  exited with a code: 0, 1, 2, 64 (usage) or any other non-negative code not listed under crash;
  crash    died by a signal: returncode < 0, or 128+n for SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE, SIGKILL, SIGSEGV
           (132..139); Swift runtime traps (overflow, force unwrap, precondition) are SIGILL or SIGTRAP;
  serving  running with a listening TCP socket (for 1 s: stopped then), or at the timeout after printing to stdout
           when the command's all-valid baseline also stays up (a daemon, e.g. `emulate`): fine;
  slow     running at the timeout and using CPU (>= 2 % of the wall time, the whole session counted): not a failure;
  hang     running at the timeout at ~0 CPU (< 2 %) and not serving: a failure.
A command whose baseline (required arguments only) is not done within --timeout gets --long-timeout. Each command
has its own random stream from --seed (its k-th invocation is the same on every run); the command with the least
wall time so far goes next. Exit status 1 if any crash or hang (replayed ones included), else 0.
"""
import argparse, collections, contextlib, json, os, random, re, resource, shlex, shutil, signal, subprocess, sys, tempfile, time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
CORPUS = REPO / "Fuzz" / "corpus" / "flags"
CRASH_CODES = {128 + s for s in (4, 5, 6, 7, 8, 9, 11)}   # a wrapper's "killed by SIGILL ... SIGSEGV"
# Hostile values per shape (a small table; the flags themselves come from the binary).
NUMS = ["0", "-1", "-0", "1", "2", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "18446744073709551616", "4294967296", "65536", "1e308", "1e309", "-1e309", "nan", "NaN", "inf", "-inf",
        "4.9e-324", "1e-30", "0x10", "+1", " 1", "1 "]
TEXTS = ["", " ", "\t", "\n", "é", "日本語", "\u202e", "\x01", "x" * 100000, "-", "--", "=", "%n%s", "--help"]
DURS = [n + u for n in ("0", "-1", "-0", "1e300", "1e-30", "1e308", "nan", "inf", "9223372036854775807", "1e19",
                        "4.9e-324", "") for u in ("s", "ms", "us", "ns", "ps", "m", "h", "")] + \
       ["0.5ps", "1e-13s", "1 s", "1s1s", "1e300h", "2562047788015216h", "1e-12s", "2562h", "9e6s", "9223372s", "1e6s"]
RANGES = ["20ns..5ns", "5..", "..5", "5ns..", "..", "5ns..5ns", "0ns..0ns", "-5ns..5ns", "1e300s..1e301s",
          "nan..inf", "5ns...20ns", "0ns..20ns..30ns", "1ps..2ps", "-inf..inf", "0ns..1e300s", "-1e300s..0ns"]
KV_RHS = ["", "1,2", "1,1", ",", "1+1e300s", "1+-5ns", "1:0:0", "0:1:-1", "0:1:0", "0:1:1e9", "nan:inf:2",
          "0:1:9223372036854775807", "1:1:1", "1,1,1", "x", "=1"]
PAIRS = ["1", "1,1", "-1,2", "a,b", "1,2,3", ",", "0,0", "4,4"]
HOSTPORTS = [":", "host:", ":1", "127.0.0.1:99999", "127.0.0.1:-1", "[::1]:1", "::1:1", "127.0.0.1:0", "a:b:c"]
# Paths relative to the invocation's cwd, which holds a fresh copy of the fixtures (see make_fixtures).
PATHS = ["missing.yaml", "nope/x.h5", "dir", "/dev/null", "junk.bin", "junk.yaml", "deep.yaml", "empty", "half.h5",
         "tokens-644.yaml", "x" * 5000, "é\n.yaml", ".", "lab.yaml", "faults.yaml", "run.h5", "tags.ptu",
         "tokens.yaml", "token.txt", "junk.pem"]
ALL = NUMS + TEXTS + DURS + RANGES + PATHS
# (words of the help text, valid value) for path-shaped arguments; the first match wins.
PATH_KINDS = [(r"folder|director", "outdir"), (r"^write|to write", "out"), (r"fault plan", "faults.yaml"),
              (r"tokens file", "tokens.yaml"), (r"token", "token.txt"), (r"\bpem\b", "junk.pem"),
              (r"hdf5|record", "run.h5"), (r"ptu|picoquant", "tags.ptu"), (r"", "lab.yaml")]
DUR_RE = re.compile(r"^[-+\d.e]+(ps|ns|us|ms|s|m|h)$")

def examples(text):
    """Values after "e.g." in a help text: "e.g. 10s, 500ms, 2m (default ...)" gives 10s, 500ms, 2m."""
    return [t.rstrip(").,") for m in re.finditer(r"e\.g\. ([^()]*)", text)
            for t in re.split(r",\s+|\s+", m.group(1)) if t[:1].isdigit()]

def yaml_leaves(text):
    """(dotted key, value) of each scalar in a simple block YAML such as `ionlink default-config`'s."""
    out, stack = [], []
    for line in text.splitlines():
        s = line.split("#")[0].rstrip()
        if ":" in s:
            ind, (k, _, v) = len(s) - len(s.lstrip()), s.strip().partition(":")
            stack = [(i, n) for i, n in stack if i < ind]
            path, v = [n for _, n in stack] + [k], v.strip()
            if not v:
                stack.append((ind, k))
            for a, _, b in (x.partition(":") for x in v.strip("{} ").split(",")) if v.startswith("{") else []:
                out.append((".".join(path + [a.strip()]), b.strip()))
            out += [(".".join(path), v)] if v and not v.startswith("{") else []
    return out

def describe(a, cmd, fx):
    """An argument's name, shape, valid values and hostile pool, from its ToolInfo entry alone."""
    p = a.get("preferredName") or {}
    name = f"<{a.get('valueName')}>" if a["kind"] == "positional" else ("--" if p.get("kind") == "long" else "-") + p["name"]
    abstract, default = a.get("abstract", ""), a.get("defaultValue", "")
    text, ex, listed = abstract.lower(), examples(abstract), re.findall(r"(?:: |\), )([\w-]+) \(", cmd.get("discussion", ""))
    m = re.match(r"LabDuration\(duration: (\S+) seconds\)", default)
    default = m.group(1) + "s" if m else default
    valid, pool, shape = [default] if default else [], TEXTS + NUMS, "text"
    if a.get("allValues") or a["kind"] == "positional" and (listed or a.get("valueName") == "subcommands"):
        shape, valid = "names", a.get("allValues") or listed or [c["commandName"] for c in fx["commands"]]
        pool = TEXTS + [v.upper() for v in valid] + [v + " " for v in valid] + ["nosuch"]
    elif ".." in default or any(".." in e for e in ex):
        shape, valid, pool = "range", valid + [e for e in ex if ".." in e], RANGES + DURS
    elif re.search(r"\b[A-Z]+=", abstract):         # NAME=SLOT,SLOT  CH=TIME  KEY=A,B,C
        keys = fx["yaml"] if "yaml" in text else []
        shape, valid = "kv", valid + [e for e in ex if "=" in e] + \
            [f"{k}={v}" for k, v in keys if re.fullmatch(r"-?[\d.]+(e-?\d+)?", v)]
        lhs = ["", "0", "1", "-1", "x", "99999999999999999999", "é"] + [k for k, _ in keys]
        pool = [f"{x}={y}" for x in lhs for y in KV_RHS + NUMS + DURS[::7]] + ["=", "==", "a=b=c"]
    elif "host:port" in text:
        shape, valid, pool = "hostport", ["127.0.0.1:1"], HOSTPORTS + TEXTS
    elif re.search(r"\b[A-Z],[A-Z]\b", abstract):     # A,B
        shape, valid, pool = "pair", ["0,1"], PAIRS + [f"{x},{y}" for x in NUMS[:10] for y in NUMS[:4]]
    elif m or DUR_RE.match(default) or any(DUR_RE.match(e) for e in ex):
        shape, valid, pool = "duration", valid + [e for e in ex if DUR_RE.match(e)] + ["1ms", "100ms"], DURS + NUMS
    elif re.search(r"\b(file|yaml|pem|hdf5|record|folder|directory|ptu)\b", text):
        fixture = next(f for pat, f in PATH_KINDS if re.search(pat, text))
        ext = next((e for e in ("html", "hdf5", "ptu") if e in text), "out").replace("hdf5", "h5")
        shape, valid, pool = "path", ["out." + ext if fixture == "out" else fixture], PATHS + TEXTS
    elif re.fullmatch(r"-?\d+(\.\d+)?", default) or re.search(
            r"\b(many|number|port|channel|count|seed|cores|probability|fidelity)\b", text):
        shape, pool = "number", NUMS + TEXTS
        valid = ["0"] if name.endswith("port") else valid or (
            ["0.5", "0.9"] if re.search(r"probability|fidelity", text) else ["1", "2"])
    return dict(name=name, kind=a["kind"], shape=shape, valid=valid, pool=pool,
                required=not a.get("isOptional", False), repeating=a.get("isRepeating", False))

def commands(binary, fx):
    """[(command words, [argument])] for every subcommand, depth first, from the binary's own help dump."""
    root = json.loads(subprocess.run([binary, "--experimental-dump-help"], capture_output=True, check=True,
                                     stdin=subprocess.DEVNULL).stdout)["command"]
    fx["commands"], out = root.get("subcommands", []), []
    def walk(c, path):
        args = [a for a in c.get("arguments", []) if "help" not in [n["name"] for n in a.get("names", [])]]
        out.extend([(path, [describe(a, c, fx) for a in args])] if path else [])
        for s in c.get("subcommands", []):
            walk(s, path + [s["commandName"]])
    walk(root, [])
    return out

def make_fixtures(binary, d):
    """Valid and junk input files, the valid ones made by the binary itself."""
    run = lambda *a: subprocess.run([binary, *a], cwd=d, capture_output=True, stdin=subprocess.DEVNULL, timeout=60).stdout
    (d / "lab.yaml").write_bytes(run("default-config"))
    (d / "faults.yaml").write_bytes(run("soak", "--print-plan"))
    run("run", "--duration", "10ms", "--record", "run.h5", "--tags", "tags.ptu")
    h5 = (d / "run.h5").read_bytes() if (d / "run.h5").exists() else b""
    (d / "half.h5").write_bytes(h5[: len(h5) // 2])
    tokens = "tokens:\n  - principal: alice\n    role: control\n    token: 0123456789abcdef\n"
    for name, text, mode in [("tokens.yaml", tokens, 0o600), ("tokens-644.yaml", tokens, 0o644),
                             ("token.txt", "0123456789abcdef\n", 0o600), ("junk.yaml", "name: [x\n\t- : &a *b\nnodes: {A: !!binary z}\n: :\n", 0o644),
                             ("deep.yaml", "[" * 100000, 0o644), ("empty", "", 0o644),
                             ("junk.pem", "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", 0o644)]:
        (d / name).write_text(text)
        os.chmod(d / name, mode)
    (d / "junk.bin").write_bytes(random.Random(0).randbytes(4096))
    (d / "dir").mkdir()

def generate(path, args, rng):
    """One invocation as groups of argv words: dict(name, words, hostile, positional)."""
    valued = [a for a in args if a["kind"] != "flag"]
    hostile, groups = rng.sample(valued, min(rng.choice((1, 1, 2)), len(valued))), []
    for a in args:
        if a["kind"] == "flag":
            groups += [dict(name=a["name"], words=[a["name"]], hostile=False, positional=False)] if rng.random() < 0.2 else []
            continue
        if a in hostile:
            v = rng.choice(a["pool"] if rng.random() < 0.75 else ALL)
        elif a["valid"] and (a["required"] or rng.random() < 0.3):
            v = rng.choice(a["valid"])
        else:
            continue
        for v in [v] + ([rng.choice(a["valid"] or a["pool"])] if a["repeating"] and rng.random() < 0.3 else []):
            words = [v] if a["kind"] == "positional" else [f"{a['name']}={v}"] if rng.random() < 0.5 or v.startswith("-") \
                else [a["name"], v]                    # the =-joined form reaches the value parser even for "-1"
            groups.append(dict(name=a["name"], words=words, hostile=a in hostile, positional=a["kind"] == "positional"))
    rng.shuffle(groups)
    if not valued and rng.random() < 0.5:               # nothing takes a value: a stray argument instead
        groups.append(dict(name="(stray)", words=[rng.choice(TEXTS[:8] + NUMS[:4])], hostile=True, positional=True))
    return groups

def flatten(path, groups):
    """The argv: options, then positionals (after "--" when one starts with "-")."""
    pos = [w for g in groups if g["positional"] for w in g["words"]]
    return path + [w for g in groups if not g["positional"] for w in g["words"]] + \
        ["--"] * any(p.startswith("-") for p in pos) + pos

def session(sid):
    """{pid: CPU seconds} of every process in session `sid` (the child and whatever it spawned, even the
    children that Foundation's Process puts in process groups of their own), from /proc."""
    out = {}
    for d in filter(str.isdigit, os.listdir("/proc")):
        try:
            f = open(f"/proc/{d}/stat").read().rpartition(")")[2].split()
        except OSError:
            continue
        if int(f[3]) == sid and f[0] != "Z":           # a zombie is dead already (and PID 1 may never reap it)
            out[int(d)] = sum(map(int, f[11:15])) / os.sysconf("SC_CLK_TCK")   # utime stime cutime cstime
    return out

def listening(pid):
    """True if the process holds a TCP socket in LISTEN state (from /proc)."""
    try:
        inodes = {os.readlink(f"/proc/{pid}/fd/{f}")[8:-1] for f in os.listdir(f"/proc/{pid}/fd")}
        rows = [l.split() for t in ("tcp", "tcp6") for l in open(f"/proc/{pid}/net/{t}").readlines()[1:]]
        return any(r[3] == "0A" and r[9] in inodes for r in rows)
    except OSError:
        return False

def execute(o, argv, timeout, daemon=False, backtrace=False):
    """Runs one invocation (argv without the binary); returns dict(verdict, rc, cpu, wall, err)."""
    work = Path(tempfile.mkdtemp(dir=o.root))
    for f in o.fixtures.iterdir():
        (shutil.copytree if f.is_dir() else shutil.copy)(f, work / f.name)
    env = dict(os.environ, HOME=str(work), TMPDIR=str(work), LC_ALL="C.UTF-8",   # umockdev's dirs go to TMPDIR
               SWIFT_BACKTRACE="enable=yes,interactive=no,color=no,threads=crashed,registers=none,images=none"
               if backtrace else "enable=no")   # the backtracer takes seconds per crash: only to find a crash's site
    limit = lambda: resource.setrlimit(resource.RLIMIT_AS, (o.mem_mb << 20,) * 2)
    with open(work / "out", "wb") as so, open(work / "err", "wb") as se:
        before, t0 = resource.getrusage(resource.RUSAGE_CHILDREN), time.monotonic()
        p = subprocess.Popen([o.binary] + argv, cwd=work, env=env, stdin=subprocess.DEVNULL, stdout=so, stderr=se,
                             start_new_session=True, preexec_fn=limit)
        listen_since = serving = None
        while p.poll() is None and time.monotonic() - t0 < timeout and not serving:
            time.sleep(0.05 if time.monotonic() - t0 < 1 else 0.25)
            listen_since = (listen_since or time.monotonic()) if listening(p.pid) else None
            serving = listen_since and time.monotonic() - listen_since >= 1
        timed_out = p.poll() is None
        serving = serving or timed_out and (listening(p.pid) or daemon and (work / "out").stat().st_size > 0)
        others = sum(c for pid, c in session(p.pid).items() if pid != p.pid)   # CPU of grandchildren still alive
        for _ in range(100):                            # kill the whole session, also after a normal exit
            procs = session(p.pid)
            for pid in procs:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            if not procs:
                break
            p.poll()                                    # reap the child, so it leaves the listing
            time.sleep(0.01)
        p.wait()
        wall, after = time.monotonic() - t0, resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime + others
    err = (work / "err").read_text(errors="replace")
    shutil.rmtree(work, ignore_errors=True)
    verdict = ("serving" if serving else "slow" if cpu >= 0.02 * wall else "hang") if timed_out else \
        "crash" if p.returncode < 0 or p.returncode in CRASH_CODES else "handled"
    return dict(verdict=verdict, rc="timeout" if timed_out else p.returncode, cpu=cpu, wall=wall, err=err)

def sig(rc):
    return f"{signal.Signals(-rc if rc < 0 else rc - 128).name} (returncode {rc})" if rc < 0 or rc in CRASH_CODES else f"exit {rc}"

def tail(err, n=3):
    """The last lines of stderr before Swift's "Current stack trace:" (so: the fatal error message)."""
    return [l[:300] for l in err.split("Current stack trace:")[0].strip().splitlines()[-n:]]

def site(err):
    """The first two frames in the project's own sources of a backtrace (not the stdlib, not .build/checkouts)."""
    frames = re.findall(r"^ *\d+ (?:\[[^\]]*\] *)*0x\w+ (.+?)(?: \+ \d+)? in ionlink at (/\S+)", err, re.M)
    return [f"{fn} at {Path(loc).parent.name}/{Path(loc).name}" for fn, loc in frames if ".build" not in loc and "/<" not in loc][:2]

def show(argv):
    return "ionlink " + " ".join(shlex.quote(w) if len(w) < 200 else f"<{w[0]!r} x {len(w)}>" for w in argv)

def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--binary", default=".build/debug/ionlink", help="relative to the repo root, or absolute")
    ap.add_argument("--seconds", type=float, default=60, help="time budget, fixtures and replay included")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--timeout", type=float, default=10, help="per invocation")
    ap.add_argument("--long-timeout", type=float, default=3, help="per invocation of a long-running command")
    ap.add_argument("--mem-mb", type=int, default=4096, help="address-space limit of each child")
    o = ap.parse_args()
    deadline, o.binary = time.monotonic() + o.seconds, str((REPO / o.binary).resolve())
    o.root = Path(tempfile.mkdtemp(prefix="ionlink-flagfuzz-"))
    (o.root / "fixtures").mkdir()
    o.fixtures = o.root / "fixtures"
    make_fixtures(o.binary, o.fixtures)
    cmds = commands(o.binary, dict(yaml=yaml_leaves((o.fixtures / "lab.yaml").read_text())))
    stats, spent = collections.defaultdict(collections.Counter), collections.Counter()
    findings, timeouts, daemons, replayed = {}, {}, set(), collections.Counter()    # findings: (command, hostile flags) -> its first crash or hang
    CORPUS.mkdir(parents=True, exist_ok=True)

    def record(cmd, argv, groups, r, origin, known_site=None):
        stats[cmd].update(["n", r["verdict"], r["rc"]])
        if r["verdict"] not in ("crash", "hang"):
            return
        flags = sorted({g["name"] for g in groups if g["hostile"]})
        same = lambda fl: next((k for k, f in findings.items() if k[0] == cmd and f["kind"] == r["verdict"]
                                and set(k[1]) <= set(fl) and (k[1] or not fl)), None)   # a bystander flag is no news
        key = same(flags)
        if key is None and r["verdict"] == "crash" and origin == "fuzz":
            for g in list(groups):                       # minimise: drop what the crash does not need
                trial = [x for x in groups if x is not g]
                if execute(o, flatten(cmd.split(), trial), timeouts[cmd])["verdict"] == "crash":
                    groups = trial
            argv, flags = flatten(cmd.split(), groups), sorted({g["name"] for g in groups if g["hostile"]})
            key = same(flags)
        f = findings.setdefault(key or (cmd, tuple(flags)), dict(kind=r["verdict"], argv=argv, r=r, hits=0, origin=origin, site=[]))
        f["hits"] += 1
        if f["hits"] == 1 and r["verdict"] == "crash":
            f["site"] = known_site or site(execute(o, argv, 60, backtrace=True)["err"])
            if origin != "replay":
                n = 1 + max([int(p.stem) for p in CORPUS.glob("*.json") if p.stem.isdigit()] or [0])
                (CORPUS / f"{n}.json").write_text(json.dumps(dict(command=cmd, flags=flags, argv=argv, result=sig(r["rc"]),
                                                                  stderr=tail(r["err"]), site=f["site"]), indent=1, ensure_ascii=False))

    # 1. Replay the known crashers.
    for p in sorted(CORPUS.glob("*.json"), key=lambda p: int(p.stem) if p.stem.isdigit() else 0):
        c = json.loads(p.read_text())
        r = execute(o, c["argv"], o.timeout)
        record(c["command"], c["argv"], [dict(name=n, hostile=True) for n in c["flags"]], r, "replay", c.get("site"))
        replayed.update(["replayed", r["verdict"]])
    # 2. Baselines: required arguments only, valid. Not done within --timeout: long-running; up and idle: a daemon.
    for path, args in cmds:
        cmd, groups = " ".join(path), [dict(name=a["name"], hostile=False, positional=a["kind"] == "positional",
                                            words=[a["name"]] * (a["kind"] == "option") + a["valid"][:1])
                                       for a in args if a["required"] and a["valid"]]
        r = execute(o, flatten(path, groups), o.timeout, daemon=True)
        # A command refused without any positional (`emulate` needs a model or --lab) gets a second baseline
        # with its optional positionals given their first valid value: a daemon is found that way too.
        optional = [dict(name=a["name"], hostile=False, positional=True, words=a["valid"][:1])
                    for a in args if not a["required"] and a["valid"] and a["kind"] == "positional"]
        if r["rc"] == 2 and optional:
            groups = groups + optional
            r = execute(o, flatten(path, groups), o.timeout, daemon=True)
        timeouts[cmd] = o.long_timeout if r["rc"] == "timeout" else o.timeout
        daemons |= {cmd} if r["verdict"] == "serving" else set()
        record(cmd, flatten(path, groups), groups, r, "baseline")
    # 3. Fuzz until the budget is spent: the command with the least wall time so far goes next.
    rngs, seen = {" ".join(p): random.Random(f"{o.seed}:{' '.join(p)}") for p, _ in cmds}, set()
    while time.monotonic() < deadline:
        path, args = min(cmds, key=lambda c: spent[" ".join(c[0])])
        cmd = " ".join(path)
        groups = generate(path, args, rngs[cmd])
        if tuple(argv := flatten(path, groups)) in seen:
            spent[cmd] += 0.01                           # so a command with few distinct invocations yields its turn
            continue
        seen.add(tuple(argv))
        r = execute(o, argv, timeouts[cmd], daemon=cmd in daemons)
        spent[cmd] += r["wall"]
        record(cmd, argv, groups, r, "fuzz")

    print(f"seed {o.seed}, {o.seconds:g} s, binary {o.binary}; replayed {replayed['replayed']} known crashers, "
          f"{replayed['crash']} still crash")
    print(f"{'command':14} {'runs':>5} {'handled':>7} {'serving':>7} {'slow':>5} {'crash':>5} {'hang':>5}  exit codes (code:count)")
    for cmd in dict.fromkeys([" ".join(p) for p, _ in cmds] + list(stats)):
        s = stats[cmd]
        codes = " ".join(f"{k}:{v}" for k, v in sorted(s.items(), key=str) if k not in ("n", "handled", "serving", "slow", "crash", "hang"))
        print(f"{cmd:14} {s['n']:5} {s['handled']:7} {s['serving']:7} {s['slow']:5} {s['crash']:5} {s['hang']:5}  {codes}"
              + (f"  [long-running: {o.long_timeout:g} s timeout]" if timeouts.get(cmd) == o.long_timeout else ""))
    for (cmd, flags), f in sorted(findings.items()):
        r = f["r"]
        what = sig(r["rc"]) if f["kind"] == "crash" else f"timeout after {r['wall']:.1f} s at {r['cpu']:.2f} s CPU"
        print(f"\n{f['kind'].upper()} {cmd} {' '.join(flags) or '(no hostile flag)'}: {what} [{f['hits']} hit(s), first in {f['origin']}]")
        print("  argv:   " + show(f["argv"]))
        for line in [f"site:   {s}" for s in f["site"]] + [f"stderr: {s}" for s in tail(r["err"])]:
            print("  " + line)
    shutil.rmtree(o.root, ignore_errors=True)
    return 1 if findings else 0

if __name__ == "__main__":
    sys.exit(main())
