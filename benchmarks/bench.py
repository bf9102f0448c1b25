"""The archive's pages against a static file, on the production server: ``make bench``.

Serves the archive twice with gunicorn under ``wanderingsite.settings.local``
(what ``make run`` serves): one server with the page cache on, one with it off
(``PAGE_CACHE=0``). Two servers rather than one restarted, so that every round
can take each page cached and uncached from warm processes; the idle one costs
no CPU. Then, in five interleaved rounds, wrk (Debian's package) loads each
page for a few seconds on 127.0.0.1: first the static file (a CSS file
whitenoise serves), then the home page, a film, an essay, an event, the film
index, the timeline, ``/tags/``, the largest and the smallest tag page, three
searches, the sitemap, the latest feed and an API listing, on each server.

It prints requests per second, p50 and p99 for each run, and each page's
throughput as a fraction of the static file's on the same server in the same
round; at the end the medians over the rounds, the time of one request at a
time, and the size of each response. The same goes into a markdown report
with an SVG chart under ``benchmarks/results/`` (never into git, never into a
test).

The archive: the database ``DATABASE_URL`` names, used as it is (a grown one,
see ``manage.py grow_archive``); without it, a fresh database of its own,
migrated and loaded with ``load_archive``, on the PostgreSQL at 127.0.0.1:5432
when one answers (``--sqlite`` for SQLite), dropped at the end. Set
``REDIS_URL`` to put the page cache in Redis (give it a database of its own:
the bench empties it). Everything it starts it stops by PID.
"""

from __future__ import annotations

import argparse
import datetime
import html
import http.client
import json
import math
import os
import platform
import secrets
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path

import psycopg
from servers import Archive, free_port

BASE_DIR = Path(__file__).resolve().parent.parent
RESULTS_DIR = BASE_DIR / "benchmarks" / "results"
PYTHON = sys.executable
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
MISSING_WRK = (
    "make bench needs wrk, Debian's HTTP benchmarking tool: "
    "apt-get install wrk (as root), then run it again."
)
# Fractions of the static file's throughput that issue 9 asks for.
TARGETS = {"cached": 1 / 2, "detail": 1 / 10, "listing": 1 / 20}
DETAIL_PAGES = {"film", "essay", "event"}
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %d, "duration_us": %d, "bytes": %d, "p50_us": %d, ' ..
    '"p90_us": %d, "p99_us": %d, "connect": %d, "read": %d, "write": %d, ' ..
    '"status": %d, "timeout": %d}\\n',
    summary.requests, summary.duration, summary.bytes,
    latency:percentile(50), latency:percentile(90), latency:percentile(99),
    e.connect, e.read, e.write, e.status, e.timeout))
