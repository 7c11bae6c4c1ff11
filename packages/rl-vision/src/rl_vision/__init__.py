"""rl-vision: segmentation from any combination of modalities (Any2Seg) and visually grounded
character-level sentence representations, on generated multi-modal street scenes.

Example:
    >>> import rl_vision
    >>> rl_vision.__version__
    '0.1.0'
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
