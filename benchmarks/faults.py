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
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
PYTHON = sys.executable
URLS = [
    "/",
    "/films/",
    "/films/the-wandering-earth/",
    "/essays/",
    "/timeline/",
    "/tags/",
    "/search/?q=earth",
    "/api/v2/pages/?type=films.FilmPage",
]
MAX_REQUESTS = 20_000


@dataclass
class Result:
    started: float
    finished: float
    status: int  # 0: no answer at all


@dataclass
class Traffic:
    """Clients fetching ``URLS`` in turn until stopped, or at most ``MAX_REQUESTS``."""

    port: int
    clients: int = 4
    results: list[Result] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, offset: int) -> None:
        n = offset
        while not self._stop.is_set() and len(self.results) < MAX_REQUESTS:
            url = URLS[n % len(URLS)]
            n += 1
            started = time.monotonic()
            status = fetch(self.port, url)
            self.results.append(Result(started, time.monotonic(), status))

    def __enter__(self) -> Traffic:
        for offset in range(self.clients):
            thread = threading.Thread(target=self._client, args=(offset,), daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=30)


def fetch(port: int, url: str, timeout: float = 20) -> int:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        connection.request("GET", url, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        return response.status
    except OSError:
        return 0
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    """PostgreSQL's tools refuse to run as root; run them as its own user."""
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run(  # noqa: S603
        [*prefix, *command], check=True, capture_output=True, text=True, **kwargs
    )


class PrivateCluster:
    """A PostgreSQL cluster of our own, reachable on a Unix socket only."""

    def __init__(self, root: Path):
        self.data = root / "data"
        self.socket_dir = root / "socket"
        self.log = root / "postgres.log"

    def init(self) -> None:
        for path in (self.data, self.socket_dir):
            path.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            for path in (self.data, self.socket_dir):
                shutil.chown(path, "postgres")
        run_as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
        )

    def start(self) -> None:
        options = f"-c listen_addresses='' -k {self.socket_dir} -c fsync=off"
        run_as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-l", str(self.log),
            "-o", options, "-w", "-t", "30", "start",
        )  # fmt: skip

    def stop(self, mode: str = "fast") -> None:
        run_as_postgres(
            str(PG_BIN / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"
        )

    def running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@{quote(str(self.socket_dir), safe='')}/{database}"


class Archive:
    """The archive's commands and server, under production settings."""

    def __init__(self, root: Path, database_url: str, port: int):
        self.port = port
        self.server: subprocess.Popen | None = None
        self.env = {
            **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
            "DJANGO_SETTINGS_MODULE": "wanderingsite.settings.local",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "DATABASE_URL": database_url,
            "STATIC_ROOT": str(root / "static"),
            "MEDIA_ROOT": str(root / "media"),
            "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{port}",
            # Every request reaches the database, so its faults show.
            "PAGE_CACHE": "0",
            "WEB_CONCURRENCY": "3",
            "HOST": "127.0.0.1",
            "PORT": str(port),
        }

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return subprocess.run(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
            timeout=600,
            **kwargs,
        )

    def popen_manage(self, *args: str, env: dict | None = None) -> subprocess.Popen:
        return subprocess.Popen(  # noqa: S603
            [PYTHON, "manage.py", *args],
            cwd=BASE_DIR,
            env={**self.env, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )

    def serve(self, log: Path) -> None:
        self.server = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "gunicorn", "-c", "python:wanderingsite.gunicorn",
             "wanderingsite.wsgi"],
            cwd=BASE_DIR, env=self.env, stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if fetch(self.port, "/healthz", timeout=2) == 200:
                return
            if self.server.poll() is not None:
                raise RuntimeError(f"gunicorn exited; see {log}")
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer /healthz within 60 s; see {log}")

    def stop(self) -> None:
        if self.server and self.server.poll() is None:
            self.server.send_signal(signal.SIGTERM)
            try:
                self.server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.server.kill()


def server_errors(results: list[Result]) -> list[Result]:
    return [r for r in results if r.status >= 500 or r.status == 0]


def wait_healthy(port: int, seconds: float = 30) -> float:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if fetch(port, "/healthz", timeout=2) == 200:
            return time.monotonic()
        time.sleep(0.1)
    raise RuntimeError("the site did not recover")


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
    result = subprocess.run(  # noqa: S603
        [str(PG_BIN / "psql"), "-h", str(cluster.socket_dir), "-U", "postgres",
         "-d", "archive", "-tAc", LOADER_WRITING],
        capture_output=True, text=True, check=False, timeout=10,
    )  # fmt: skip
    return result.stdout.strip() not in ("", "0")


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
    outcomes: list[tuple[str, bool, str]] = []
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
        for name, scenario in scenarios:
            wait_healthy(site.port)
            ok, detail = scenario()
            outcomes.append((name, ok, detail))
            print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)
    finally:
        site.stop()
        if cluster.running():
            cluster.stop("immediate")
        if args.keep:
            print(f"faults: kept {root}")
        else:
            shutil.rmtree(root, ignore_errors=True)
    failed = [name for name, ok, _ in outcomes if not ok]
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or len(outcomes) < 4 else 0


if __name__ == "__main__":
    sys.exit(main())
