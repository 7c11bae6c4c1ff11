"""The user files SIRL's commands read, registered in :mod:`rl_shared.formats`.

* ``sirl-trajectories``: a ``.npz`` file of raw states, written by ``rl robotics sirl
  generate`` (:func:`~rl_robotics.sirl.data.save_trajectories`); read by ``train``,
  ``evaluate`` and ``render`` (``--data FILE.npz``). It is binary: no text part.
* ``sirl-model``: a model folder written by ``rl robotics sirl train``
  (:meth:`~rl_robotics.sirl.train.SirlModel.save`); read by ``evaluate --model``. Its text
  part is ``config.json``; ``model.safetensors`` is binary.

This module imports no torch or pybullet (the ``rl --help`` listing stays light); the sample
writers import them when they run.

References:
    Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
    arXiv:2301.00810.

Example:
    >>> import tempfile
    >>> from pathlib import Path
    >>> from rl_shared.formats import get_format
    >>> get_format("sirl-model").write_sample(Path(tempfile.mkdtemp())).name
    'model'
    >>> [part.file for part in get_format("sirl-model").parts]
    ['config.json']
"""

from __future__ import annotations

from pathlib import Path

from rl_shared.formats import FileFormat, Lines, register_format

__all__: list[str] = []


def _trajectories_sample(folder: Path) -> Path:
    """Three real 3-state trajectories (PyBullet IK), saved as ``trajectories.npz``."""
    from rl_robotics.sirl.data import save_trajectories
    from rl_robotics.sirl.trajectories import generate_trajectories

    trajectories = generate_trajectories(3, steps=3, region="train", seed=0, cache=False)
    return save_trajectories(trajectories, folder / "trajectories.npz")


def _model_sample(folder: Path) -> Path:
    """A tiny random-init SIRL model (2-d representation), saved by :meth:`SirlModel.save`."""
    import numpy as np

    from rl_robotics.sirl.people import SimulatedPerson
    from rl_robotics.sirl.representation import StateEncoder
    from rl_robotics.sirl.reward import PreferenceReward
    from rl_robotics.sirl.train import SirlModel

    rng = np.random.default_rng(0)
    reward = PreferenceReward.from_arrays(rng.normal(size=2), np.zeros(2), np.ones(2))
    model = SirlModel(StateEncoder(out_dim=2, hidden=4), reward, SimulatedPerson("table"))
    return model.save(folder / "model")


TRAJECTORIES = register_format(
    FileFormat(
        "sirl-trajectories",
        "a .npz of raw Panda states (N, T, 23), from `rl robotics sirl generate`",
        _trajectories_sample,
    )
)
MODEL = register_format(
    FileFormat(
        "sirl-model",
        "a SIRL model folder (config.json, model.safetensors) from `rl robotics sirl train`",
        _model_sample,
        (Lines("config.json"),),
    )
)
