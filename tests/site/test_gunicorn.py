"""gunicorn.conf.py: the production server settings docs/deploy.md explains, read the way
gunicorn reads them (its own Config), with their environment overrides."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READ = """
import json
from gunicorn.config import Config
from gunicorn.app.base import Application

class App(Application):
    def init(self, *args):
        return None
    def load(self):
        return None

app = App(usage="", prog="gunicorn")
app.cfg = Config()
app.load_config_from_file("gunicorn.conf.py")
names = ["worker_class_str", "workers", "threads", "timeout", "graceful_timeout", "keepalive",
         "max_requests", "max_requests_jitter", "preload_app", "bind", "accesslog",
         "forwarded_allow_ips"]
print(json.dumps({n: getattr(app.cfg, n) for n in names}))
"""


def _read(env: dict) -> dict:
    done = subprocess.run(  # noqa: S603 - this interpreter, fixed code
        [sys.executable, "-c", READ],
        cwd=ROOT,
        env={"PATH": "/usr/bin:/bin", **env},
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout)


def test_gunicorn__threads_timeouts_recycling_preload_by_default():
    config = _read({})
    assert config["worker_class_str"] == "gthread"
    assert config["workers"] >= 2 and config["threads"] == 4
    assert config["timeout"] == 30 and config["graceful_timeout"] == 30
    assert config["max_requests"] == 1000 and config["max_requests_jitter"] == 100
    assert config["preload_app"] is True
    assert config["bind"] == ["127.0.0.1:8000"]
    assert config["accesslog"] is None  # no log of addresses and paths by default
    assert config["forwarded_allow_ips"] == ["127.0.0.1"]


def test_gunicorn__every_value_from_the_environment():
    config = _read(
        {
            "WEB_CONCURRENCY": "5",
            "GUNICORN_THREADS": "8",
            "GUNICORN_TIMEOUT": "60",
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_PRELOAD": "false",
            "GUNICORN_BIND": "0.0.0.0:9000",
            "FORWARDED_ALLOW_IPS": "10.0.0.2",
        }
    )
    assert (config["workers"], config["threads"], config["timeout"]) == (5, 8, 60)
    assert config["max_requests"] == 0 and config["preload_app"] is False
    assert config["bind"] == ["0.0.0.0:9000"]
    assert config["forwarded_allow_ips"] == ["10.0.0.2"]


def test_gunicorn__an_empty_variable_keeps_the_default():
    config = _read({"GUNICORN_THREADS": "", "GUNICORN_TIMEOUT": ""})
    assert (config["threads"], config["timeout"]) == (4, 30)
