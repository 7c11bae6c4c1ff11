"""Aspect-based sentiment data: SemEval-2014 Task 4 in the three-line ``.seg`` format and in XML.

The ``.seg`` format (ABSA-PyTorch's ``datasets/semeval14``) repeats three lines per example:
the sentence with the aspect replaced by ``$T$``, the aspect term, and its polarity
``-1 / 0 / 1``. The XML format is SemEval's original
``<sentence><text/><aspectTerms><aspectTerm term= polarity= from= to=/></aspectTerms></sentence>``
(aspects with polarity ``conflict`` are skipped, as in the ``.seg`` files). Every parse error
raises :class:`~rl_shared.errors.MalformedFile` naming the file and line.

References:
    Chang et al., "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with
    Variational Information Bottleneck and Contrastive Learning" (CVIB).

Example:
    >>> import pathlib, tempfile
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.seg"
    >>> _ = path.write_text("The $T$ is great .\\nfood\\n1\\nSlow $T$ .\\nservice\\n-1\\n")
    >>> data = load_seg(path)
    >>> data[0].sentence, data[0].aspect, data[0].label, data[1].polarity
    ('The food is great .', 'food', 2, 'negative')
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from rl_shared.errors import BadInput, DatasetNotFound, MalformedFile, UnknownName
from rl_shared.io import read_text

__all__ = [
    "LABELS",
    "SEMEVAL14_FILES",
    "AbsaExample",
    "disagreeing_subset",
    "load_absa",
    "load_absa_data",
    "load_seg",
    "load_semeval14",
    "load_xml",
]

#: label index -> polarity name; the ``.seg`` value is ``index - 1``
LABELS = ("negative", "neutral", "positive")
_XML_POLARITY = {"negative": 0, "neutral": 1, "positive": 2}

#: domain -> split -> file name in ``absa/semeval14``
SEMEVAL14_FILES = {
    "laptop": {"train": "Laptops_Train.xml.seg", "test": "Laptops_Test_Gold.xml.seg"},
    "restaurant": {"train": "Restaurants_Train.xml.seg", "test": "Restaurants_Test_Gold.xml.seg"},
}


@dataclass(frozen=True)
class AbsaExample:
    """One aspect of one sentence with its polarity.

    Args:
        sentence: the full sentence, aspect in place.
        aspect: the aspect term.
        label: 0 negative, 1 neutral, 2 positive.
        start: character offset of the aspect in ``sentence``.

    Example:
        >>> AbsaExample("good food", "food", 2, 5).marked
        'good [ food ]'
    """

    sentence: str
    aspect: str
    label: int
    start: int

    @property
    def polarity(self) -> str:
        return LABELS[self.label]

    @property
    def marked(self) -> str:
        """The sentence with the aspect wrapped in ``[`` ``]`` markers."""
        end = self.start + len(self.aspect)
        return f"{self.sentence[: self.start]}[ {self.aspect} ]{self.sentence[end:]}"


def _read_lines(path: Path) -> list[str]:
    """The lines of a user's file, read strictly (:func:`rl_shared.io.read_text`)."""
    return read_text(path).splitlines()


def load_seg(path: str | Path) -> list[AbsaExample]:
    """Read a three-line ``.seg`` file (sentence with ``$T$``, aspect, polarity ``-1/0/1``).

    Trailing blank lines are ignored; anything else that breaks the three-line rhythm raises
    :class:`MalformedFile` with the offending line number (1-based).

    Args:
        path: the ``.seg`` file (UTF-8, a BOM is accepted).

    Raises:
        MalformedFile: a line breaks the format, a polarity is not ``-1``, ``0`` or ``1``, a
            byte is not UTF-8 (each naming the line), the file is empty or a folder.
        BadInput: the file does not exist.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.seg"
        >>> _ = path.write_text("Nice $T$ !\\nscreen\\n1\\n")
        >>> load_seg(path)
        [AbsaExample(sentence='Nice screen !', aspect='screen', label=2, start=5)]
    """
    path = Path(path)
    lines = _read_lines(path)
    while lines and not lines[-1].strip():
        lines.pop()
    if not lines:
        raise MalformedFile(path, None, "the file is empty")
    if len(lines) % 3:
        raise MalformedFile(
            path,
            len(lines),
            f"has {len(lines)} lines, not a multiple of 3 (sentence, aspect, polarity)",
        )
    examples = []
    for i in range(0, len(lines), 3):
        template, aspect, polarity = (line.strip() for line in lines[i : i + 3])
        if template.count("$T$") != 1:
            raise MalformedFile(
                path, i + 1, f"sentence must hold exactly one $T$, found {template.count('$T$')}"
            )
        if not aspect:
            raise MalformedFile(path, i + 2, "aspect term is empty")
        if polarity not in ("-1", "0", "1"):
            raise MalformedFile(path, i + 3, f"polarity must be -1, 0 or 1, got '{polarity}'")
        start = template.index("$T$")
        sentence = template.replace("$T$", aspect)
        examples.append(AbsaExample(sentence, aspect, int(polarity) + 1, start))
    return examples


