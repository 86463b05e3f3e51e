"""A production-like Neighborhood on one machine, for tests/deploy/e2e.py and the load benchmark.

Everything it starts is its own, in a temporary directory, on free ports, and stopped at the
end: a PostgreSQL cluster (`initdb` + `pg_ctl` of PostgreSQL 15, as the `postgres` user when run
as root, since initdb refuses root), a `redis-server`, gunicorn app servers with the production
settings (`config.settings.production`, `gunicorn.conf.py`), and, when the installation has
them, the S3-compatible server (moto) and the task worker. Never the machine's own PostgreSQL
or Redis: the outage test stops and restarts this cluster only.

It follows docs/deploy.md: the same environment variables, the same commands.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from tests.deploy.client import HOST, get

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
PG_BIN = Path(os.environ.get("PG_BIN", "/usr/lib/postgresql/15/bin"))
DEMO_SETTINGS = "tests.deploy.settings"
DEMO_PASSWORD = "correct-horse-battery-staple-42"  # the demo accounts' here  # noqa: S105


_TAKEN: set[int] = set()


def free_port() -> int:
    """A free port: any the system gives, or one of `DEPLOY_PORTS` (e.g. `18100-18199`) on a
    machine where each user of it keeps to a range."""
    span = os.environ.get("DEPLOY_PORTS", "")
    candidates = range(int(span.split("-")[0]), int(span.split("-")[1]) + 1) if span else [0]
    for candidate in candidates:
        if candidate in _TAKEN:
            continue
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            port = sock.getsockname()[1]
            _TAKEN.add(port)
            return port
    raise RuntimeError(f"no free port in DEPLOY_PORTS={span}")


def wait_for(check, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"{what} did not come up within {seconds:.0f} s")


def _as_postgres(command: list[str]) -> list[str]:
    """initdb and postgres refuse to run as root: run them as the postgres user then."""
    if os.geteuid() != 0:
        return command
    return ["runuser", "-u", "postgres", "--", *command]


@dataclass
class Postgres:
    directory: Path
    port: int = field(default_factory=free_port)

    @property
    def data(self) -> Path:
        return self.directory / "pgdata"

    def init(self) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            self.directory.parent.chmod(0o711)  # the postgres user may pass, not list
            shutil.chown(self.directory, "postgres", "postgres")
        done = subprocess.run(  # noqa: S603 - PostgreSQL's own tools, fixed arguments
            _as_postgres(
                [str(PG_BIN / "initdb"), "-D", str(self.data), "-U", "postgres", "-A", "trust"]
            ),
            check=False,
            capture_output=True,
            text=True,
        )
        if done.returncode:
            raise RuntimeError(f"initdb failed:\n{done.stdout}\n{done.stderr}")
        self.start()
        subprocess.run(  # noqa: S603
            [str(PG_BIN / "createdb"), "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres",
             "neighborhood"],
            check=True,
        )  # fmt: skip

    def _ctl(self, *args: str) -> None:
        subprocess.run(  # noqa: S603
            _as_postgres([str(PG_BIN / "pg_ctl"), "-D", str(self.data), *args]),
            check=True,
            capture_output=True,
        )

    def start(self) -> None:
        # A throwaway cluster: no fsync (a clean stop, as the outage test does, still writes
        # everything; only a machine crash could lose data, and then the cluster is gone anyway).
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} "
            "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
        )
        self._ctl("-w", "-l", str(self.directory / "log"), "-o", options, "start")

    def stop(self) -> None:
        self._ctl("-w", "-m", "fast", "stop")

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/neighborhood"


@dataclass
class Process:
    name: str
    command: list[str]
    env: dict
    log: Path
    cwd: Path = ROOT
    popen: subprocess.Popen | None = None

    def start(self) -> None:
        with self.log.open("ab") as handle:
            # Its own process group: stopping it stops whatever it started (gunicorn's workers).
            self.popen = subprocess.Popen(  # noqa: S603 - our own commands
                self.command,
                env=self.env,
                cwd=self.cwd,
                stdout=handle,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def stop(self) -> None:
        if self.popen is None:
            return
        if self.popen.poll() is None:
            self.popen.terminate()
            try:
                self.popen.wait(20)
            except subprocess.TimeoutExpired:
                self.popen.kill()
                self.popen.wait()
        with contextlib.suppress(ProcessLookupError):  # the group is gone already
            os.killpg(self.popen.pid, signal.SIGKILL)


class Stack:
    """PostgreSQL, Redis, (S3, worker,) and `servers` gunicorn app servers, running the code
    in `root` (this repository, or another checkout of it to compare with)."""

    def __init__(self, servers: int = 2, workers: int = 2, threads: int = 4, root: Path = ROOT):
        self.root = root
        self.tmp = Path(tempfile.mkdtemp(prefix="neighborhood-deploy-"))
        self.postgres = Postgres(self.tmp / "postgres")
        self.redis_port = free_port()
        self.s3_port = free_port()
        self.ports = [free_port() for _ in range(servers)]
        self.workers, self.threads = workers, threads
        self.processes: list[Process] = []
        self.timings: list[tuple[str, float]] = []
        # Object storage and the task worker once the settings offer them (docs/deploy.md).
        settings = (root / "site" / "config" / "settings" / "base.py").read_text()
        self.has_s3 = "AWS_STORAGE_BUCKET_NAME" in settings
        self.has_worker = "TASKS_BACKEND" in settings
        self.env = self._environment()

    # The environment docs/deploy.md lists, the same for every server and the worker.
    def _environment(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE"))}
        env.update(
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=secrets.token_urlsafe(50),
            ALLOWED_HOSTS=f"{HOST},127.0.0.1",
            CSRF_TRUSTED_ORIGINS=f"https://{HOST}",
            TRUSTED_PROXY_COUNT="1",
            DATABASE_URL=self.postgres.url,
            DATABASE_CONN_MAX_AGE="60",
            REDIS_URL=f"redis://127.0.0.1:{self.redis_port}/0",
            NEIGHBORHOOD_VAR_DIR=str(self.tmp / "var"),
            STATIC_ROOT=str(self.tmp / "static"),
            MEDIA_ROOT=str(self.tmp / "media"),
            EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
            DEMO_PASSWORD=DEMO_PASSWORD,
            WAGTAILADMIN_BASE_URL=f"https://{HOST}",
            PYTHONPATH=os.pathsep.join([str(self.root), str(self.root / "site")]),
        )
        if self.has_s3:
            env.update(
                AWS_STORAGE_BUCKET_NAME="neighborhood-files",
                AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{self.s3_port}",
                AWS_ACCESS_KEY_ID="deploy-test",
                AWS_SECRET_ACCESS_KEY="deploy-test-secret",  # noqa: S105 - moto's, local only
                AWS_S3_REGION_NAME="us-east-1",
            )
        if self.has_worker:
            env["TASKS_BACKEND"] = "database"
        return env

    def manage(self, *args: str, settings: str | None = None, check: bool = True) -> str:
        env = dict(self.env)
        if settings:
            env["DJANGO_SETTINGS_MODULE"] = settings
        done = subprocess.run(  # noqa: S603 - manage.py, fixed arguments
            [sys.executable, "manage.py", *args],
            env=env,
            cwd=self.root,
            check=False,
            capture_output=True,
            text=True,
        )
        if check and done.returncode:
            raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stderr[-3000:]}")
        return done.stdout

    @contextlib.contextmanager
    def phase(self, name: str):
        """Times a part of the start (printed, and kept in `timings`)."""
        began = time.monotonic()
        yield
        took = time.monotonic() - began
        self.timings.append((name, took))
        print(f"   {name}: {took:.1f} s", flush=True)

    def _spawn(self, name: str, command: list[str]) -> Process:
        process = Process(name, command, self.env, self.tmp / f"{name}.log", self.root)
        process.start()
        self.processes.append(process)
        return process

    def start(self, *, demo: bool = True) -> None:
        # collectstatic (compressing every file) and check --deploy need no database: they run
        # beside the rest of the start, as they could on a build machine.
        python = shlex.quote(sys.executable)
        static = self._spawn(
            "collectstatic",
            ["sh", "-c", f"{python} manage.py collectstatic --no-input -v 0 && "
             f"{python} manage.py check --deploy --fail-level WARNING"],
        )  # fmt: skip
        with self.phase("PostgreSQL cluster (initdb, start, createdb)"):
            self.postgres.init()
        with self.phase("Redis and the S3 server"):
            self._spawn(
                "redis",
                ["redis-server", "--port", str(self.redis_port), "--bind", "127.0.0.1",
                 "--save", "", "--appendonly", "no", "--dir", str(self.tmp)],
            )  # fmt: skip
            wait_for(lambda: _tcp(self.redis_port), 20, "redis-server")
            if self.has_s3:
                self._spawn(
                    "s3",
                    [str(VENV_BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(self.s3_port)],
                )
                wait_for(lambda: _tcp(self.s3_port), 30, "moto_server")
                _make_bucket(self.env)
        with self.phase("migrate"):
            self.manage("migrate", "--no-input", "-v", "0")
        with self.phase("load_demo" if demo else "no demo"):
            if demo:
                self._load_demo()
        with self.phase("collectstatic, check --deploy (waited for)"):
            if static.popen.wait() != 0:
                raise RuntimeError("collectstatic or check --deploy failed (its log is below)")
        with self.phase(f"{len(self.ports)} gunicorn servers and the worker up"):
            for port in self.ports:
                self.start_server(port)
            if self.has_worker:  # `make worker`: schedule_tasks, then db_worker
                self.manage("schedule_tasks")
                self._spawn("worker", [sys.executable, "manage.py", "db_worker"])

    def _load_demo(self) -> None:
        settings = self.root / "tests" / "deploy" / "settings.py"
        if not settings.exists():  # an older checkout compared with
            settings.parent.mkdir(parents=True, exist_ok=True)
            (settings.parent / "__init__.py").touch()
            shutil.copy(ROOT / "tests" / "deploy" / "settings.py", settings)
        # The production settings refuse the demo on purpose; these are the same settings
        # with the demo allowed (tests/deploy/settings.py). The servers never use them.
        self.manage("load_demo", settings=DEMO_SETTINGS)

    def start_server(self, port: int) -> None:
        self._spawn(
            f"gunicorn-{port}",
            [str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py", "--bind", f"127.0.0.1:{port}",
             "--workers", str(self.workers), "--threads", str(self.threads)],
        )  # fmt: skip
        # Any answer will do (an older checkout compared with has no /healthz).
        wait_for(lambda: get(port, "/healthz").status in (200, 404), 60, f"gunicorn on {port}")

    def worker_alive(self) -> bool:
        worker = next(p for p in self.processes if p.name == "worker")
        return worker.popen is not None and worker.popen.poll() is None

    def restart_servers(self) -> None:
        for process in [p for p in self.processes if p.name.startswith("gunicorn-")]:
            process.stop()
            self.processes.remove(process)
        for port in self.ports:
            self.start_server(port)

    def stop(self) -> None:
        for process in reversed(self.processes):
            process.stop()
        with contextlib.suppress(subprocess.CalledProcessError):  # already stopped
            self.postgres.stop()
        if os.environ.get("KEEP_DEPLOY_TMP"):
            print(f"kept {self.tmp}")
        else:
            shutil.rmtree(self.tmp, ignore_errors=True)

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name} ---\n{p.log.read_text(errors='replace')[-4000:]}"
            for p in self.processes
            if p.log.exists()
        )


def _tcp(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(1)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def _make_bucket(env: dict) -> None:
    import boto3

    boto3.client(
        "s3",
        endpoint_url=env["AWS_S3_ENDPOINT_URL"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name=env["AWS_S3_REGION_NAME"],
    ).create_bucket(Bucket=env["AWS_STORAGE_BUCKET_NAME"])
