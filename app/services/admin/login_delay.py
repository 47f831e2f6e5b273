"""A wait between login attempts on this machine, growing with its failures.

The account lock (app.services.admin.auth) stops a guesser after five tries on one account, but it also lets
anyone lock anyone out, the administrator included. This slows the guessing at the machine itself: after
the second failure from this PC, whatever the user name, the next attempt waits 1, 2, 4, 8, 16 and then
30 seconds. A successful login clears it. It is kept in a small file in the user's data folder, so that
closing and reopening the program does not clear it; it is a brake on guessing at the keyboard, not a
defence against someone who can delete files on the PC.
"""

from __future__ import annotations

import json
import math
import os
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from app.core.errors import AuthenticationError
from app.db.engine import data_dir

FILE_NAME = "login_delay.json"
# Seconds to wait after the n-th failure in a row (the first costs nothing: anyone mistypes once).
DELAYS: tuple[int, ...] = (0, 1, 2, 4, 8, 16, 30)

_file_lock = threading.Lock()  # the login runs on a worker thread; two dialogs could share the file


class LoginDelayed(AuthenticationError):
    """Refused before the password is even looked at: this machine must wait a little longer."""

    def __init__(self, seconds: int) -> None:
        self.seconds = seconds
        super().__init__(f"请等待{seconds}秒后再试")


class LoginDelay:
    def __init__(
        self, path: Path, delays: Sequence[int] = DELAYS, clock: Callable[[], float] = time.time
    ) -> None:
        self.path = path
        self.delays = tuple(delays)
        self.clock = clock

    def _read(self) -> tuple[int, float]:
        """(failures in a row, when the last one was). An unreadable file counts as none."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return max(0, int(data["failures"])), float(data["last"])
        except (OSError, ValueError, KeyError, TypeError):
            return 0, 0.0

    def _write(self, failures: int, last: float) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_name(f"{self.path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        temporary.write_text(json.dumps({"failures": failures, "last": last}), encoding="utf-8")
        os.replace(temporary, self.path)

    def _delay_after(self, failures: int) -> int:
        if failures <= 0 or not self.delays:
            return 0
        return self.delays[min(failures, len(self.delays)) - 1]

    def seconds_left(self) -> int:
        """Whole seconds until the next attempt may be made (0: now)."""
        with _file_lock:
            failures, last = self._read()
        delay = self._delay_after(failures)
        if delay == 0:
            return 0
        # A clock set back must not make the wait endless: never more than the delay itself.
        left = min(float(delay), last + delay - self.clock())
        return max(0, math.ceil(left))

    def check(self) -> None:
        left = self.seconds_left()
        if left > 0:
            raise LoginDelayed(left)

    def failed(self) -> None:
        with _file_lock:
            failures, _last = self._read()
            try:
                self._write(failures + 1, self.clock())
            except OSError:
                pass  # a read-only profile: the account lock still holds, the brake is lost

    def succeeded(self) -> None:
        with _file_lock:
            try:
                self.path.unlink(missing_ok=True)
            except OSError:
                pass


def this_machine() -> LoginDelay:
    return LoginDelay(data_dir() / FILE_NAME)
