"""Statistics over seeds, one definition for every reproduction: mean ± sample std.

A claim that one method beats another needs at least 3 seeds and a gap larger than the
spread; :func:`distinguishable` says whether two sets of runs meet that bar.

Example:
    >>> mean_std([0.80, 0.82, 0.84])
    (0.82, 0.02)
    >>> fmt_mean_std([0.80, 0.82, 0.84])
    '0.8200 ± 0.0200 (n=3)'
    >>> distinguishable([0.80, 0.81, 0.82], [0.90, 0.91, 0.92])
    True
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["distinguishable", "fmt_mean_std", "mean_std", "summarize"]


def _values(values: Sequence[float]) -> list[float]:
    out = [float(v) for v in values]
    if not out:
        raise ValueError("mean_std needs at least one value")
    return out


def mean_std(values: Sequence[float]) -> tuple[float, float]:
    """Mean and sample standard deviation (``ddof=1``; ``0.0`` for a single value).

    Args:
        values: one number per seed.
    """
    xs = _values(values)
    mean = math.fsum(xs) / len(xs)
    if len(xs) == 1:
        return round(mean, 12), 0.0
    var = math.fsum((x - mean) ** 2 for x in xs) / (len(xs) - 1)
    return round(mean, 12), round(math.sqrt(var), 12)


def summarize(values: Sequence[float]) -> dict[str, float | int]:
    """``{"mean", "std", "n"}`` of ``values`` (sample std).

    Args:
        values: one number per seed (at least one).

    Example:
        >>> summarize([1.0, 2.0, 3.0])
        {'mean': 2.0, 'std': 1.0, 'n': 3}
    """
    mean, std = mean_std(values)
    return {"mean": mean, "std": std, "n": len(values)}


def fmt_mean_std(values: Sequence[float], digits: int = 4) -> str:
    """``"mean ± std (n=k)"`` for a report table.

    Args:
        values: one number per seed (at least one).
        digits: decimals of the mean and the std.
    """
    mean, std = mean_std(values)
    return f"{mean:.{digits}f} ± {std:.{digits}f} (n={len(values)})"


def distinguishable(a: Sequence[float], b: Sequence[float], min_seeds: int = 3) -> bool:
    """Whether two methods' runs differ by more than their spread, with enough seeds.

    True when each has at least ``min_seeds`` values and the gap between the means exceeds
    the sum of the two sample standard deviations.

    Args:
        a: the first method's metric, one value per seed.
        b: the second method's metric, one value per seed.
        min_seeds: the fewest seeds each side needs before any difference counts.
    """
    if len(a) < min_seeds or len(b) < min_seeds:
        return False
    (ma, sa), (mb, sb) = mean_std(a), mean_std(b)
    return abs(ma - mb) > sa + sb