end
"""


@dataclass
class Target:
    name: str
    url: str
    note: str = ""


@dataclass
class Run:
    round: int
    server: str
    name: str
    requests: int
    seconds: float
    p50_ms: float
    p99_ms: float
    errors: int

    @property
    def rps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


@dataclass
class Probe:
    """One client, one request at a time, after the warm-up."""

    status: int
    bytes: int
    seconds: float
    cache: str = ""


@dataclass
class Bench:
    targets: list[Target]
    archive: dict
    runs: list[Run] = field(default_factory=list)
    probes: dict[str, dict[str, Probe]] = field(default_factory=dict)
    setup: dict = field(default_factory=dict)


def postgres_answers(url: str) -> bool:
    try:
        psycopg.connect(url, connect_timeout=3).close()
    except psycopg.Error:
        return False
    return True


def postgres(url: str, statement: str) -> None:
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(statement)


def wrk(port: int, url: str, args, script: Path, duration: int) -> dict:
    command = [
        "wrk", f"-t{args.threads}", f"-c{args.connections}",
        f"-d{duration}s", f"--timeout={args.timeout}s", "--latency",
        "-s", str(script), f"http://127.0.0.1:{port}{url}",
    ]  # fmt: skip
    result = subprocess.run(  # noqa: S603
        command, capture_output=True, text=True, timeout=duration + 120, check=True
    )
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("BENCH "))
    return json.loads(line.removeprefix("BENCH "))


def probe(port: int, url: str, times: int = 3) -> Probe:
    """A few requests one after another: status, size and the median time."""
    samples, status, size, cache = [], 0, 0, ""
    for _ in range(times):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        started = time.perf_counter()
        try:
            connection.request("GET", url)
            response = connection.getresponse()
            body = response.read()
            status, size = response.status, len(body)
            cache = response.getheader("X-Page-Cache", "")
        except OSError:
            status = 0
        finally:
            connection.close()
        samples.append(time.perf_counter() - started)
    return Probe(status, size, statistics.median(samples), cache)


def warm(port: int, url: str, args, script: Path) -> None:
    """Every worker serves the page at least once before it is measured."""
    probe(port, url, times=2)
    wrk(port, url, args, script, duration=1)


def run_seconds(args, one_request: float) -> int:
    """``--duration``, or long enough for a slow page to finish a few requests
    on each connection, up to ``--max-duration``."""
    wanted = math.ceil(3 * one_request)
    return max(args.duration, min(wanted, args.max_duration))


def settle(seconds: float) -> None:
    """Let requests wrk left in flight finish before the next run starts."""
    time.sleep(min(max(0.3, seconds * 1.5), 30))


def ratio_text(value: float | None) -> str:
    """A fraction as the issue writes it: 1/12.3; a ratio above 1 as 1.4."""
    if not value:
        return "–"
    if value >= 1:
        return f"{value:.3g}"
    return f"1/{1 / value:.3g}" if value > 1 / 1000 else f"1/{1 / value:.0f}"


def median_of(runs: list[Run], attr: str) -> float | None:
    """The median over the runs that finished a request; None if none did."""
    values = [getattr(r, attr) for r in runs if r.requests]
    return statistics.median(values) if values else None


def ms_text(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


def summarise(bench: Bench) -> list[dict]:
    """Per page and server: medians over the rounds, and the ratio to static."""
    rows = []
    for target in bench.targets:
        for server in ("cached", "uncached"):
            runs = [
                r for r in bench.runs if r.name == target.name and r.server == server
            ]
            if not runs:
                continue
            ratios = []
            for run in runs:
                static = next(
                    s
                    for s in bench.runs
                    if s.name == "static"
                    and s.server == server
                    and s.round == run.round
                )
                ratios.append(run.rps / static.rps if static.rps else 0.0)
            probe_ = bench.probes[server][target.name]
            rows.append(
                {
                    "name": target.name,
                    "url": target.url,
                    "server": server,
                    "rps": median_of(runs, "rps"),
                    "p50_ms": median_of(runs, "p50_ms"),
                    "p99_ms": median_of(runs, "p99_ms"),
                    "ratio": statistics.median(ratios),
                    "errors": sum(r.errors for r in runs),
                    "one_ms": probe_.seconds * 1000,
                    "bytes": probe_.bytes,
                    "status": probe_.status,
                    "cache": probe_.cache,
                }
            )
    return rows


def target_for(name: str, server: str) -> float | None:
    if name == "static":
        return None
    if server == "cached":
        return TARGETS["cached"]
    return TARGETS["detail"] if name in DETAIL_PAGES else TARGETS["listing"]


def chart_svg(rows: list[dict], title: str) -> str:
    """Each page's throughput as a fraction of the static file's, on a log scale."""
    pages = [r for r in rows if r["name"] != "static"]
    names = list(dict.fromkeys(r["name"] for r in pages))
    ratios = [r["ratio"] for r in pages if r["ratio"] > 0]
    decades = max(2, math.ceil(-math.log10(min(ratios, default=0.01))))
    # A cached page can outrun the static file: leave room right of 1.
    above = max(0.0, math.log10(max(ratios, default=1))) + 0.05
    left, width, bar, gap, top = 150, 560, 9, 8, 58
    height = top + len(names) * (2 * bar + gap) + 40
    colours = {"cached": "#2b6cb0", "uncached": "#c05621"}

    def x(value: float) -> float:
        value = max(value, 10**-decades)
        return left + width * (math.log10(value) + decades) / (decades + above)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{left + width + 40}" '
        f'height="{height}" font-family="sans-serif" font-size="11">',
        '<text x="10" y="18" font-size="13" font-weight="bold">'
        f"{html.escape(title)}</text>",
        '<text x="10" y="34">Requests per second as a fraction of the static '
        "file's, same server and round (median of the rounds); log scale.</text>",
    ]
    for step in range(decades + 1):
        value = 10**-step
        gx = x(value)
        out.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" '
            f'y2="{height - 34}" stroke="#ccc"/>'
        )
        out.append(
            f'<text x="{gx:.1f}" y="{height - 20}" text-anchor="middle">'
            f"{ratio_text(value)}</text>"
        )
    for label, value in (
        ("cached target", 1 / 2),
        ("detail", 1 / 10),
        ("listing", 1 / 20),
    ):
        gx = x(value)
        out.append(
            f'<line x1="{gx:.1f}" y1="{top - 6}" x2="{gx:.1f}" y2="{height - 34}" '
            'stroke="#555" stroke-dasharray="3,3"/>'
        )
        out.append(
            f'<text x="{gx + 2:.1f}" y="{top - 9}" fill="#555">{label} '
            f"{ratio_text(value)}</text>"
        )
    for n, name in enumerate(names):
        y = top + n * (2 * bar + gap)
        out.append(
            f'<text x="{left - 6}" y="{y + bar + 4}" text-anchor="end">'
            f"{html.escape(name)}</text>"
        )
        for k, server in enumerate(("cached", "uncached")):
            row = next(
                (r for r in pages if r["name"] == name and r["server"] == server), None
            )
            if row is None:
                continue
            by = y + k * bar
            end = x(row["ratio"]) if row["ratio"] > 0 else left
            out.append(
                f'<rect x="{left}" y="{by}" width="{max(end - left, 1):.1f}" '
                f'height="{bar - 1}" fill="{colours[server]}">'
                f"<title>{html.escape(name)}, {server}: "
                f"{ratio_text(row['ratio'])}</title></rect>"
            )
            out.append(
                f'<text x="{end + 3:.1f}" y="{by + bar - 1}" font-size="9">'
                f"{ratio_text(row['ratio'])}</text>"
            )
    legend_y = height - 6
    for k, (server, colour) in enumerate(colours.items()):
        lx = left + k * 120
        out.append(
            f'<rect x="{lx}" y="{legend_y - 9}" width="10" height="10" '
            f'fill="{colour}"/>'
        )
        out.append(f'<text x="{lx + 14}" y="{legend_y}">{server}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def size_text(size: int) -> str:
    if size >= 1_000_000:
        return f"{size / 1_000_000:.1f} MB"
    return f"{size / 1000:.1f} KB" if size >= 1000 else f"{size} B"


def report_markdown(bench: Bench, rows: list[dict], chart: str) -> str:
    setup, archive = bench.setup, bench.archive
    lines = [
        f"# make bench, {setup['started']}",
        "",
        f"- commit `{setup['commit']}`; {setup['machine']}",
        f"- archive: {archive['engine']} `{archive['database']}`: {archive['films']} "
        f"films, {archive['essays']} essays, {archive['events']} events "
        f"({archive['synthetic pages']} synthetic), {archive['tags']} tags in use",
        f"- server: gunicorn, `wanderingsite.settings.local`, {setup['workers']} "
        f"workers each; page cache: {archive['page cache']}",
        f"- wrk: {setup['wrk']}; {setup['rounds']} interleaved rounds",
        f"- load average before: {setup['load_before']}, after: {setup['load_after']}",
        "",
        f"![each page against the static file]({chart})",
        "",
        "Medians over the rounds. *ratio*: the page's requests per second over "
        "the static file's on the same server in the same round. *one request*: "
        "one client, one request at a time (median of three), after warm-up.",
        "",
        "| page | server | req/s | p50 ms | p99 ms | ratio | target | one request ms "
        "| size | errors | page cache |",
        "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for row in rows:
        target = target_for(row["name"], row["server"])
        meets = "" if target is None else (" ✓" if row["ratio"] >= target else " ✗")
        lines.append(
            f"| {row['name']} (`{row['url']}`) | {row['server']} | {row['rps']:.1f} | "
            f"{ms_text(row['p50_ms'])} | {ms_text(row['p99_ms'])} | "
            f"{ratio_text(row['ratio'])} | "
            f"{ratio_text(target)}{meets} | {row['one_ms']:.1f} | "
            f"{size_text(row['bytes'])} | {row['errors']} | {row['cache'] or '–'} |"
        )
    notes = [t for t in bench.targets if t.note]
    if notes:
        lines += ["", "Pages: " + "; ".join(f"{t.name}: {t.note}" for t in notes) + "."]
    lines += [
        "",
        "## Every run",
        "",
        "| round | server | page | s | requests | req/s | p50 ms | p99 ms | errors |",
        "|---:|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for run in bench.runs:
        done = run.requests > 0
        lines.append(
            f"| {run.round} | {run.server} | {run.name} | {run.seconds:.1f} | "
            f"{run.requests} | {run.rps:.1f} | "
            f"{ms_text(run.p50_ms if done else None)} | "
            f"{ms_text(run.p99_ms if done else None)} | {run.errors} |"
        )
    return "\n".join(lines) + "\n"


def git_commit() -> str:
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],  # noqa: S607
            cwd=BASE_DIR, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--untracked-files=no"],  # noqa: S607
            cwd=BASE_DIR, capture_output=True, text=True, check=True,
        ).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}{' (with uncommitted changes)' if dirty else ''}"


def load_average() -> str:
    return " ".join(f"{v:.2f}" for v in os.getloadavg())


def server_env(site: Archive, page_cache: bool, database_url: str) -> None:
    """Production's settings as ``make run`` has them, on our own port."""
    site.env.update(
        PAGE_CACHE="1" if page_cache else "0",
        DATABASE_URL=database_url,
    )
    if "WEB_CONCURRENCY" in os.environ:
        site.env["WEB_CONCURRENCY"] = os.environ["WEB_CONCURRENCY"]
    else:
        site.env.pop("WEB_CONCURRENCY", None)  # gunicorn.py's default


