"""The gunicorn config never logs query strings (searches carry locations
and the care someone looks for)."""

import runpy
from pathlib import Path

CONF = Path(__file__).resolve().parents[2] / "gunicorn.conf.py"


def test_access_log_has_path_without_query_string():
    conf = runpy.run_path(str(CONF))
    log_format = conf["access_log_format"]
    assert "%(U)s" in log_format
    for leaky in ["%(q)s", "%(r)s", "%(f)s", "%(a)s"]:
        assert leaky not in log_format


def test_access_log_line_from_gunicorn_itself():
    """Format a real access line with gunicorn's own logger."""
    from types import SimpleNamespace

    from gunicorn.config import Config
    from gunicorn.glogging import Logger

    conf = runpy.run_path(str(CONF))
    config = Config()
    config.set("access_log_format", conf["access_log_format"])
    logger = Logger(config)
    request = SimpleNamespace(
        method="GET", path="/find/", query="location=10001&care=detox", version=(1, 1), headers=[],
        uri="/find/?location=10001&care=detox",
    )  # fmt: skip
    response = SimpleNamespace(status="200 OK", response_length=10, sent=10, headers=[])
    environ = {
        "REMOTE_ADDR": "127.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": request.uri,
        "PATH_INFO": "/find/",
        "QUERY_STRING": request.query,
        "SERVER_PROTOCOL": "HTTP/1.1",
    }
    from datetime import timedelta

    atoms = logger.atoms(response, request, environ, timedelta(milliseconds=5))
    line = conf["access_log_format"] % atoms
    assert "/find/" in line
    assert "10001" not in line and "detox" not in line
