"""How strongly syntactic templates go with domains: normalised mutual information, Cramér's V.

Both are computed from the contingency table of (template, domain) pairs: NMI is
``I(T; D) / mean(H(T), H(D))`` (arithmetic normalisation, as scikit-learn's default) and
Cramér's V is ``sqrt(χ² / (n · (min(r, c) − 1)))``. Both are 0 when templates and domains
are independent and 1 when each template occurs with one domain only and vice versa.

References:
    Cramér, "Mathematical Methods of Statistics", 1946; Shaib et al., "Learning the Wrong
    Lessons: Syntactic-Domain Spurious Correlations in Language Models".

Example:
    >>> association(["a", "a", "b", "b"], ["x", "x", "y", "y"])
    {'nmi': 1.0, 'cramers_v': 1.0, 'n': 4, 'templates': 2, 'domains': 2}
    >>> association(["a", "b", "a", "b"], ["x", "x", "y", "y"])["nmi"]
    0.0
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Hashable, Sequence

from rl_shared.errors import BadInput

__all__ = ["association", "contingency", "cramers_v", "normalized_mutual_information"]


def contingency(
    templates: Sequence[Hashable], domains: Sequence[Hashable]
) -> tuple[list[Hashable], list[Hashable], list[list[int]]]:
    """Row labels (templates), column labels (domains) and counts.

    Args:
        templates: the template of each example.
        domains: the domain of each example, as many.

    Returns:
        sorted distinct templates, sorted distinct domains (both by ``str``), and the
        ``templates × domains`` table of counts as nested lists.

    Raises:
        BadInput: the sequences differ in length or are empty.

    Example:
        >>> contingency(["a", "b", "a"], ["x", "x", "y"])
        (['a', 'b'], ['x', 'y'], [[1, 1], [1, 0]])
    """
    if len(templates) != len(domains) or not templates:
        raise BadInput(
            f"need equally long, non-empty templates and domains, got {len(templates)}, "
            f"{len(domains)}"
        )
    rows = sorted(set(templates), key=str)
    cols = sorted(set(domains), key=str)
    counts = Counter(zip(templates, domains))
    return rows, cols, [[counts[(r, c)] for c in cols] for r in rows]


def _entropy(counts: list[int], n: int) -> float:
    return -sum(c / n * math.log(c / n) for c in counts if c)


def normalized_mutual_information(
    templates: Sequence[Hashable], domains: Sequence[Hashable]
) -> float:
    """``I(T; D) / ((H(T) + H(D)) / 2)``; 0 if either variable is constant.

    Args:
        templates: the template of each example.
        domains: the domain of each example.

    Example:
        >>> normalized_mutual_information(["a", "a", "b", "b"], [0, 0, 1, 1])
        1.0
    """
    _, _, table = contingency(templates, domains)
    n = len(templates)
    row = [sum(r) for r in table]
    col = [sum(c) for c in zip(*table)]
    mi = sum(
        v / n * math.log(v * n / (row[i] * col[j]))
        for i, r in enumerate(table)
        for j, v in enumerate(r)
        if v
    )
    denom = (_entropy(row, n) + _entropy(col, n)) / 2
    return 0.0 if denom <= 0 else max(0.0, min(1.0, mi / denom))


def cramers_v(templates: Sequence[Hashable], domains: Sequence[Hashable]) -> float:
    """``sqrt(χ² / (n (min(r, c) − 1)))``; 0 if there is one template or one domain.

    Args:
        templates: the template of each example.
        domains: the domain of each example.

    Example:
        >>> cramers_v(["a", "b", "a", "b"], [0, 0, 1, 1])
        0.0
    """
    _, _, table = contingency(templates, domains)
    n = len(templates)
    row = [sum(r) for r in table]
    col = [sum(c) for c in zip(*table)]
    k = min(len(row), len(col)) - 1
    if k <= 0:
        return 0.0
    chi2 = sum(
        (v - row[i] * col[j] / n) ** 2 / (row[i] * col[j] / n)
        for i, r in enumerate(table)
        for j, v in enumerate(r)
    )
    return max(0.0, min(1.0, math.sqrt(chi2 / (n * k))))


def association(templates: Sequence[Hashable], domains: Sequence[Hashable]) -> dict[str, float]:
    """NMI and Cramér's V (rounded to 4 places) with the table's size.

    Args:
        templates: the template of each example.
        domains: the domain of each example.

    Example:
        >>> association(["a", "a", "b", "b"], [0, 0, 1, 1])["cramers_v"]
        1.0
    """
    return {
        "nmi": round(normalized_mutual_information(templates, domains), 4),
        "cramers_v": round(cramers_v(templates, domains), 4),
        "n": len(templates),
        "templates": len(set(templates)),
        "domains": len(set(domains)),
    }
