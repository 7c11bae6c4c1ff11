"""Syntactic templates: the part-of-speech sequence of an instruction (or its first ``k`` tags).

Shaib et al. define a template as a sequence of part-of-speech tags; here the template of a
text is its tag sequence from :class:`~rl_text.syntactic_domain.tagger.LexiconTagger`, optionally
cut to the first ``max_tags`` tags (instructions that share an opening frame share a
template) and without final punctuation.

References:
    Shaib et al., "Learning the Wrong Lessons: Syntactic-Domain Spurious Correlations in Language
    Models".

Example:
    >>> import pathlib, tempfile
    >>> from rl_text.syntactic_domain.lexicon import WordNetLexicon
    >>> from rl_text.syntactic_domain.tagger import LexiconTagger
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "index.noun").write_text("soup n 1 1 @ 1 0 0\\n")
    >>> _ = (folder / "index.verb").write_text("describe v 4 1 @ 4 0 0\\n")
    >>> tagger = LexiconTagger(WordNetLexicon(folder))
    >>> extract_template("Can you describe the soup?", tagger)
    'AUX PRON VERB DET NOUN'
"""

from __future__ import annotations

from collections.abc import Sequence

from rl_text.syntactic_domain.tagger import LexiconTagger

__all__ = ["extract_template", "extract_templates"]


def extract_template(text: str, tagger: LexiconTagger, max_tags: int | None = None) -> str:
    """Space-joined tag sequence of ``text`` without trailing punctuation.

    Args:
        text: an instruction.
        tagger: the tagger.
        max_tags: keep only the first ``max_tags`` tags (``None``: all).
    """
    tags = tagger.tags(text)
    while tags and tags[-1] == "PUNCT":
        tags.pop()
    if max_tags is not None:
        tags = tags[:max_tags]
    return " ".join(tags)


def extract_templates(
    texts: Sequence[str], tagger: LexiconTagger, max_tags: int | None = None
) -> list[str]:
    """:func:`extract_template` of every text.

    Args:
        texts: instructions.
        tagger: the tagger.
        max_tags: keep only the first ``max_tags`` tags of each (``None``: all).

    Example:
        >>> import pathlib, tempfile
        >>> from rl_text.syntactic_domain.lexicon import WordNetLexicon
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / "index.noun").write_text("soup n 1 1 @ 1 0 0\\n")
        >>> _ = (folder / "index.verb").write_text("describe v 4 1 @ 4 0 0\\n")
        >>> tagger = LexiconTagger(WordNetLexicon(folder))
        >>> extract_templates(["Describe the soup.", "Can you describe the soup?"], tagger, max_tags=3)
        ['VERB DET NOUN', 'AUX PRON VERB']
    """
    return [extract_template(t, tagger, max_tags) for t in texts]
