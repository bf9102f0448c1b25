"""Several servers, one state, on real engines: ``make cluster``.

Starts, all on this machine and on loopback or Unix sockets only:

- a PostgreSQL primary and a streaming replica of it (``pg_basebackup``), each a
  private cluster in a temporary folder;
- a private Redis on a Unix socket: the page cache both servers share;
- two gunicorn servers of the archive, visitors' reads on the replica, the admin
  and writes on the primary;
- Varnish in front of both (the CDN's stand-in), purged by Wagtail's front-end
  cache invalidation and banned by the archive on every change.

Then checks: every server and the proxy answer; visitors' reads reach the
replica; a page published on one server is seen through the other and through
the proxy within a second; stopping the replica under load gives no 5xx. Every
loop is bounded; what it starts it stops by its PID. Prints one line per check
and exits non-zero if any fails.
"""

from __future__ import annotations

import argparse
import http.client
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from servers import (
    Archive,
    Outcome,
    PrivateCluster,
    Traffic,
    fetch,
    finish,
    free_port,
    run_as_postgres,
    run_checks,
    server_errors,
)

FILM = "/films/the-wandering-earth/"
VCL = """vcl 4.1;
import directors;

probe healthz {{
  .url = "/healthz"; .interval = 1s; .timeout = 2s; .window = 3; .threshold = 2;
}}
backend one {{ .host = "127.0.0.1"; .port = "{one}"; .probe = healthz; }}
backend two {{ .host = "127.0.0.1"; .port = "{two}"; .probe = healthz; }}
acl purgers {{ "127.0.0.1"; }}

sub vcl_init {{
  new servers = directors.round_robin();
  servers.add_backend(one);
  servers.add_backend(two);
}}

sub vcl_recv {{
  set req.backend_hint = servers.backend();
  if (req.method == "PURGE") {{
    if (client.ip !~ purgers) {{ return (synth(405)); }}
    return (purge);
  }}
  if (req.method == "BAN") {{
    if (client.ip !~ purgers) {{ return (synth(405)); }}
    ban("req.url ~ ^/");
    return (synth(200, "Banned"));
  }}
  if (req.url ~ "^/admin/" || req.http.Cookie ~ "sessionid") {{ return (pass); }}
  unset req.http.Cookie;
}}

sub vcl_deliver {{
  if (obj.hits > 0) {{
    set resp.http.X-Proxy-Cache = "hit";
  }} else {{
    set resp.http.X-Proxy-Cache = "miss";
  }}
}}
"""


class Redis:
    def __init__(self, root: Path):
        self.socket = root / "redis.sock"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("redis-server") or "redis-server", "--port", "0",
             "--unixsocket", str(self.socket), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 10
        while not self.socket.exists() and time.monotonic() < deadline:
            time.sleep(0.1)

    @property
    def url(self) -> str:
        return f"unix://{self.socket}?db=0"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)


class Varnish:
    def __init__(self, root: Path, port: int, backends: tuple[int, int]):
        self.port = port
        self.workdir = root / "varnish"
        self.vcl = root / "archive.vcl"
        self.vcl.write_text(VCL.format(one=backends[0], two=backends[1]))
        self.process: subprocess.Popen | None = None

    def start(self, log: Path) -> None:
        self.workdir.mkdir()
        self.process = subprocess.Popen(  # noqa: S603
            [shutil.which("varnishd") or "/usr/sbin/varnishd", "-F",
             "-a", f"127.0.0.1:{self.port}", "-f", str(self.vcl),
             "-n", str(self.workdir), "-s", "malloc,64m", "-T", "none"],
            stdout=log.open("w"), stderr=subprocess.STDOUT,
        )  # fmt: skip

    def answers(self) -> bool:
        """Whether the proxy serves a page within 20 s (its probes find the servers)."""
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if fetch(self.port, "/healthz", timeout=2) == 200:
                return True
            if self.process is None or self.process.poll() is not None:
                return False
            time.sleep(0.5)
        return False

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()


def title_on(port: int, path: str = FILM) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
        body = connection.getresponse().read().decode()
    except OSError:
        return ""
    finally:
        connection.close()
    start = body.find("<h1")
    return body[start : body.find("</h1>", start)] if start >= 0 else ""


PUBLISH = """
from films.models import FilmPage
film = FilmPage.objects.get(slug="the-wandering-earth")
film.title = {title!r}
film.save_revision().publish()
"""


def replica_reads(replica: PrivateCluster) -> int:
    value = replica.psql(
        "archive",
        "SELECT xact_commit + xact_rollback FROM pg_stat_database "
        "WHERE datname = 'archive'",
    )
    return int(value or 0)


def check_everyone_answers(servers, proxy) -> tuple[bool, str]:
    statuses = {port: fetch(port, FILM) for port in (*servers, proxy)}
    return all(s == 200 for s in statuses.values()), f"{FILM}: {statuses}"


