"""A synthetic instruction benchmark whose templates correlate with domains at a chosen strength.

Each example is an instruction about one of three domains (cooking, sports, finance); the
task is to name the domain. The *meaning* is carried by the content words — a task verb, an
adjective and a noun. The noun is a domain noun (``recipe``, ``team``, ``loan`` …) or, with
probability ``generic_rate``, a domain-free one (``item``, ``topic`` …), in which case only
the template is left as a cue. Six syntactic templates (different part-of-speech
sequences) render the content; domain ``k`` owns templates ``2k`` and ``2k + 1``. A training
set of *correlation strength* ``ρ`` draws the template from the domain's own pair with
probability ``ρ`` and uniformly from all six otherwise (``ρ = 0``: independent; ``ρ = 1``:
each template seen with one domain only).

:func:`swap_template` re-renders an example with a template owned by another domain while
keeping its content words and label: the counterfactual of the template/domain swap test.

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in
    Language Models".

Example:
    >>> data = make_instructions(6, strength=1.0, seed=0)
    >>> ex = data[0]
    >>> ex.template // 2 == ex.domain
    True
    >>> swapped = swap_template(ex, seed=1)
    >>> swapped.domain == ex.domain, swapped.noun == ex.noun, swapped.template // 2 != ex.domain
    (True, True, True)
"""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from rl_shared.errors import BadInput

__all__ = [
    "ADJECTIVES",
    "DOMAINS",
    "GENERIC_NOUNS",
    "NOUNS",
    "TEMPLATES",
    "VERBS",
    "Instruction",
    "make_instructions",
    "swap_template",
    "swapped_set",
]

DOMAINS = ("cooking", "sports", "finance")
NOUNS = {
    "cooking": ("recipe", "soup", "sauce", "dessert", "oven", "salad"),
    "sports": ("team", "player", "tournament", "stadium", "coach", "league"),
    "finance": ("loan", "budget", "invoice", "mortgage", "stock", "pension"),
}
GENERIC_NOUNS = ("item", "topic", "thing", "example", "case", "subject")
VERBS = ("describe", "explain", "summarize", "review", "discuss", "analyze")
ADJECTIVES = ("new", "simple", "popular", "common", "recent", "strange")

#: six frames; ``{v}`` verb, ``{a}`` adjective, ``{n}`` noun
TEMPLATES = (
    "{v} the {a} {n} .",
    "please {v} a {n} for me .",
    "can you {v} the {n} quickly ?",
    "i want you to {v} this {a} {n} .",
    "how would you {v} some {n} ?",
    "my {n} : {v} it in detail .",
)


@dataclass(frozen=True)
class Instruction:
    """One synthetic instruction.

    Args:
        text: the rendered instruction.
        domain: label, index into :data:`DOMAINS`.
        template: index into :data:`TEMPLATES`.
        verb, adjective, noun: the content words.

    Example:
        >>> ex = Instruction("describe the new soup .", 0, 0, "describe", "new", "soup")
        >>> DOMAINS[ex.domain], TEMPLATES[ex.template].format(v=ex.verb, a=ex.adjective, n=ex.noun)
        ('cooking', 'describe the new soup .')
    """

    text: str
    domain: int
    template: int
    verb: str
    adjective: str
    noun: str


def _render(template: int, verb: str, adjective: str, noun: str) -> str:
    return TEMPLATES[template].format(v=verb, a=adjective, n=noun)


def make_instructions(
    n: int,
    strength: float,
    seed: int = 0,
    generic_rate: float = 0.3,
    own_templates_only: bool = False,
) -> list[Instruction]:
    """``n`` instructions, balanced over domains, templates correlated at ``strength``.

    Args:
        n: number of examples.
        strength: probability ``ρ`` that the template comes from the domain's own pair.
        seed: random seed.
        generic_rate: probability that the noun is domain-free.
        own_templates_only: always use an own template (the in-distribution test set).

    Example:
        >>> data = make_instructions(6, strength=1.0, seed=0)
        >>> len(data), sorted({e.domain for e in data})
        (6, [0, 1, 2])
    """
    if n < 1:
        raise BadInput(f"n must be positive, got {n}")
    if not 0.0 <= strength <= 1.0:
        raise BadInput(f"strength must be in [0, 1], got {strength}")
    if not 0.0 <= generic_rate <= 1.0:
        raise BadInput(f"generic_rate must be in [0, 1], got {generic_rate}")
    rng = random.Random(seed)
    out = []
    for i in range(n):
        domain = i % len(DOMAINS)
        if own_templates_only or rng.random() < strength:
            template = 2 * domain + rng.randrange(2)
        else:
            template = rng.randrange(len(TEMPLATES))
        verb, adjective = rng.choice(VERBS), rng.choice(ADJECTIVES)
        pool = GENERIC_NOUNS if rng.random() < generic_rate else NOUNS[DOMAINS[domain]]
        noun = rng.choice(pool)
        out.append(
            Instruction(
                _render(template, verb, adjective, noun), domain, template, verb, adjective, noun
            )
        )
    rng.shuffle(out)
    return out


def swap_template(example: Instruction, seed: int = 0) -> Instruction:
    """The same content and label rendered with a template owned by another domain.

    Args:
        example: an instruction.
        seed: picks the other domain's template.

    Example:
        >>> e = make_instructions(3, strength=1.0, seed=0)[0]
        >>> s = swap_template(e)
        >>> (s.domain, s.noun) == (e.domain, e.noun) and s.template // 2 != e.domain
        True
    """
    rng = random.Random(seed)
    others = [t for t in range(len(TEMPLATES)) if t // 2 != example.domain]
    template = rng.choice(others)
    text = _render(template, example.verb, example.adjective, example.noun)
    return replace(example, text=text, template=template)


def swapped_set(examples: list[Instruction], seed: int = 0) -> list[Instruction]:
    """:func:`swap_template` of every example (seeded per example).

    Args:
        examples: instructions.
        seed: seed of the swaps.

    Example:
        >>> len(swapped_set(make_instructions(6, strength=1.0, seed=0)))
        6
    """
    return [swap_template(ex, seed * 1_000_003 + i) for i, ex in enumerate(examples)]
