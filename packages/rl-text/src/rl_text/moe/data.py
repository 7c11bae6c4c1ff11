"""Per-domain STS data: SICK and the STS-B genres, scored pairs and positive pairs.

Domains are the sources of the sentences: ``sick`` (SICK-R), and the STS-B rows split by the
genre label of ``sts/stsb-genre/stsb-genre.csv`` (``news``, ``captions``, ``forum``; rows
without a label are left out) or the whole of STS-B as ``stsb``. Positive pairs for
contrastive training are the pairs scored at least 4 (STS-B 0-5, SICK relatedness 1-5).

References:
    Hallee et al., "Contrastive Learning and Mixture of Experts Enables Precise Vector Embeddings",
    arXiv 2024. https://arxiv.org/abs/2401.15713

Example:
    >>> from rl_shared.sts import StsPairs
    >>> positive_pairs(StsPairs(["a", "b"], ["A", "B"], [4.5, 2.0]))
    [('a', 'A')]

    A tiny ``RL_DATA_DIR`` with STS-B, SICK-R and the genre labels, read by
    :func:`load_stsb_genres`, :func:`load_domain` and :func:`load_domains`:

    >>> import os, pathlib, tempfile
    >>> from unittest import mock
    >>> root = pathlib.Path(tempfile.mkdtemp())
    >>> for sub in ("stsb", "sick", "stsb-genre"):
    ...     (root / "sts" / sub).mkdir(parents=True)
    >>> for split in ("train", "dev", "test"):
    ...     _ = (root / "sts/stsb" / f"stsb-en-{split}.csv").write_text(
    ...         "Stocks fell.,Shares dropped.,4.2\\nA dog runs.,A dog is running.,4.8\\n")
    >>> for name in ("SICK_train.txt", "SICK_trial.txt", "SICK_test_annotated.txt"):
    ...     _ = (root / "sts/sick" / name).write_text(
    ...         "sentence_A\\tsentence_B\\trelatedness_score\\nA man sings.\\tA man is singing.\\t4.9\\n")
    >>> _ = (root / "sts/stsb-genre/stsb-genre.csv").write_text(
    ...     "split,row,source,genre\\ntest,0,headlines,news\\ntest,1,images,captions\\n")
    >>> env = {"RL_DATA_DIR": str(root), "RL_CACHE_DIR": tempfile.mkdtemp()}
    >>> with mock.patch.dict(os.environ, env):
    ...     genres = load_stsb_genres("test")
    ...     news = load_domain("news")
    ...     sizes = {d: len(p) for d, p in load_domains(["sick", "stsb", "forum"]).items()}
    ...     positives = domain_positive_pairs(["sick", "captions"], split="test", threshold=4.5)
    >>> {g: p.sentences1 for g, p in genres.items()}
    {'news': ['Stocks fell.'], 'captions': ['A dog runs.'], 'forum': []}
    >>> news.scores, sizes
    ([4.2], {'sick': 1, 'stsb': 2, 'forum': 0})
    >>> positives
    {'sick': [('A man sings.', 'A man is singing.')], 'captions': [('A dog runs.', 'A dog is running.')]}
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
    """``(sentence1, sentence2)`` of every pair scored at least ``threshold``.

    Args:
        pairs: scored sentence pairs.
        threshold: the lowest gold score a positive pair may have.
    """
    return [
        (a, b)
        for a, b, s in zip(pairs.sentences1, pairs.sentences2, pairs.scores, strict=True)
        if s >= threshold
    ]


def load_stsb_genres(split: str = "test") -> dict[str, StsPairs]:
    """STS-B ``split`` cut into its genres (rows without a genre label are left out).

    The module docstring runs it on a tiny data folder.

    Args:
        split: ``train``, ``dev`` or ``test``.

    Returns:
        ``{genre: pairs}`` for each of :data:`GENRES` (empty when no row has the genre).

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
    """Scored pairs of one domain of :data:`DOMAINS` (``split``: train, dev, test).

    The module docstring runs it on a tiny data folder.

    Args:
        domain: ``sick``, ``stsb`` or a genre of :data:`GENRES`.
        split: ``train``, ``dev`` or ``test``.

    Raises:
        UnknownName: ``domain`` is not in :data:`DOMAINS`.
        DatasetNotFound: the domain's data is missing.

    Example:
        >>> load_domain("poetry")
        Traceback (most recent call last):
        ...
        rl_shared.errors.UnknownName: unknown domain 'poetry'; valid domains: captions, forum, news, sick, stsb
    """
    if domain not in DOMAINS:
        raise UnknownName("domain", domain, list(DOMAINS))
    if domain == "sick":
        return load_sick(split)
    if domain == "stsb":
        return load_stsb(split)
    return load_stsb_genres(split)[domain]


def load_domains(domains: Sequence[str], split: str = "test") -> dict[str, StsPairs]:
    """:func:`load_domain` for each name.

    The module docstring runs it on a tiny data folder.

    Args:
        domains: names from :data:`DOMAINS`.
        split: ``train``, ``dev`` or ``test``.

    Returns:
        ``{domain: pairs}`` in the order of ``domains``.
    """
    return {d: load_domain(d, split) for d in domains}


def domain_positive_pairs(
    domains: Sequence[str] = ("sick", "news", "captions", "forum"),
    split: str = "train",
    threshold: float = 4.0,
) -> dict[str, list[tuple[str, str]]]:
    """``{domain: positive pairs}`` of ``split``, the input of :func:`rl_text.moe.train_moe`.

    Args:
        domains: names from :data:`DOMAINS`.
        split: ``train``, ``dev`` or ``test``.
        threshold: the lowest gold score a positive pair may have.

    The module docstring runs it on a tiny data folder; on the full training splits
    ``domain_positive_pairs(["sick", "stsb"])`` gives 1,683 SICK and 1,406 STS-B pairs.
    """
    return {d: positive_pairs(load_domain(d, split), threshold) for d in domains}