@dataclass
class _Sentence:
    line: int
    text: list[str] = field(default_factory=list)
    has_text: bool = False
    terms: list[tuple[int, dict[str, str]]] = field(default_factory=list)


def _parse_xml(path: Path, text: str) -> list[_Sentence]:
    """Every ``<sentence>`` with its text and its ``<aspectTerm>`` attributes, with lines."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    sentences: list[_Sentence] = []
    in_text = False

    def start(tag: str, attrs: dict[str, str]) -> None:
        nonlocal in_text
        line = parser.CurrentLineNumber
        if tag == "sentence":
            sentences.append(_Sentence(line))
        elif tag == "text" and sentences:
            in_text, sentences[-1].has_text = True, True
        elif tag == "aspectTerm":
            if not sentences:
                raise MalformedFile(path, line, "<aspectTerm> outside a <sentence>")
            sentences[-1].terms.append((line, dict(attrs)))

    def end(tag: str) -> None:
        nonlocal in_text
        if tag == "text":
            in_text = False

    def data(chunk: str) -> None:
        if in_text and sentences:
            sentences[-1].text.append(chunk)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = data
    try:
        parser.Parse(text.encode("utf-8"), True)
    except expat.ExpatError as err:
        problem = expat.errors.messages[err.code] if err.code else str(err)
        raise MalformedFile(path, err.lineno, f"not well-formed XML ({problem})") from None
    return sentences


def load_xml(path: str | Path) -> list[AbsaExample]:
    """Read SemEval-2014 XML; aspects with polarity ``conflict`` are skipped.

    Raises :class:`MalformedFile` for broken XML (with the parser's line), or an
    ``aspectTerm`` with a missing attribute, a polarity outside ``positive``, ``negative``,
    ``neutral``, ``conflict``, or offsets that do not match its term (with the line of the
    ``<aspectTerm>``; a ``<sentence>`` without ``<text>`` names the sentence's line).

    Args:
        path: the SemEval-2014 XML file (UTF-8).

    Raises:
        MalformedFile: as above, or a byte is not UTF-8, the file is empty or a folder.
        BadInput: the file does not exist.

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.xml"
        >>> _ = path.write_text(
        ...     '<sentences><sentence id="1"><text>Great food, slow service</text><aspectTerms>'
        ...     '<aspectTerm term="food" polarity="positive" from="6" to="10"/>'
        ...     '<aspectTerm term="service" polarity="conflict" from="17" to="24"/>'
        ...     '</aspectTerms></sentence></sentences>')
        >>> [(e.aspect, e.polarity, e.start) for e in load_xml(path)]
        [('food', 'positive', 6)]
    """
    path = Path(path)
    examples = []
    for sentence in _parse_xml(path, read_text(path)):
        if not sentence.has_text or not "".join(sentence.text):
            raise MalformedFile(path, sentence.line, "<sentence> has no <text>")
        text = "".join(sentence.text)
        for line, attrs in sentence.terms:
            missing = [a for a in ("term", "polarity", "from", "to") if a not in attrs]
            if missing:
                raise MalformedFile(path, line, f"<aspectTerm> lacks {', '.join(missing)}")
            polarity = attrs["polarity"]
            if polarity == "conflict":
                continue
            if polarity not in _XML_POLARITY:
                known = ", ".join([*_XML_POLARITY, "conflict"])
                raise MalformedFile(
                    path, line, f"unknown polarity '{polarity}' (not one of {known})"
                )
            try:
                start, end = int(attrs["from"]), int(attrs["to"])
            except ValueError:
                raise MalformedFile(path, line, "from/to offsets are not integers") from None
            if not 0 <= start <= end or text[start:end] != attrs["term"]:
                raise MalformedFile(
                    path,
                    line,
                    f"offsets {start}:{end} give '{text[start:end]}', not the term "
                    f"'{attrs['term']}'",
                )
            examples.append(AbsaExample(text, attrs["term"], _XML_POLARITY[polarity], start))
    if not examples:
        raise MalformedFile(
            path, None, "no <aspectTerm> with a polarity; is this SemEval-2014 XML?"
        )
    return examples


def load_absa(path: str | Path) -> list[AbsaExample]:
    """Read ``.xml`` as SemEval XML and anything else (``.seg``) as the three-line format.

    Args:
        path: a ``.xml`` file (:func:`load_xml`) or a ``.seg`` file (:func:`load_seg`).

    Example:
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "toy.seg"
        >>> _ = path.write_text("The $T$ is slow .\\nkeyboard\\n-1\\n")
        >>> [(e.aspect, e.polarity) for e in load_absa(path)]
        [('keyboard', 'negative')]
    """
    path = Path(path)
    return load_xml(path) if path.suffix.lower() == ".xml" else load_seg(path)


def load_semeval14(domain: str, split: str, folder: str | Path | None = None) -> list[AbsaExample]:
    """SemEval-2014 laptop or restaurant, ``train`` or ``test``, from the registered folder.

    Args:
        domain: ``laptop`` or ``restaurant``.
        split: ``train`` or ``test``.
        folder: a folder with the ``.seg`` files; default the ``semeval14`` dataset's folder.

    Raises:
        UnknownName: an unknown domain or split.
        DatasetNotFound: the folder lacks the split's file.
        MalformedFile: the file is malformed (see :func:`load_seg`).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / SEMEVAL14_FILES["laptop"]["test"]).write_text("Good $T$ .\\nbattery\\n1\\n")
        >>> [e.marked for e in load_semeval14("laptop", "test", folder)]
        ['Good [ battery ] .']
    """
    if domain not in SEMEVAL14_FILES:
        raise UnknownName("ABSA domain", domain, list(SEMEVAL14_FILES))
    if split not in SEMEVAL14_FILES[domain]:
        raise UnknownName("split", split, list(SEMEVAL14_FILES[domain]))
    if folder is None:
        from rl_text.datasets import SEMEVAL14

        folder = SEMEVAL14.locate()
    path = Path(folder) / SEMEVAL14_FILES[domain][split]
    if not path.exists():
        raise DatasetNotFound(
            f"SemEval-2014 {domain} {split}",
            folder,
            f"the folder has no {path.name} (a folder of SemEval-2014 .seg files is expected)",
        )
    return load_seg(path)


def disagreeing_subset(examples: list[AbsaExample]) -> list[AbsaExample]:
    """Aspects whose polarity differs from the majority polarity of their sentence's aspects.

    The robustness split: a model that reads the sentence's overall sentiment instead of the
    aspect's gets these wrong. Only sentences with at least two aspects and a strict majority
    label count.

    Args:
        examples: aspects of any number of sentences (grouped by identical sentence text).

    Example:
        >>> ex = [AbsaExample("good food , bad wine , good tea", a, y, 0)
        ...       for a, y in (("food", 2), ("wine", 0), ("tea", 2))]
        >>> [e.aspect for e in disagreeing_subset(ex)]
        ['wine']
    """
    if not isinstance(examples, list):
        raise BadInput("disagreeing_subset expects a list of AbsaExample")
    by_sentence: dict[str, list[AbsaExample]] = defaultdict(list)
    for ex in examples:
        by_sentence[ex.sentence].append(ex)
    out: list[AbsaExample] = []
    for group in by_sentence.values():
        if len(group) < 2:
            continue
        (top, n), *rest = [*Counter(e.label for e in group).most_common(), (None, 0)]
        if rest and rest[0][1] == n:
            continue  # no strict majority
        out.extend(e for e in group if e.label != top)
    return out


def load_absa_data(data: str, domain: str = "laptop", split: str = "train") -> list[AbsaExample]:
    """Examples from ``--data``: a ``.seg``/``.xml`` file, a SemEval-2014 folder, or ``semeval14``.

    Args:
        data: a file, a folder holding the four SemEval-2014 ``.seg`` files, or the
            registered dataset ``semeval14[:split]``.
        domain: ``laptop`` or ``restaurant`` (for a folder or ``semeval14``).
        split: ``train`` or ``test`` (for a folder, or ``semeval14`` without a split).

    A folder is checked whole: the domain's other split file, when the folder has it, is
    read as strictly as the requested one, so a broken file is reported before any work.

    Raises:
        BadInput: ``data`` is none of these.
        DatasetNotFound: a folder lacks the split's file.
        MalformedFile: a file is malformed (naming the file and line).

    Example:
        >>> import pathlib, tempfile
        >>> folder = pathlib.Path(tempfile.mkdtemp())
        >>> _ = (folder / SEMEVAL14_FILES["restaurant"]["train"]).write_text("Cold $T$ .\\npizza\\n-1\\n")
        >>> [e.aspect for e in load_absa_data(str(folder), "restaurant", "train")]
        ['pizza']
        >>> len(load_absa_data(str(folder / "Restaurants_Train.xml.seg")))
        1
    """
    path = Path(data)
    if path.is_file():
        return load_absa(path)
    if path.is_dir():
        examples = load_semeval14(domain, split, path)
        for other in SEMEVAL14_FILES.get(domain, {}):
            if other != split and (path / SEMEVAL14_FILES[domain][other]).exists():
                load_semeval14(domain, other, path)
        return examples
    name, _, named_split = data.partition(":")
    if name == "semeval14":
        return load_semeval14(domain, named_split or split)
    raise BadInput(
        f"--data {data} is neither a .seg/.xml file, a folder of SemEval-2014 files, "
        "nor semeval14[:split]"
    )
