"""Render sentences to fixed-height grey-scale strips cut into 16 × 16 patches.

A sentence becomes one line of text drawn with a TrueType font into an image ``height``
pixels high and ``patch * max_patches`` wide (text past the right edge is cut). Characters
the main font (DejaVu Sans, which matplotlib carries) lacks are drawn with a fallback font:
IPAexGothic from the PyPI package ``matplotlib-fontja`` covers Japanese fully and about 84 %
of the Chinese characters in STS-B zh (simplified forms outside JIS are missing and are
drawn as DejaVu's empty box). Rendering is deterministic: the same text gives the same
array.

What it adds to Pillow: font fallback by glyph coverage, the patch mask of the patches that
hold text (for mean pooling), and batching into ``(B, 1, H, W)`` tensors.

References:
    Rust et al., "Language Modelling with Pixels", arXiv:2207.06991 (16 px renderings,
    16 × 16 patches). Xiao et al., "Pixel Sentence Representation Learning", arXiv:2402.08183.

Example:
    >>> r = TextRenderer(height=16, max_patches=8)
    >>> img = r.render("A man plays.")
    >>> img.shape, img.dtype.name, r.n_patches("A man plays.")
    ((16, 128), 'float32', 6)
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from rl_shared.errors import BadInput

__all__ = ["TextRenderer", "default_fonts"]


@functools.lru_cache(maxsize=1)
def default_fonts() -> tuple[str, ...]:
    """Paths of the font chain: DejaVu Sans, then IPAexGothic (Japanese, most Chinese).

    IPAexGothic comes from the ``matplotlib-fontja`` package and is left out when its file is
    missing.

    Example:
        >>> from pathlib import Path
        >>> [Path(f).name for f in default_fonts()]
        ['DejaVuSans.ttf', 'ipaexg.ttf']
    """
    from matplotlib import font_manager

    fonts: list[str] = [font_manager.findfont("DejaVu Sans", fallback_to_default=True)]
    try:
        import importlib.util

        spec = importlib.util.find_spec("matplotlib_fontja")
        if spec is not None and spec.submodule_search_locations:
            ipa = Path(next(iter(spec.submodule_search_locations))) / "fonts" / "ipaexg.ttf"
            if ipa.is_file():
                fonts.append(str(ipa))
    except ImportError:  # pragma: no cover - the package is a declared dependency
        pass
    return tuple(fonts)


@functools.lru_cache(maxsize=8)
def _cmap(path: str) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(path, lazy=True).getBestCmap())


@functools.lru_cache(maxsize=16)
def _font(path: str, size: int):
    from PIL import ImageFont

    return ImageFont.truetype(path, size)


@functools.lru_cache(maxsize=16384)
def _render_u8(renderer: TextRenderer, text: str) -> np.ndarray:
    # evaluation re-renders the same test sentences after every stage: keep them (uint8, 16 B/px)
    return np.round(renderer.render(text) * 255).astype(np.uint8)


@dataclass(frozen=True)
class TextRenderer:
    """Draw text as one line into a ``height × (patch · max_patches)`` grey-scale strip.

    Args:
        height: image height in pixels (a multiple of ``patch``; 16 = one patch row).
        max_patches: patches along the line; the image is ``patch * max_patches`` wide.
        patch: patch side in pixels.
        font_size: pixel size of the font; default ``round(0.8 * patch)`` (one line per patch row).
        fonts: font files tried in order per character; default :func:`default_fonts`.

    Shapes:
        ``render`` returns ``(height, patch * max_patches)`` float32 in [0, 1], ink = 1;
        ``batch`` returns pixels ``(B, 1, H, W)`` and a patch mask ``(B, P)``.

    Example:
        >>> TextRenderer(max_patches=4).render("hi").shape
        (16, 64)
    """

    height: int = 16
    max_patches: int = 64
    patch: int = 16
    font_size: int | None = None
    fonts: tuple[str, ...] | None = None

    def __post_init__(self) -> None:
        if self.patch <= 0 or self.height <= 0 or self.max_patches <= 0:
            raise BadInput("height, patch and max_patches must be positive")
        if self.height % self.patch:
            raise BadInput(f"height {self.height} is not a multiple of the patch size {self.patch}")

    @property
    def width(self) -> int:
        """Image width in pixels."""
        return self.patch * self.max_patches

    @property
    def patches_per_image(self) -> int:
        """Number of patches of one image (rows × columns)."""
        return (self.height // self.patch) * self.max_patches

    def _runs(self, text: str) -> list[tuple[str, str]]:
        chain = self.fonts or default_fonts()
        runs: list[tuple[str, str]] = []
        for ch in text:
            font = next((f for f in chain if ord(ch) in _cmap(f) or ch.isspace()), chain[0])
            if runs and runs[-1][0] == font:
                runs[-1] = (font, runs[-1][1] + ch)
            else:
                runs.append((font, ch))
        return runs

    def text_width(self, text: str) -> float:
        """Width in pixels the text takes when drawn (before cutting)."""
        size = self.font_size or round(0.8 * self.patch)
        return float(sum(_font(f, size).getlength(s) for f, s in self._runs(text)))

    def n_patches(self, text: str) -> int:
        """How many patches hold text, in reading order (at least 1, at most all).

        The line is folded into rows of ``max_patches`` patches, so the patches that hold
        text are always the first ``n_patches`` in the row-major order a ViT reads them.
        """
        cols = int(np.ceil((self.text_width(text) + 2) / self.patch))
        return max(1, min(self.patches_per_image, cols))

    def render(self, text: str) -> np.ndarray:
        """The text as a float32 image, ink 1 on background 0."""
        from PIL import Image, ImageDraw

        size = self.font_size or round(0.8 * self.patch)
        rows = self.height // self.patch
        # draw on one long line, then fold it into `rows` rows of patches
        image = Image.new("L", (self.width * rows, self.patch), 0)
        draw = ImageDraw.Draw(image)
        x = 2.0
        for path, run in self._runs(text.replace("\n", " ")):
            font = _font(path, size)
            top = (self.patch - size) / 2 - 1
            draw.text((x, top), run, font=font, fill=255)
            x += font.getlength(run)
            if x > image.width:
                break
        line = np.asarray(image, dtype=np.float32) / 255.0
        return np.concatenate(np.split(line, rows, axis=1), axis=0)

    def batch(self, texts: list[str]):
        """Render a batch: ``(pixels (B, 1, H, W), patch_mask (B, P))`` as torch tensors."""
        import torch

        if not texts:
            raise BadInput("cannot render an empty batch of texts")
        stack = np.stack([_render_u8(self, t) for t in texts]).astype(np.float32) / 255.0
        pixels = torch.from_numpy(stack)[:, None]
        mask = torch.zeros(len(texts), self.patches_per_image)
        for i, text in enumerate(texts):
            mask[i, : self.n_patches(text)] = 1.0
        return pixels, mask
