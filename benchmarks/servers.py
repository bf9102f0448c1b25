"""Servers of the archive's own for the scripts in benchmarks/: a private PostgreSQL
cluster (and its streaming replica), the archive under gunicorn, and bounded
traffic on loopback. Every process they start is stopped by its PID."""

from __future__ import annotations

import http.client
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
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
    """Clients fetching ``URLS`` in turn until stopped, or at most ``MAX_REQUESTS``.

    With several ``ports`` each request goes to the next server; with ``bust``
    every URL is new to the page cache, so every request reaches the database.
    """

    port: int
    clients: int = 4
    ports: tuple[int, ...] = ()
    bust: bool = False
    results: list[Result] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _threads: list[threading.Thread] = field(default_factory=list)

    def _client(self, offset: int) -> None:
        n = offset
        ports = self.ports or (self.port,)
        while not self._stop.is_set() and len(self.results) < MAX_REQUESTS:
            url = URLS[n % len(URLS)]
            if self.bust:
                url += f"{'&' if '?' in url else '?'}n={offset}-{n}"
            port = ports[n % len(ports)]
            n += 1
            started = time.monotonic()
            status = fetch(port, url)
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

    def _make_folders(self) -> None:
        for path in (self.data, self.socket_dir):
            path.mkdir(parents=True)
        if os.geteuid() == 0:
            shutil.chown(self.data.parent, "postgres")
            for path in (self.data, self.socket_dir):
                shutil.chown(path, "postgres")
        self.data.chmod(0o700)

    def init(self) -> None:
        self._make_folders()
        run_as_postgres(
            str(PG_BIN / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
        )

    def init_replica_of(self, primary: PrivateCluster) -> None:
        """A streaming replica: a base backup of ``primary`` that follows it."""
        self._make_folders()
        run_as_postgres(
            str(PG_BIN / "pg_basebackup"), "-h", str(primary.socket_dir),
            "-U", "postgres", "-D", str(self.data), "-X", "stream", "-R",
        )  # fmt: skip

    def psql(self, database: str, query: str) -> str:
        result = subprocess.run(  # noqa: S603
            [str(PG_BIN / "psql"), "-h", str(self.socket_dir), "-U", "postgres",
             "-d", database, "-tAc", query],
            capture_output=True, text=True, check=False, timeout=10,
        )  # fmt: skip
        return result.stdout.strip()

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

    def __init__(self, root: Path, database_url: str, port: int, **env: str):
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
            **env,
        }

    def manage(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        return self.python("manage.py", *args, **kwargs)

    def python(self, *args: str, **kwargs) -> subprocess.CompletedProcess:
        """A Python script of the project's, under this archive's environment."""
        return subprocess.run(  # noqa: S603
            [PYTHON, *args],
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


Outcome = tuple[str, bool, str]


def run_checks(checks, outcomes: list[Outcome], *, before=None) -> None:
    """Run each ``(name, check)``; a check gives ``(ok, detail)``, printed at once."""
    for name, check in checks:
        if before is not None:
            before()
        ok, detail = check()
        outcomes.append((name, ok, detail))
        print(f"{'PASS' if ok else 'FAIL'}  {name}: {detail}", flush=True)


def finish(
    script: str, root: Path, outcomes: list[Outcome], *, keep: bool, expected: int
) -> int:
    """Remove (or keep) the temporary folder, print the tally, give the exit code."""
    if keep:
        print(f"{script}: kept {root}")
    else:
        shutil.rmtree(root, ignore_errors=True)
    failed = [name for name, ok, _ in outcomes if not ok]
    print(f"{len(outcomes) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or len(outcomes) < expected else 0
