"""How a cost grows with the size of its input, measured so that a busy machine cannot fail it.

A linear step does four times the work on four times the input; a quadratic one sixteen
times. :func:`executed_lines` counts the Python lines a call runs (the same count on every
run, however loaded the machine); :func:`best_seconds_ratio` is for costs that sit in C
(a regular expression, a parser): the processor time of this process (not the wall clock,
which other processes stretch), best of three at n and 4n, where a bound of 8× lies halfway
between linear and quadratic on the log scale.
"""

import sys
import time


def executed_lines(call) -> int:
    """Python lines run by ``call()``, counted by a line tracer.

    Example:
        >>> executed_lines(lambda: sum(k for k in range(10))) > executed_lines(lambda: 1)
        True
    """
    count = 0

    def local(frame, event, arg):
        nonlocal count
        if event == "line":
            count += 1
        return local

    previous = sys.gettrace()
    sys.settrace(lambda frame, event, arg: local)
    try:
        call()
    finally:
        sys.settrace(previous)
    return count


def best_seconds_ratio(make, n: int, repeat: int = 3) -> float:
    """Best processor time of ``make(4 * n)`` over that of ``make(n)``: about 4 when linear, 16 when quadratic."""
    best = []
    for k in (n, 4 * n):
        times = []
        for _ in range(repeat):
            t = time.process_time()
            make(k)
            times.append(time.process_time() - t)
        best.append(min(times))
    return best[1] / max(best[0], 1e-4)
