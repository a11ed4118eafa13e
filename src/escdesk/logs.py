"""Log lines for people (`text`) or for a collector (`json`, one object a line), both carrying
the request id of the change they are about.

`escdesk serve` and `escdesk worker` configure logging once from the `log_format` setting; the
same dictionary configures uvicorn's own loggers (and each of its worker processes), so every
line of a process has one shape.
"""

from __future__ import annotations

import json
import logging
import logging.config
import sys
from datetime import UTC, datetime
from typing import IO, Any

from escdesk.services.request_context import current_request_id

# What a LogRecord always has; anything else passed as `extra=` goes into the JSON object.
_STANDARD = set(vars(logging.makeLogRecord({}))) | {"message", "asctime", "request_id"}
_STANDARD |= {"color_message"}  # uvicorn's copy of the message with terminal colours


class RequestIdFilter(logging.Filter):
    """Stamps each record with the request id bound where it was logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "request_id", None) is None:
            record.request_id = current_request_id()
        return True


class JsonFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        request_id = getattr(record, "request_id", None)
        if request_id:
            entry["request_id"] = request_id
        entry.update(
            {k: v for k, v in vars(record).items() if k not in _STANDARD and not k.startswith("_")}
        )
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        return json.dumps(entry, default=str, ensure_ascii=False)


class TextFormatter(logging.Formatter):
    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)s %(name)s: %(message)s")

    def format(self, record: logging.LogRecord) -> str:
        line = super().format(record)
        request_id = getattr(record, "request_id", None)
        return f"{line} [request {request_id}]" if request_id else line


def logging_config(log_format: str, level: str = "INFO") -> dict[str, Any]:
    """A `logging.config.dictConfig` for escdesk and uvicorn, in the chosen format."""
    formatter = "JsonFormatter" if log_format == "json" else "TextFormatter"
    handler = {
        "class": "escdesk.logs.StderrHandler",
        "formatter": "escdesk",
        "filters": ["request_id"],
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "escdesk.logs.RequestIdFilter"}},
        "formatters": {"escdesk": {"()": f"escdesk.logs.{formatter}"}},
        "handlers": {"default": handler},
        "loggers": {
            "escdesk": {"handlers": ["default"], "level": level, "propagate": False},
            "uvicorn": {"handlers": ["default"], "level": level, "propagate": False},
            # escdesk.http logs each request with its id; uvicorn's own line would repeat it.
            "uvicorn.access": {"handlers": [], "level": "WARNING", "propagate": False},
        },
    }


class StderrHandler(logging.Handler):
    """Writes to whatever `sys.stderr` is when a line is logged, not when logging was set up
    (a command run inside another program, or a test, may swap it)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        super().__init__()
        self.fixed = stream

    def emit(self, record: logging.LogRecord) -> None:
        try:
            stream = self.fixed or sys.stderr
            stream.write(self.format(record) + "\n")
            stream.flush()
        except Exception:
            self.handleError(record)


def configure_logging(log_format: str, stream: IO[str] | None = None) -> None:
    """Configure this process; `stream` (tests) replaces stderr."""
    config = logging_config(log_format)
    if stream is not None:
        config["handlers"]["default"]["stream"] = stream
    logging.config.dictConfig(config)
