"""Start and stop gunicorn on 127.0.0.1 with production settings, for the
benchmarks that measure the real server (`manage.py loadtest`,
`manage.py bench_gunicorn`). One place for the environment, static files,
start, wait and stop."""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from cryptography.fernet import Fernet
from django.conf import settings
from django.core.management.base import CommandError

HOST = "127.0.0.1"
START_TIMEOUT = 120  # seconds for a worker to warm up and answer /healthz


def static_root() -> Path:
    return settings.BASE_DIR / "var" / "loadtest-static"


def production_env(**extra: str) -> dict[str, str]:
    """The environment of a local gunicorn run: production settings on the
    current DATABASE_URL, plain HTTP on 127.0.0.1, quiet logs."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": os.environ.get("SECRET_KEY", "loadtest-only-" + "x" * 50),
        # Production settings refuse to start without an inquiry key; a
        # throwaway one serves a benchmark (no inquiry is read back).
        "INQUIRY_ENCRYPTION_KEYS": (
            os.environ.get("INQUIRY_ENCRYPTION_KEYS") or Fernet.generate_key().decode()
        ),
        "ALLOWED_HOSTS": HOST,
        "SECURE_SSL_REDIRECT": "false",
        "STATIC_ROOT": str(static_root()),
        "DEBUG": "0",
        "LOG_LEVEL": "WARNING",
        **extra,
    }


def collect_static_once(env: dict[str, str], stderr) -> None:
    """Production settings serve hashed static files: collect them once."""
    if (static_root() / "staticfiles.json").exists():
        return
    stderr.write("Collecting static files once...")
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        env=env, cwd=settings.BASE_DIR, check=True,
    )  # fmt: skip


def port_in_use(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex((HOST, port)) == 0


def gunicorn_command(*, port: int, workers: int, extra_args=()) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--bind", f"{HOST}:{port}",
        "--workers", str(workers), "--access-logfile", "/dev/null", "--log-level", "warning", *extra_args,
    ]  # fmt: skip


@contextlib.contextmanager
def running_gunicorn(*, port: int, workers: int, env: dict[str, str], stderr, extra_args=()):
    """gunicorn (gunicorn.conf.py: warm-up and gc.freeze() in each worker)
    on 127.0.0.1:port until the block ends; yields the master's Popen once
    /healthz answers. Refuses a port something else already listens on (we
    would measure that server)."""
    if port_in_use(port):
        raise CommandError(f"Port {port} is already in use on {HOST}: choose another with --port.")
    collect_static_once(env, stderr)
    master = subprocess.Popen(  # noqa: S603
        gunicorn_command(port=port, workers=workers, extra_args=extra_args), env=env, cwd=settings.BASE_DIR
    )
    try:
        wait_until_up(port, master)
        yield master
    finally:
        stop(master)


def wait_until_up(port: int, master: subprocess.Popen | None = None, timeout: float = START_TIMEOUT) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if master is not None and master.poll() is not None:
            raise CommandError(f"gunicorn exited with status {master.returncode} before answering")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=5):  # noqa: S310
                return
        except OSError:
            time.sleep(0.5)
    raise CommandError(f"gunicorn did not answer /healthz within {timeout:.0f} s")


def stop(master: subprocess.Popen) -> None:
    if master.poll() is None:
        master.send_signal(signal.SIGTERM)
        try:
            master.wait(timeout=60)
        except subprocess.TimeoutExpired:
            master.kill()
            master.wait()


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(pid) for pid in children.read_text().split()] if children.exists() else []
