"""Datasets rl-vision reads, registered under the entry-point group ``rl.datasets``.

The generated scenes need no files and are not listed. DELIVER and MCubeS are for users
who have them (put them under ``$RL_DATA_DIR/vision/``); the STS-B test CSV is read for
the grounded-sentence transfer test.

Example:
    >>> [d.name for d in DATASETS]
    ['deliver', 'mcubes', 'stsb-en-test']
"""

from __future__ import annotations

from rl_shared.data import Dataset

__all__ = ["DATASETS", "DELIVER", "MCUBES", "STSB_TEST"]

DELIVER = Dataset(
    "deliver",
    "vision/DELIVER",
    ("img/test", "semantic/test"),
    "DELIVER multi-modal segmentation (RGB, depth, event, LiDAR; 25 classes)",
    hint="download DELIVER (CMNeXt release) and unpack it as vision/DELIVER with img/, depth/, "
    "event/, lidar/ and semantic/ below the data directory",
)
MCUBES = Dataset(
    "mcubes",
    "vision/MCubeS",
    ("polL_color", "GT", "list_folder/test.txt"),
    "MCubeS multimodal material segmentation (RGB, AoLP, DoLP, NIR; 20 classes)",
    hint="download MCubeS and unpack it as vision/MCubeS with polL_color/, polL_aolp*/, "
    "polL_dolp/, NIR_warped/, GT/ and list_folder/ below the data directory",
)
STSB_TEST = Dataset(
    "stsb-en-test",
    "sts/stsb",
    ("stsb-en-test.csv",),
    "STS Benchmark English test split (transfer test of the grounded sentence encoder)",
    used_by=("vision.grounded",),
)
DATASETS = [DELIVER, MCUBES, STSB_TEST]
