"""Visually grounded text perturbations: character typos and word-order shuffling.

Each function takes a string and a :class:`random.Random` and returns a perturbed string
that a reader still understands; rendered to pixels, the perturbed sentence stays close to
the original, which makes it a positive pair for contrastive learning.

References:
    Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183, §3
    (typos: insertion, deletion, substitution by a neighbouring key, swap; word-order
    shuffling, random and conditional).

Example:
    >>> import random
    >>> shuffle_words("a b c d e", random.Random(0)).split().__len__()
    5
    >>> Perturber(("swap",), seed=0)("the cat sat") != "the cat sat"
    True
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence

from rl_shared.errors import UnknownName

__all__ = [
    "PERTURBATIONS",
    "Perturber",
    "conditional_shuffle",
    "keyboard_neighbours",
    "shuffle_words",
    "typo_drop",
    "typo_keyboard",
    "typo_swap",
]

_ROWS = ("1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm")


def keyboard_neighbours() -> dict[str, str]:
    """Keys adjacent to each key on a QWERTY keyboard (same row ±1, rows above/below).

    Returns:
        each digit and lower-case letter → its neighbours, sorted, as one string.

    Example:
        >>> near = keyboard_neighbours()
        >>> near["s"], near["q"], len(near)
        ('acdeqwxz', '12asw', 36)
    """
    pos = {c: (r, i) for r, row in enumerate(_ROWS) for i, c in enumerate(row)}
    out: dict[str, str] = {}
    for c, (r, i) in pos.items():
        near = [
            d
            for d, (r2, i2) in pos.items()
            if d != c and abs(r2 - r) <= 1 and abs(i2 - i) <= 1 and (r2, i2) != (r, i)
        ]
        out[c] = "".join(sorted(near))
    return out


_NEAR = keyboard_neighbours()


def _word_spans(text: str, min_len: int = 2) -> list[tuple[int, int]]:
    spans, start = [], None
    for i, ch in enumerate([*text, " "]):
        if ch.isalnum() and start is None:
            start = i
        elif not ch.isalnum() and start is not None:
            if i - start >= min_len:
                spans.append((start, i))
            start = None
    return spans


def typo_swap(text: str, rng: random.Random) -> str:
    """Swap two adjacent letters inside one word (``"cat"`` → ``"act"``).

    Args:
        text: the sentence to perturb.
        rng: the random generator that picks the place (seed it for a reproducible typo).

    Returns:
        the text with one swap, or unchanged when no word has two or more characters.

    Example:
        >>> typo_swap("the cat sat", random.Random(0)), typo_swap("a b", random.Random(0))
        ('the cta sat', 'a b')
    """
    spans = _word_spans(text, 2)
    if not spans:
        return text
    s, e = rng.choice(spans)
    i = rng.randrange(s, e - 1)
    return text[:i] + text[i + 1] + text[i] + text[i + 2 :]


def typo_drop(text: str, rng: random.Random) -> str:
    """Delete one character of a word of two or more characters.

    Args:
        text: the sentence to perturb.
        rng: the random generator that picks the place (seed it for a reproducible typo).

    Example:
        >>> typo_drop("the cat sat", random.Random(0))
        'the ct sat'
    """
    spans = _word_spans(text, 2)
    if not spans:
        return text
    s, e = rng.choice(spans)
    i = rng.randrange(s, e)
    return text[:i] + text[i + 1 :]


def typo_keyboard(text: str, rng: random.Random) -> str:
    """Replace one letter by a neighbouring key on a QWERTY keyboard (case kept).

    Args:
        text: the sentence to perturb.
        rng: the random generator that picks the place (seed it for a reproducible typo).

    Example:
        >>> typo_keyboard("Cat", random.Random(0)), typo_keyboard("Cat", random.Random(1))
        ('Cxt', 'Xat')
    """
    places = [i for i, c in enumerate(text) if c.lower() in _NEAR]
    if not places:
        return text
    i = rng.choice(places)
    new = rng.choice(_NEAR[text[i].lower()])
    new = new.upper() if text[i].isupper() else new
    return text[:i] + new + text[i + 1 :]


def shuffle_words(text: str, rng: random.Random) -> str:
    """Random word order: the same multiset of whitespace-separated words, shuffled.

    Args:
        text: the sentence (runs of whitespace become single spaces).
        rng: the random generator of the permutation.
    """
    words = text.split()
    rng.shuffle(words)
    return " ".join(words)


def conditional_shuffle(text: str, rng: random.Random) -> str:
    """Shuffle the inner words, keeping the first and the last word in place.

    Args:
        text: the sentence; with three words or fewer it is returned unchanged (whitespace
            normalised).
        rng: the random generator of the permutation.

    Example:
        >>> conditional_shuffle("the cat sat on the mat", random.Random(0))
        'the on cat sat the mat'
        >>> conditional_shuffle("a  b c", random.Random(0))
        'a b c'
    """
    words = text.split()
    if len(words) <= 3:
        return " ".join(words)
    inner = words[1:-1]
    rng.shuffle(inner)
    return " ".join([words[0], *inner, words[-1]])


PERTURBATIONS: dict[str, Callable[[str, random.Random], str]] = {
    "swap": typo_swap,
    "drop": typo_drop,
    "keyboard": typo_keyboard,
    "shuffle": shuffle_words,
    "conditional-shuffle": conditional_shuffle,
}


class Perturber:
    """Apply one randomly chosen perturbation (of those named) ``times`` times to a text.

    Args:
        kinds: names from :data:`PERTURBATIONS`; empty = identity (dropout-only positives).
        times: how many typos to make (shuffles are applied once).
        seed: seed of the generator (deterministic sequence of perturbations).

    Raises:
        UnknownName: a kind that is not in :data:`PERTURBATIONS`.

    Example:
        >>> Perturber(["shuffle"], seed=0)("a b")  in ("a b", "b a")
        True
    """

    def __init__(self, kinds: Sequence[str], times: int = 1, seed: int = 0) -> None:
        for k in kinds:
            if k not in PERTURBATIONS:
                raise UnknownName("perturbation", k, list(PERTURBATIONS))
        self.kinds = tuple(kinds)
        self.times = times
        self.rng = random.Random(seed)

    def __call__(self, text: str) -> str:
        if not self.kinds:
            return text
        kind = self.rng.choice(self.kinds)
        fn = PERTURBATIONS[kind]
        if "shuffle" in kind:
            return fn(text, self.rng)
        for _ in range(self.times):
            text = fn(text, self.rng)
        return text
