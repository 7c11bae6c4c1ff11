"""SIRL on PyBullet: learn the features a person cares about from similarity queries.

A Franka Panda carries a cup over a table with a laptop and a person (PyBullet, headless);
simulated people answer "which two of these three trajectories are most alike?" by the
features they care about; SIRL learns a state representation from the answers with the
triplet loss and a Bradley–Terry reward on top from a few preferences.

References:
    Bobu, Liu, Shah, Brown & Dragan, "SIRL: Similarity-based Implicit Representation
    Learning", HRI 2023, arXiv:2301.00810.

The paper lives in :mod:`rl_robotics.sirl`; its components are re-exported here.
Names are imported on first use, so ``import rl_robotics`` (and the ``rl`` command listing its
plugins) loads neither torch, scikit-learn nor PyBullet.
"""

from rl_robotics.sirl import _EXPORTS
from rl_robotics.sirl import __all__ as __all__
from rl_shared.lazy import lazy_exports

__version__ = "0.1.0"

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
