"""The one exception for mistakes an operator can fix (a setting, a path, a broker address).

The `newsflow` command shows its message on one line and exits with code 2, instead of a
traceback; the message names the variable, option or path and says what to do.
"""

from __future__ import annotations


class OperatorError(Exception):
    """A usage or configuration mistake; `str(error)` is the whole explanation."""

    exit_code = 2
