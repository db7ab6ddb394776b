"""A progress bar on a terminal (and silence everywhere else)."""

from __future__ import annotations

import sys
from typing import TextIO


class Progress:
    """Counts work done out of a total and redraws one line on a terminal."""

    def __init__(self, total: int, label: str, stream: TextIO | None = None, min_total: int = 0) -> None:
        self.total = max(total, 1)
        self.done = 0
        self.label = label
        self.stream = stream if stream is not None else sys.stderr
        self.active = self.stream.isatty() and total >= min_total

    def advance(self, amount: int, detail: str = "") -> None:
        self.done = min(self.done + amount, self.total)
        if not self.active:
            return
        width = 30
        filled = int(width * self.done / self.total)
        bar = "#" * filled + "-" * (width - filled)
        self.stream.write(f"\r{self.label} [{bar}] {100 * self.done // self.total:3d}% {detail[:40]:<40}")
        self.stream.flush()

    def close(self) -> None:
        if self.active:
            self.stream.write("\n")
            self.stream.flush()
