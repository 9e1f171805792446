"""Structured logs: JSON lines in production, readable lines in a terminal.

structlog renders our events; the standard-library records of Faust and aiokafka go through the
same renderer, so one process never mixes two formats.
"""

from __future__ import annotations

import logging
import logging.config
import sys
from typing import Any

import structlog

_SHARED_PROCESSORS: list[Any] = [
    structlog.contextvars.merge_contextvars,
    structlog.stdlib.add_log_level,
    structlog.stdlib.add_logger_name,
    structlog.processors.TimeStamper(fmt="iso", utc=True),
]


def wants_json(log_format: str) -> bool:
    """`auto` means JSON unless stderr is a terminal."""
    return log_format == "json" or (log_format == "auto" and not sys.stderr.isatty())


def logging_config(level: str = "info", log_format: str = "auto") -> dict[str, Any]:
    """A `logging.config.dictConfig` document; Faust's worker takes it as `logging_config`."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if wants_json(log_format)
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {
            "structlog": {
                "()": structlog.stdlib.ProcessorFormatter,
                "processors": [
                    structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                    structlog.processors.format_exc_info,
                    renderer,
                ],
                "foreign_pre_chain": _SHARED_PROCESSORS,
            }
        },
        "handlers": {
            "stderr": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stderr",
                "formatter": "structlog",
            }
        },
        "root": {"handlers": ["stderr"], "level": level.upper()},
        "loggers": {
            # Chatty at INFO about every rebalance step; warnings still come through.
            "aiokafka": {"level": "WARNING"},
            "faust": {"level": "WARNING" if level != "debug" else "DEBUG"},
            "mode": {"level": "WARNING" if level != "debug" else "DEBUG"},
        },
    }


def configure_logging(level: str = "info", log_format: str = "auto") -> None:
    """Set up structlog and the standard library to render through one formatter."""
    logging.config.dictConfig(logging_config(level, log_format))
    structlog.configure(
        processors=[
            *_SHARED_PROCESSORS,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )


def get_logger(name: str) -> structlog.stdlib.BoundLogger:
    """A structlog logger; events are key-value pairs, never formatted strings."""
    return structlog.get_logger(name)