def measure(bench: Bench, servers: dict[str, Archive], args, script: Path) -> None:
    names = [t.name for t in bench.targets]
    width = max(len(n) for n in names)
    for round_ in range(1, args.rounds + 1):
        order = [("static", s) for s in servers] + [
            (t.name, s) for t in bench.targets if t.name != "static" for s in servers
        ]
        statics = {}
        for name, server in order:
            target = next(t for t in bench.targets if t.name == name)
            seconds = run_seconds(args, bench.probes[server][name].seconds)
            result = wrk(servers[server].port, target.url, args, script, seconds)
            errors = sum(
                result[k] for k in ("connect", "read", "write", "status", "timeout")
            )
            run = Run(
                round=round_,
                server=server,
                name=name,
                requests=result["requests"],
                seconds=result["duration_us"] / 1e6,
                p50_ms=result["p50_us"] / 1000,
                p99_ms=result["p99_us"] / 1000,
                errors=errors,
            )
            bench.runs.append(run)
            if name == "static":
                statics[server] = run.rps
            ratio = run.rps / statics[server] if statics.get(server) else 0.0
            print(
                f"round {round_}  {server:<8}  {name:<{width}}  {run.rps:9.1f} req/s  "
                f"p50 {ms_text(run.p50_ms if run.requests else None):>8} ms  "
                f"p99 {ms_text(run.p99_ms if run.requests else None):>8} ms  "
                f"{ratio_text(ratio):>8} of static"
                + (f"  {errors} errors" if errors else "")
                + (f"  ({seconds} s)" if seconds != args.duration else ""),
                flush=True,
            )
            settle(bench.probes[server][name].seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--duration", type=int, default=5, help="seconds per run")
    parser.add_argument(
        "--max-duration",
        type=int,
        default=30,
        help="longest run, for pages slower than a second (3 requests' time)",
    )
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument(
        "--timeout", type=int, default=30, help="wrk's timeout per request, seconds"
    )
    parser.add_argument(
        "--sqlite", action="store_true", help="a fresh SQLite archive, not PostgreSQL"
    )
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    # Stopped by a signal, the servers are still stopped and the database dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if shutil.which("wrk") is None:
        print(MISSING_WRK, file=sys.stderr)
        return 2

    root = Path(tempfile.mkdtemp(prefix="archive-bench-"))
    script = root / "report.lua"
    script.write_text(WRK_REPORT)
    own_postgres = ""
    database_url = os.environ.get("DATABASE_URL", "")
    servers = {
        "cached": Archive(root, database_url, free_port()),
        "uncached": Archive(root, database_url, free_port()),
    }
    started = datetime.datetime.now().astimezone()
    try:
        if not database_url:
            if not args.sqlite and postgres_answers(POSTGRES_URL):
                own_postgres = f"wa_bench_run_{secrets.token_hex(4)}"
                postgres(POSTGRES_URL, f'CREATE DATABASE "{own_postgres}"')
                database_url = POSTGRES_URL.rsplit("/", 1)[0] + f"/{own_postgres}"
            else:
                database_url = f"sqlite:///{root / 'archive.sqlite3'}"
        for name, site in servers.items():
            server_env(site, name == "cached", database_url)
        cached = servers["cached"]
        if not os.environ.get("DATABASE_URL"):
            print(f"bench: a fresh archive in {database_url}", flush=True)
            cached.manage("migrate", "--no-input")
            cached.manage("load_archive")
            cached.manage("set_site_address")
        cached.manage("collectstatic", "--no-input", "--verbosity", "0")
        picked = json.loads(cached.python("benchmarks/bench_targets.py").stdout)
        bench = Bench(
            targets=[Target(**t) for t in picked["targets"]], archive=picked["archive"]
        )
        for name, site in servers.items():
            site.serve(root / f"gunicorn-{name}.log")
            print(f"bench: {name} server on 127.0.0.1:{site.port}", flush=True)
        for name, site in servers.items():
            bench.probes[name] = {}
            for target in bench.targets:
                warm(site.port, target.url, args, script)
                bench.probes[name][target.name] = probe(site.port, target.url)
        bad = [
            f"{server} {name}: {p.status}"
            for server, probes in bench.probes.items()
            for name, p in probes.items()
            if p.status != 200
        ]
        if bad:
            print("bench: pages that did not answer 200: " + ", ".join(bad), flush=True)
        workers = (
            os.environ.get("WEB_CONCURRENCY") or f"{(os.cpu_count() or 1) * 2 + 1}"
        )
        bench.setup = {
            "started": started.strftime("%Y-%m-%d %H:%M %Z"),
            "commit": git_commit(),
            "machine": f"{os.cpu_count()} cores, {platform.platform()}",
            "workers": workers,
            "wrk": (
                f"{args.threads} thread, {args.connections} connections, "
                f"{args.duration} s per run (up to {args.max_duration} s for a page "
                f"slower than a third of that), timeout {args.timeout} s"
            ),
            "rounds": args.rounds,
            "load_before": load_average(),
        }
        print(
            f"bench: {bench.archive['films']} films, {bench.archive['essays']} essays, "
            f"{bench.archive['events']} events; {args.rounds} rounds of "
            f"{len(bench.targets)} pages on 2 servers, {args.duration} s each",
            flush=True,
        )
        measure(bench, servers, args, script)
        bench.setup["load_after"] = load_average()
    finally:
        for site in servers.values():
            site.stop()
        if own_postgres:
            postgres(
                POSTGRES_URL, f'DROP DATABASE IF EXISTS "{own_postgres}" WITH (FORCE)'
            )
        if args.keep:
            print(f"bench: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)

    rows = summarise(bench)
    stamp = started.strftime("%Y%m%d-%H%M%S")
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    chart = f"bench-{stamp}.svg"
    archive = bench.archive
    title = (
        f"The archive against a static file: {archive['films']} films, "
        f"{archive['essays']} essays, {archive['events']} events ({archive['engine']})"
    )
    (RESULTS_DIR / chart).write_text(chart_svg(rows, title))
    report = RESULTS_DIR / f"bench-{stamp}.md"
    report.write_text(report_markdown(bench, rows, chart))
    (RESULTS_DIR / f"bench-{stamp}.json").write_text(
        json.dumps(
            {
                "setup": bench.setup,
                "archive": archive,
                "targets": [asdict(t) for t in bench.targets],
                "summary": rows,
                "runs": [asdict(r) for r in bench.runs],
            },
            indent=1,
        )
    )
    print()
    print(f"{'page':<20}{'server':<10}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
          f"{'ratio':>9}{'one req ms':>12}{'size':>10}")  # fmt: skip
    for row in rows:
        print(
            f"{row['name']:<20}{row['server']:<10}{row['rps']:>9.1f}"
            f"{ms_text(row['p50_ms']):>9}{ms_text(row['p99_ms']):>9}"
            f"{ratio_text(row['ratio']):>9}"
            f"{row['one_ms']:>12.1f}{size_text(row['bytes']):>10}"
        )
    print(f"\nbench: report in {report.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
