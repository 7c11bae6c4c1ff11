"""Loaders for real multi-modal segmentation data (DELIVER, MCubeS) for users who have it."""

from rl_vision.data.deliver import DELIVER_CLASSES, DeliverDataset
from rl_vision.data.mcubes import MCUBES_CLASSES, MCubeSDataset

__all__ = ["DELIVER_CLASSES", "MCUBES_CLASSES", "DeliverDataset", "MCubeSDataset"]
