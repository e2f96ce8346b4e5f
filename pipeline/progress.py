"""The progress bar of a long command, on stderr, that never mixes with other lines.

Log lines and messages printed while it runs go above it (``tqdm.write``), and it is cleared
before the command prints its summary or an error, so that each stands on a line of its own.
Until the work is flowing it shows no estimate of the time left: the first item waits for the
spaCy model to load, and a rate measured over that wait would promise minutes that never come.
The estimate is measured from the second item on, once :data:`FLOWING_SECONDS` have passed.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

FLOWING_SECONDS = 3.0
BAR_FORMAT = "{l_bar}{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]"


def say(message: str) -> None:
    """Print ``message`` on stderr, above a progress bar when one is shown."""
    from tqdm import tqdm

    tqdm.write(message, file=sys.stderr)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02d}:{seconds:02d}" if hours else f"{minutes:02d}:{seconds:02d}"


class ProgressBar:
    """``progress(total)`` starts a bar of ``total`` items and returns the function to call
    once per item; use it as ``with ProgressBar("file") as progress:`` so that the bar is
    cleared when the block ends, whatever happens in it."""

    def __init__(self, unit: str, *, announce: Callable[[int], str] | None = None) -> None:
        self.unit = unit
        self.announce = announce
        self._bar: Any = None
        self._flowing: tuple[float, int] | None = None  # (time, count) of the second item

    def __call__(self, total: int) -> Callable[[], None]:
        from tqdm import tqdm

        if self.announce is not None:
            say(self.announce(total))
        self._bar = tqdm(total=total, unit=self.unit, file=sys.stderr, dynamic_ncols=True,
                         leave=False, bar_format=BAR_FORMAT)
        return self.tick

    def tick(self) -> None:
        bar = self._bar
        bar.update(1)
        now = time.monotonic()
        if self._flowing is None:
            if bar.n >= 2:
                self._flowing = (now, bar.n)
            return
        since, first = self._flowing
        done = bar.n - first
        if bar.n > bar.total:  # the total was an estimate: no promise past it
            bar.set_postfix_str("", refresh=False)
        elif done > 0 and now - since >= FLOWING_SECONDS:
            left = (bar.total - bar.n) * (now - since) / done
            bar.set_postfix_str(f"about {_clock(left)} left", refresh=False)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.close()
            self._bar = None

    def __enter__(self) -> ProgressBar:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextmanager
def logs_above_the_bar() -> Iterator[None]:
    """Log records go through ``tqdm.write`` while the block runs (none lands in the bar)."""
    from tqdm.contrib.logging import logging_redirect_tqdm

    with logging_redirect_tqdm():
        yield
