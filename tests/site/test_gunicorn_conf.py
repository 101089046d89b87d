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


def test_secrets_in_paths_are_redacted_from_access_and_error_logs():
    """gunicorn.conf.py's logger class filters what gunicorn itself writes:
    a family's status link and an invitation never reach its logs."""
    import io
    import logging
    from datetime import timedelta
    from types import SimpleNamespace

    from gunicorn.config import Config

    conf = runpy.run_path(str(CONF))
    config = Config()
    config.set("access_log_format", conf["access_log_format"])
    config.set("accesslog", "-")
    config.set("logger_class", conf["logger_class"])
    logger = config.logger_class(config)
    buffer = io.StringIO()
    capture = logging.StreamHandler(buffer)
    logger.access_log.addHandler(capture)
    logger.error_log.addHandler(capture)
    canary = "c0ffee" * 10 + "beef"
    try:
        for path in (f"/inquiries/status/{canary}/", f"/for-centers/invitations/MQ:{canary}/"):
            request = SimpleNamespace(
                method="POST", path=path, query="", version=(1, 1), headers=[], uri=path
            )  # fmt: skip
            response = SimpleNamespace(status="403 Forbidden", response_length=10, sent=10, headers=[])
            environ = {
                "REMOTE_ADDR": "127.0.0.1",
                "REQUEST_METHOD": "POST",
                "RAW_URI": path,
                "PATH_INFO": path,
                "QUERY_STRING": "",
                "SERVER_PROTOCOL": "HTTP/1.1",
            }
            logger.access(response, request, environ, timedelta(milliseconds=5))
        logger.error("Invalid request from %s: %s", "127.0.0.1", f"GET /inquiries/status/{canary}/")
    finally:
        logger.access_log.removeHandler(capture)
        logger.error_log.removeHandler(capture)
    output = buffer.getvalue()
    assert output.count("[redacted]") == 3
    assert '"POST /inquiries/status/[redacted] HTTP/1.1" 403' in output
    assert canary not in output
