"""SIRL on PyBullet: learn the features a person cares about from similarity queries.

A Franka Panda carries a cup over a table with a laptop and a person (PyBullet, headless);
simulated people answer "which two of these three trajectories are most alike?" by the
features they care about; SIRL learns a state representation from the answers with the
triplet loss and a Bradley–Terry reward on top from a few preferences.

References:
    Bobu, Liu, Shah, Brown & Dragan, "SIRL: Similarity-based Implicit Representation
    Learning", HRI 2023, arXiv:2301.00810.

Names are imported on first use, so ``import rl_robotics`` (and the ``rl`` command listing its
plugins) loads neither torch, scikit-learn nor PyBullet.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "preference_accuracy": "rl_robotics.evaluation",
    "probe_r2": "rl_robotics.evaluation",
    "METHODS": "rl_robotics.experiment",
    "ExperimentConfig": "rl_robotics.experiment",
    "run_sirl_experiment": "rl_robotics.experiment",
    "FEATURE_SCALES": "rl_robotics.features",
    "FEATURES": "rl_robotics.features",
    "STATE_DIM": "rl_robotics.features",
    "STATE_SLICES": "rl_robotics.features",
    "feature_index": "rl_robotics.features",
    "make_state": "rl_robotics.features",
    "state_features": "rl_robotics.features",
    "trajectory_features": "rl_robotics.features",
    "SimulatedPerson": "rl_robotics.people",
    "sample_preference_queries": "rl_robotics.people",
    "sample_similarity_queries": "rl_robotics.people",
    "similarity_triplets": "rl_robotics.people",
    "StateEncoder": "rl_robotics.representation",
    "TrainConfig": "rl_robotics.representation",
    "fit_contrastive": "rl_robotics.representation",
    "fit_sirl": "rl_robotics.representation",
    "PreferenceReward": "rl_robotics.reward",
    "TaskInputReward": "rl_robotics.reward",
    "REGIONS": "rl_robotics.scene",
    "Placement": "rl_robotics.scene",
    "TableScene": "rl_robotics.scene",
    "sample_placement": "rl_robotics.scene",
    "TrajectorySet": "rl_robotics.trajectories",
    "generate_trajectories": "rl_robotics.trajectories",
}

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
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
