"""SIRL on PyBullet: learn the features a person cares about from similarity queries.

A Franka Panda carries a cup over a table with a laptop and a person (PyBullet, headless);
simulated people answer "which two of these three trajectories are most alike?" by the
features they care about; SIRL learns a state representation from the answers with the
triplet loss and a Bradley–Terry reward on top from a few preferences.

References:
    Bobu, Liu, Shah, Brown & Dragan, "SIRL: Similarity-based Implicit Representation
    Learning", HRI 2023, arXiv:2301.00810.
"""

from rl_robotics.evaluation import preference_accuracy, probe_r2
from rl_robotics.experiment import METHODS, ExperimentConfig, run_sirl_experiment
from rl_robotics.features import (
    FEATURE_SCALES,
    FEATURES,
    STATE_DIM,
    STATE_SLICES,
    feature_index,
    make_state,
    state_features,
    trajectory_features,
)
from rl_robotics.people import (
    SimulatedPerson,
    sample_preference_queries,
    sample_similarity_queries,
    similarity_triplets,
)
from rl_robotics.representation import StateEncoder, TrainConfig, fit_contrastive, fit_sirl
from rl_robotics.reward import PreferenceReward, TaskInputReward
from rl_robotics.scene import REGIONS, Placement, TableScene, sample_placement
from rl_robotics.trajectories import TrajectorySet, generate_trajectories

__version__ = "0.1.0"

__all__ = [
    "FEATURES",
    "FEATURE_SCALES",
    "METHODS",
    "REGIONS",
    "STATE_DIM",
    "STATE_SLICES",
    "ExperimentConfig",
    "Placement",
    "PreferenceReward",
    "SimulatedPerson",
    "StateEncoder",
    "TableScene",
    "TaskInputReward",
    "TrainConfig",
    "TrajectorySet",
    "feature_index",
    "fit_contrastive",
    "fit_sirl",
    "generate_trajectories",
    "make_state",
    "preference_accuracy",
    "probe_r2",
    "run_sirl_experiment",
    "sample_placement",
    "sample_preference_queries",
    "sample_similarity_queries",
    "similarity_triplets",
    "state_features",
    "trajectory_features",
]
