"""What the grounded encoder reads: generated captioned scenes, and text files of sentences.

:func:`make_caption_data` renders generated scenes (:mod:`rl_vision.core.scenes`, clean
condition) and captions each from its layout
(:func:`~rl_vision.core.scenes.captions.make_captions`); :func:`read_sentences` reads the
one-sentence-a-line UTF-8 files ``rl vision grounded encode`` embeds.

References:
    Merkx & Frank, "Learning semantic sentence representations from visually grounded language
    without lexical knowledge", Natural Language Engineering 25(4), 2019.
    https://arxiv.org/abs/1903.11393

Example:
    >>> data = make_caption_data(range(2), size=32, captions_per_scene=2)
    >>> tuple(data.images.shape), len(data.captions[0])
    ((2, 3, 32, 32), 2)
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import torch
from torch import Tensor

from rl_shared.errors import BadInput, MalformedFile
from rl_shared.io import iter_lines
from rl_vision.core.scenes.captions import make_captions
from rl_vision.core.scenes.layout import make_layout
from rl_vision.core.scenes.render import render_scene

__all__ = ["CaptionData", "make_caption_data", "read_sentences"]


@dataclass
class CaptionData:
    """Images and their captions.

    Args:
        images: normalised RGB images.
        captions: ``captions[i]``, the captions of image ``i``.

    Shapes:
        images ``(N, 3, H, W)``; ``len(captions) == N``.

    Example:
        >>> data = CaptionData(torch.zeros(2, 3, 8, 8), [["a red car"], ["an empty street"]])
        >>> len(data.captions), data.captions[1][0]
        (2, 'an empty street')
    """

    images: Tensor
    captions: list[list[str]]


def make_caption_data(
    seeds: Iterable[int], size: int = 64, captions_per_scene: int = 5
) -> CaptionData:
    """Render the scenes of ``seeds`` (clean condition) and caption each.

    Args:
        seeds: one generated scene per seed.
        size: image side in pixels.
        captions_per_scene: captions per image.
    """
    images, caps = [], []
    for s in seeds:
        scene = render_scene(make_layout(s), size)
        images.append((scene.rgb - 0.5) / 0.25)
        caps.append(make_captions(scene, captions_per_scene, seed=s))
    return CaptionData(torch.from_numpy(np.stack(images)).float(), caps)


def read_sentences(path: str | Path) -> list[str]:
    """One sentence a line (UTF-8); a blank line or an empty file is an error.

    The line ending is dropped (LF or CRLF); a leading byte-order mark is dropped.

    Args:
        path: the text file.

    Raises:
        BadInput: the file does not exist.
        MalformedFile: a folder, not UTF-8 (the line is named), empty, or a line is blank
            (named by its number).

    Example:
        >>> import tempfile
        >>> path = Path(tempfile.mkdtemp()) / "sentences.txt"
        >>> _ = path.write_text("a red car\\nthere is a tree far away", encoding="utf-8")
        >>> read_sentences(path)
        ['a red car', 'there is a tree far away']
    """
    path = Path(path)
    if not path.exists():
        raise BadInput(f"{path} does not exist; give a text file with one sentence a line")
    lines = []
    for lineno, raw in enumerate(iter_lines(path), start=1):
        line = raw.rstrip("\r\n")
        if not line.strip():
            raise MalformedFile(path, lineno, "blank line; write one sentence a line")
        lines.append(line)
    return lines
