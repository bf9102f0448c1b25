"""Faults the archive must survive, on a private PostgreSQL cluster: ``make faults``.

Starts its own PostgreSQL 15 cluster on a Unix socket in a temporary folder
(nothing shared is restarted), loads the archive into it, serves it with
gunicorn under production settings on a loopback port, and then:

1. restarts PostgreSQL under load: 5xx only while it is down, none after;
2. restarts it while the site is idle: no request fails afterwards;
3. runs ``load_archive`` (with changed fixtures) during traffic: no 5xx;
4. kills a ``load_archive`` mid-run: the archive stays as it was, consistent.

Traffic goes to 127.0.0.1 only; every loop is bounded in count and time; what
it starts it stops by PID. Prints one line per scenario and exits non-zero if
any expectation fails.
"""

from __future__ import annotations

import argparse
import http.client
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

from servers import (
    BASE_DIR,
    PG_BIN,
    Archive,
    Outcome,
    PrivateCluster,
    Traffic,
    finish,
    free_port,
    run_as_postgres,
    run_checks,
    server_errors,
    wait_healthy,
)


def restart_under_load(cluster: PrivateCluster, site: Archive) -> tuple[bool, str]:
    with Traffic(site.port) as traffic:
        time.sleep(3)
        down = time.monotonic()
        cluster.stop()
        time.sleep(2)
        cluster.start()
        up = time.monotonic()
        time.sleep(5)
    errors = server_errors(traffic.results)
    after = [r for r in errors if r.started > up]
    during = [r for r in errors if r.started <= up]
    ok = not after and all(r.finished >= down for r in during)
    return ok, (
        f"{len(traffic.results)} requests; {len(during)} failed while PostgreSQL was "
        f"down ({up - down:.1f} s), {len(after)} failed after it came back"
    )


def idle_restart(cluster: PrivateCluster, site: Archive) -> tuple[bool, str]:
    with Traffic(site.port) as warm:
        time.sleep(2)  # every worker holds a persistent connection
    cluster.stop()
    cluster.start()
    with Traffic(site.port) as traffic:
        time.sleep(4)
    errors = server_errors(traffic.results)
    return not errors and not server_errors(warm.results), (
        f"{len(traffic.results)} requests after an idle restart, {len(errors)} failed"
    )


def changed_fixtures(root: Path, marker: str) -> Path:
    """A copy of fixtures/ in which every film's summary has changed."""
    copy = root / f"fixtures-{marker}"
    shutil.copytree(BASE_DIR / "fixtures", copy)
    films = copy / "films.toml"
    films.write_text(
        re.sub(
            r'^summary = ("""|")',
            lambda quote: f"summary = {quote.group(1)}({marker}) ",
            films.read_text(),
            flags=re.MULTILINE,
        )
    )
    return copy


def load_during_traffic(root: Path, site: Archive) -> tuple[bool, str]:
    fixtures = changed_fixtures(root, "revised")
    with Traffic(site.port) as traffic:
        time.sleep(1)
        started = time.monotonic()
        output = site.manage("load_archive", "--fixtures", str(fixtures)).stdout
        took = time.monotonic() - started
        time.sleep(1)
    errors = server_errors(traffic.results)
    summary = output.strip().splitlines()[-1] if output.strip() else ""
    return not errors and "(revised)" in page_text(site), (
        f"{len(traffic.results)} requests during a {took:.1f} s load, "
        f"{len(errors)} failed; {summary}"
    )


def page_text(site: Archive) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", site.port, timeout=20)
    connection.request(
        "GET", "/films/the-wandering-earth/", headers={"Host": "127.0.0.1"}
    )
    return connection.getresponse().read().decode()


LOADER_APPLICATION = "faults-loader"
LOADER_WRITING = (
    "SELECT count(*) FROM pg_stat_activity "
    "WHERE application_name = 'faults-loader' AND backend_xid IS NOT NULL"
)


def loader_writing(cluster: PrivateCluster) -> bool:
    """Whether the loader's connection is inside a transaction that has written."""
    return cluster.psql("archive", LOADER_WRITING) not in ("", "0")


def killed_load(cluster: PrivateCluster, root: Path, site: Archive) -> tuple[bool, str]:
    before = page_text(site)
    fixtures = changed_fixtures(root, "interrupted")
    loader = site.popen_manage(
        "load_archive",
        "--fixtures",
        str(fixtures),
        env={"PGAPPNAME": LOADER_APPLICATION},
    )
    deadline = time.monotonic() + 60
    caught = False
    while loader.poll() is None and time.monotonic() < deadline:
        if loader_writing(cluster):
            caught = True
            break
        time.sleep(0.05)
    still_running = caught and loader.poll() is None
    loader.kill()
    loader.wait(timeout=30)
    after = page_text(site)
    check = site.manage("load_archive", "--check").stdout.strip().splitlines()[-1]
    reload = site.manage("load_archive").stdout.strip().splitlines()[-1]
    consistent = after == before and "(interrupted)" not in after
    return still_running and consistent, (
        f"killed {'mid-run' if still_running else 'after it had finished'}; "
        f"pages {'unchanged' if consistent else 'CHANGED'}; then: {check}; {reload}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    root = Path(tempfile.mkdtemp(prefix="archive-faults-"))
    root.chmod(0o755)  # PostgreSQL's own user works in it
    cluster = PrivateCluster(root / "pg")
    site = Archive(root, cluster.url("archive"), free_port())
    outcomes: list[Outcome] = []
    try:
        print(f"faults: private PostgreSQL in {cluster.data}", flush=True)
        cluster.init()
        cluster.start()
        run_as_postgres(
            str(PG_BIN / "createdb"), "-h", str(cluster.socket_dir), "archive"
        )
        site.manage("migrate", "--no-input")
        site.manage("load_archive")
        site.manage("collectstatic", "--no-input", "--verbosity", "0")
        site.serve(root / "gunicorn.log")
        print(f"faults: serving on 127.0.0.1:{site.port}", flush=True)
        scenarios = [
            (
                "PostgreSQL restarted under load",
                lambda: restart_under_load(cluster, site),
            ),
            ("PostgreSQL restarted while idle", lambda: idle_restart(cluster, site)),
            ("load_archive during traffic", lambda: load_during_traffic(root, site)),
            ("load_archive killed mid-run", lambda: killed_load(cluster, root, site)),
        ]
        run_checks(scenarios, outcomes, before=lambda: wait_healthy(site.port))
    finally:
        site.stop()
        if cluster.running():
            cluster.stop("immediate")
    return finish("faults", root, outcomes, keep=args.keep, expected=4)


if __name__ == "__main__":
    sys.exit(main())
