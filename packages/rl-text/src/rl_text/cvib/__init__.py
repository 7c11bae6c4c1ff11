"""Aspect-based sentiment: SemEval-2014 loaders, fine-tuning and CVIB.

| module | what |
|---|---|
| :mod:`rl_text.cvib.data` | ``.seg`` and SemEval XML loaders, the disagreeing-aspect split |
| :mod:`rl_text.cvib.vib` | VIB gates over attention heads and feed-forward units |
| :mod:`rl_text.cvib.losses` | self-pruning contrastive loss (zero at identical representations) |
| :mod:`rl_text.cvib.model` | encoder + aspect representation + head; save / load |
| :mod:`rl_text.cvib.train` | fine-tune / CVIB training, accuracy and macro-F1 |
| :mod:`rl_text.cvib.cli` | ``rl text absa train|evaluate`` |
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "LABELS": "rl_text.cvib.data",
    "AbsaExample": "rl_text.cvib.data",
    "disagreeing_subset": "rl_text.cvib.data",
    "load_absa": "rl_text.cvib.data",
    "load_seg": "rl_text.cvib.data",
    "load_semeval14": "rl_text.cvib.data",
    "load_xml": "rl_text.cvib.data",
    "self_pruning_contrastive_loss": "rl_text.cvib.losses",
    "EncoderGates": "rl_text.cvib.vib",
    "VIBGate": "rl_text.cvib.vib",
}
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)

__all__ = [
    "LABELS",
    "AbsaExample",
    "EncoderGates",
    "VIBGate",
    "disagreeing_subset",
    "load_absa",
    "load_seg",
    "load_semeval14",
    "load_xml",
    "self_pruning_contrastive_loss",
]