def check_reads_on_replica(replica, servers) -> tuple[bool, str]:
    before = replica_reads(replica)
    with Traffic(servers[0], clients=2, ports=servers, bust=True) as traffic:
        time.sleep(3)
    after = replica_reads(replica)
    return after - before >= len(traffic.results), (
        f"{len(traffic.results)} visitor requests (past the page cache), "
        f"{after - before} transactions on the replica"
    )


def check_publish_seen_everywhere(site: Archive, servers, proxy) -> tuple[bool, str]:
    ports = (*servers, proxy)
    for port in ports:  # everything cached: the page cache and the proxy
        title_on(port)
        title_on(port)
    title = f"The Wandering Earth ({time.monotonic():.0f})"
    site.manage("shell", "-c", PUBLISH.format(title=title))
    published = time.monotonic()
    seen: dict[int, float] = {}
    while len(seen) < len(ports) and time.monotonic() - published < 10:
        for port in ports:
            if port not in seen and title in title_on(port):
                seen[port] = time.monotonic() - published
        time.sleep(0.05)
    slowest = max(seen.values()) if len(seen) == len(ports) else float("inf")
    detail = ", ".join(
        f"{port}: {seen.get(port, float('inf')):.2f} s" for port in ports
    )
    return (
        slowest <= 1.0,
        f"published with manage.py on the primary; seen after {detail}",
    )


def check_replica_stopped_under_load(replica, servers) -> tuple[bool, str]:
    with Traffic(servers[0], clients=4, ports=servers, bust=True) as traffic:
        time.sleep(2)
        stopped = time.monotonic()
        replica.stop("immediate")
        time.sleep(4)
    errors = server_errors(traffic.results)
    after = [r for r in traffic.results if r.started > stopped]
    return not errors and bool(after), (
        f"{len(traffic.results)} requests, {len(after)} after the replica stopped, "
        f"{len(errors)} failed"
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keep", action="store_true", help="keep the temporary folder")
    args = parser.parse_args()
    for tool in ("varnishd", "redis-server"):
        if not shutil.which(tool) and not Path(f"/usr/sbin/{tool}").exists():
            print(f"cluster: {tool} is missing (apt-get install varnish redis-server)")
            return 2
    root = Path(tempfile.mkdtemp(prefix="archive-cluster-"))
    root.chmod(0o755)  # PostgreSQL's own user works in it
    primary = PrivateCluster(root / "primary")
    replica = PrivateCluster(root / "replica")
    redis = Redis(root)
    servers = (free_port(), free_port())
    proxy_port = free_port()
    proxy = Varnish(root, proxy_port, servers)
    env = {
        "DATABASE_REPLICA_URL": replica.url("archive"),
        "REDIS_URL": redis.url,
        "PAGE_CACHE": "1",
        "PROXY_CACHE_SECONDS": "300",
        "FRONTEND_CACHE_URL": f"http://127.0.0.1:{proxy_port}",
        "PROXY_BAN_URL": f"http://127.0.0.1:{proxy_port}/",
        "WAGTAILADMIN_BASE_URL": f"http://127.0.0.1:{proxy_port}",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "WEB_CONCURRENCY": "2",
    }
    sites = [Archive(root, primary.url("archive"), port, **env) for port in servers]
    outcomes: list[Outcome] = []
    try:
        primary.init()
        primary.start()
        run_as_postgres(
            "/usr/lib/postgresql/15/bin/createdb", "-h", str(primary.socket_dir),
            "archive",
        )  # fmt: skip
        redis.start()
        first = sites[0]
        first.manage("migrate", "--no-input")
        first.manage("load_archive")
        first.manage("collectstatic", "--no-input", "--verbosity", "0")
        first.manage("set_site_address", f"http://127.0.0.1:{proxy_port}")
        replica.init_replica_of(primary)
        replica.start()
        for site, port in zip(sites, servers, strict=True):
            site.serve(root / f"gunicorn-{port}.log")
        proxy.start(root / "varnish.log")
        if not proxy.answers():
            raise RuntimeError(f"Varnish did not start; see {root / 'varnish.log'}")
        print(
            f"cluster: servers on {servers}, Varnish on {proxy_port}, "
            f"primary and replica in {root}",
            flush=True,
        )
        checks = [
            (
                "every server and the proxy answer",
                lambda: check_everyone_answers(servers, proxy_port),
            ),
            (
                "visitors read from the replica",
                lambda: check_reads_on_replica(replica, servers),
            ),
            (
                "a publish is seen everywhere within a second",
                lambda: check_publish_seen_everywhere(first, servers, proxy_port),
            ),
            (
                "the replica stopped under load",
                lambda: check_replica_stopped_under_load(replica, servers),
            ),
        ]
        run_checks(checks, outcomes)
    finally:
        proxy.stop()
        for site in sites:
            site.stop()
        redis.stop()
        for cluster in (replica, primary):
            if cluster.running():
                cluster.stop("immediate")
    return finish("cluster", root, outcomes, keep=args.keep, expected=4)


if __name__ == "__main__":
    sys.exit(main())
