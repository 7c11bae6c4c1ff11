"""The user files ``rl text cvib`` reads, declared for :mod:`rl_shared.formats`.

* ``cvib-absa-seg``: a SemEval-2014 three-line ``.seg`` file (sentence with ``$T$``, aspect,
  polarity ``-1 / 0 / 1``), as read by :func:`rl_text.cvib.data.load_seg`;
* ``cvib-absa-xml``: SemEval-2014's original XML (:func:`rl_text.cvib.data.load_xml`);
* ``cvib-absa-folder``: a folder of the SemEval-2014 ``.seg`` files of a domain
  (``Laptops_Train.xml.seg``, ``Laptops_Test_Gold.xml.seg``);
* ``cvib-model``: the ``OUT/model`` folder ``rl text cvib train`` writes (``config.json``,
  ``model.safetensors``, ``encoder/``), here a tiny random-init one.

The ABSA formats (:data:`ABSA_FORMATS`) are also read by ``rl text lowrank-attention``.
Importing this module is light (no torch); the model sample (on the tiny encoder of
:mod:`rl_text.core.samples`) imports torch and sentence-transformers when it is written.

References:
    Chang et al., "Reducing Spurious Correlations for Aspect-Based Sentiment Analysis with
    Variational Information Bottleneck and Contrastive Learning" (CVIB).

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> from rl_text.cvib.data import load_absa
    >>> path = get_format("cvib-absa-seg").write_sample(Path(tempfile.mkdtemp()))
    >>> [e.polarity for e in load_absa(path)]
    ['positive', 'negative', 'neutral']
"""

from __future__ import annotations

import shutil
from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__ = ["ABSA_FORMATS"]

SEG = (
    "The $T$ is great but the service is slow .\nfood\n1\n"
    "The food is great but the $T$ is slow .\nservice\n-1\n"
    "We sat by the $T$ .\nwindow\n0\n"
)
XML = """<?xml version="1.0" encoding="UTF-8"?>
<sentences>
    <sentence id="1">
        <text>The food was good but the service was awful.</text>
        <aspectTerms>
            <aspectTerm term="food" polarity="positive" from="4" to="8"/>
            <aspectTerm term="service" polarity="negative" from="26" to="33"/>
        </aspectTerms>
    </sentence>
    <sentence id="2">
        <text>We sat by the window.</text>
        <aspectTerms>
            <aspectTerm term="window" polarity="neutral" from="14" to="20"/>
        </aspectTerms>
    </sentence>
</sentences>
"""


def _seg(folder: Path) -> Path:
    path = folder / "laptop.seg"
    path.write_text(SEG, encoding="utf-8")
    return path


def _xml(folder: Path) -> Path:
    path = folder / "laptop.xml"
    path.write_text(XML, encoding="utf-8")
    return path


def _folder(folder: Path) -> Path:
    from rl_text.cvib.data import SEMEVAL14_FILES

    root = folder / "semeval14"
    root.mkdir()
    for name in SEMEVAL14_FILES["laptop"].values():
        (root / name).write_text(SEG, encoding="utf-8")
    return root


def _model(folder: Path) -> Path:
    from rl_shared.models import load_sentence_transformer
    from rl_text.core.samples import save_tiny_sentence_transformer
    from rl_text.cvib.model import AspectSentimentModel, save_absa_model

    st = load_sentence_transformer(save_tiny_sentence_transformer(folder / "encoder", layers=1))
    model = AspectSentimentModel(st, vib=True, max_length=32)
    path = save_absa_model(model, folder / "model", method="cvib")
    shutil.rmtree(folder / "encoder")  # the model folder holds its own copy
    return path


#: the names of the ABSA data formats, for ``formats=`` of a ``--data`` option
ABSA_FORMATS = ("cvib-absa-seg", "cvib-absa-xml", "cvib-absa-folder")

register_format(
    FileFormat(
        "cvib-absa-seg",
        "SemEval-2014 .seg: three lines per aspect (sentence with $T$, aspect, polarity -1/0/1)",
        _seg,
        (Lines(""),),
    )
)
register_format(
    FileFormat(
        "cvib-absa-xml",
        "SemEval-2014 XML: <sentence><text/><aspectTerms><aspectTerm term polarity from to/>",
        _xml,
        (Lines(""),),
    )
)
register_format(
    FileFormat(
        "cvib-absa-folder",
        "a folder of the SemEval-2014 .seg files of a domain (Laptops_Train.xml.seg, ...)",
        _folder,
        (Lines("Laptops_Train.xml.seg"), Lines("Laptops_Test_Gold.xml.seg")),
    )
)
register_format(
    FileFormat(
        "cvib-model",
        "the OUT/model folder of `rl text cvib train` (config.json, model.safetensors, encoder/)",
        _model,
        (Lines("config.json"),),
    )
)
