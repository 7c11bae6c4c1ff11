"""Per-domain STS data: SICK and the STS-B genres, scored pairs and positive pairs.

Domains are the sources of the sentences: ``sick`` (SICK-R), and the STS-B rows split by the
genre label of ``sts/stsb-genre/stsb-genre.csv`` (``news``, ``captions``, ``forum``; rows
without a label are left out) or the whole of STS-B as ``stsb``. Positive pairs for
contrastive training are the pairs scored at least 4 (STS-B 0-5, SICK relatedness 1-5).

Example:
    >>> from rl_shared.sts import StsPairs
    >>> positive_pairs(StsPairs(["a", "b"], ["A", "B"], [4.5, 2.0]))
    [('a', 'A')]
"""

from __future__ import annotations

from collections.abc import Sequence

from rl_shared.errors import MalformedFile, UnknownName
from rl_shared.sts import StsPairs, load_sick, load_stsb

__all__ = [
    "DOMAINS",
    "GENRES",
    "domain_positive_pairs",
    "load_domain",
    "load_domains",
    "load_stsb_genres",
    "positive_pairs",
]

GENRES = ("news", "captions", "forum")
DOMAINS = ("sick", "stsb", *GENRES)


def positive_pairs(pairs: StsPairs, threshold: float = 4.0) -> list[tuple[str, str]]:
    """``(sentence1, sentence2)`` of every pair scored at least ``threshold``."""
    return [
        (a, b)
        for a, b, s in zip(pairs.sentences1, pairs.sentences2, pairs.scores, strict=True)
        if s >= threshold
    ]


def load_stsb_genres(split: str = "test") -> dict[str, StsPairs]:
    """STS-B ``split`` cut into its genres (rows without a genre label are left out).

    Raises:
        DatasetNotFound: ``sts/stsb`` or ``sts/stsb-genre`` is missing.
        MalformedFile: a label row names a row the split does not have.
    """
    from rl_shared.sts import STSB_GENRE, load_stsb_genre

    pairs = load_stsb(split)
    out = {g: StsPairs([], [], []) for g in GENRES}
    for (part_split, i), genre in load_stsb_genre().items():
        if part_split != split or genre not in out:
            continue
        if i >= len(pairs):
            where = STSB_GENRE.locate() / "stsb-genre.csv"
            raise MalformedFile(where, None, f"row {i} is beyond STS-B {split} ({len(pairs)})")
        part = out[genre]
        part.sentences1.append(pairs.sentences1[i])
        part.sentences2.append(pairs.sentences2[i])
        part.scores.append(pairs.scores[i])
    return out


def load_domain(domain: str, split: str = "test") -> StsPairs:
    """Scored pairs of one domain of :data:`DOMAINS` (``split``: train, dev, test)."""
    if domain not in DOMAINS:
        raise UnknownName("domain", domain, list(DOMAINS))
    if domain == "sick":
        return load_sick(split)
    if domain == "stsb":
        return load_stsb(split)
    return load_stsb_genres(split)[domain]


def load_domains(domains: Sequence[str], split: str = "test") -> dict[str, StsPairs]:
    """:func:`load_domain` for each name."""
    return {d: load_domain(d, split) for d in domains}


def domain_positive_pairs(
    domains: Sequence[str] = ("sick", "news", "captions", "forum"),
    split: str = "train",
    threshold: float = 4.0,
) -> dict[str, list[tuple[str, str]]]:
    """``{domain: positive pairs}`` of ``split``, the input of :func:`rl_text.moe.train_moe`.

    Example:
        >>> pairs = domain_positive_pairs(["sick", "stsb"])  # doctest: +SKIP
        >>> {d: len(p) for d, p in pairs.items()}  # doctest: +SKIP
        {'sick': 1683, 'stsb': 1406}
    """
    return {d: positive_pairs(load_domain(d, split), threshold) for d in domains}
