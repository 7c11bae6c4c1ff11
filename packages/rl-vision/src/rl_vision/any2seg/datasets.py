"""The real datasets Any2Seg reads, registered under the entry-point group ``rl.datasets``.

The generated scenes need no files and are not listed. DELIVER and MCubeS are for users
who have them (put them under ``$RL_DATA_DIR/vision/``); their loaders are in
:mod:`rl_vision.any2seg.deliver` and :mod:`rl_vision.any2seg.mcubes`. This module imports no torch, so listing datasets stays light.

Example:
    >>> [d.name for d in DATASETS]
    ['deliver', 'mcubes']
"""

from __future__ import annotations

from rl_shared.data import Dataset, Source

__all__ = ["DATASETS", "DELIVER", "MCUBES"]

DELIVER = Dataset(
    "deliver",
    "vision/DELIVER",
    ("img/test", "semantic/test"),
    "DELIVER multi-modal segmentation (RGB, depth, event, LiDAR; 25 classes)",
    hint="download DELIVER (CMNeXt release) and unpack it as vision/DELIVER with img/, depth/, "
    "event/, lidar/ and semantic/ below the data directory",
    source=Source(
        page="https://github.com/jamycheung/DELIVER",
        licence="see the DELIVER repository",
        citation="Zhang et al. 2023, Delivering Arbitrary-Modal Semantic Segmentation (CVPR)",
        manual="its archive is shared through a Google Drive folder that needs a browser",
    ),
)
MCUBES = Dataset(
    "mcubes",
    "vision/MCubeS",
    ("polL_color", "GT", "list_folder/test.txt"),
    "MCubeS multimodal material segmentation (RGB, AoLP, DoLP, NIR; 20 classes)",
    hint="download MCubeS and unpack it as vision/MCubeS with polL_color/, polL_aolp*/, "
    "polL_dolp/, NIR_warped/, GT/ and list_folder/ below the data directory",
    source=Source(
        page="https://github.com/kyotovision-public/multimodal-material-segmentation",
        licence="see the MCubeS repository",
        citation="Liang et al. 2022, Multimodal Material Segmentation (CVPR)",
        manual="its archive is shared through a Google Drive link that needs a browser",
    ),
)
DATASETS = [DELIVER, MCUBES]
