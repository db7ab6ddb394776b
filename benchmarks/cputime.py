"""The processor time of a command and of every process it starts: ``python -m benchmarks.cputime CMD ...``.

``/usr/bin/time`` (and ``time``) count a process and the children it waited for. Chromium's renderer and GPU
processes are not waited for by the test run: their parent exits first and they are reaped outside it, so
their time goes uncounted (running the browser tests, the usual measure showed 74 s where 178 s were used).
Here the command runs under a child subreaper: every process it starts, however orphaned, is waited for by
this one, and their time adds up in its children's usage. Prints wall, user and system seconds to stderr
and exits with the command's code.
"""

from __future__ import annotations

import ctypes
import os
import resource
import subprocess
import sys
import time

PR_SET_CHILD_SUBREAPER = 36  # linux/prctl.h


def main(argv: list[str]) -> int:
    if not argv:
        print("usage: python -m benchmarks.cputime COMMAND [ARG ...]", file=sys.stderr)
        return 2
    if ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        print("error: cannot become a child subreaper (Linux only)", file=sys.stderr)
        return 2
    start = time.monotonic()
    try:
        command = subprocess.Popen(argv)
    except OSError as exc:
        print(f"error: cannot run {argv[0]}: {exc.strerror}", file=sys.stderr)
        return 2
    code = 1
    while True:  # until the command and every orphan that came to this process are waited for
        try:
            pid, status = os.wait()
        except ChildProcessError:
            break
        if pid == command.pid:
            code = os.waitstatus_to_exitcode(status)
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(f"{time.monotonic() - start:.1f} s wall, {used.ru_utime:.1f} s user, {used.ru_stime:.1f} s system "
          "(the command and every process it started)", file=sys.stderr)  # fmt: skip
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
