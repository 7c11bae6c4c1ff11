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

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "load_trajectories": "rl_robotics.sirl.data",
    "save_trajectories": "rl_robotics.sirl.data",
    "evaluate_model": "rl_robotics.sirl.evaluation",
    "preference_accuracy": "rl_robotics.sirl.evaluation",
    "probe_r2": "rl_robotics.sirl.evaluation",
    "ExperimentConfig": "rl_robotics.sirl.experiment",
    "METHODS": "rl_robotics.sirl.experiment",
    "run_sirl_experiment": "rl_robotics.sirl.experiment",
    "FEATURES": "rl_robotics.sirl.features",
    "FEATURE_SCALES": "rl_robotics.sirl.features",
    "STATE_DIM": "rl_robotics.sirl.features",
    "STATE_SLICES": "rl_robotics.sirl.features",
    "feature_index": "rl_robotics.sirl.features",
    "make_state": "rl_robotics.sirl.features",
    "state_features": "rl_robotics.sirl.features",
    "trajectory_features": "rl_robotics.sirl.features",
    "SimulatedPerson": "rl_robotics.sirl.people",
    "sample_preference_queries": "rl_robotics.sirl.people",
    "sample_similarity_queries": "rl_robotics.sirl.people",
    "similarity_triplets": "rl_robotics.sirl.people",
    "render_scene": "rl_robotics.sirl.render",
    "CITATION": "rl_robotics.sirl.representation",
    "StateEncoder": "rl_robotics.sirl.representation",
    "TrainConfig": "rl_robotics.sirl.representation",
    "fit_contrastive": "rl_robotics.sirl.representation",
    "fit_sirl": "rl_robotics.sirl.representation",
    "PreferenceReward": "rl_robotics.sirl.reward",
    "TaskInputReward": "rl_robotics.sirl.reward",
    "Placement": "rl_robotics.sirl.scene",
    "REGIONS": "rl_robotics.sirl.scene",
    "TableScene": "rl_robotics.sirl.scene",
    "sample_placement": "rl_robotics.sirl.scene",
    "SirlModel": "rl_robotics.sirl.train",
    "train_sirl": "rl_robotics.sirl.train",
    "TrajectorySet": "rl_robotics.sirl.trajectories",
    "generate_trajectories": "rl_robotics.sirl.trajectories",
}

__version__ = "0.1.0"

__all__ = [
    "CITATION",
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
    "SirlModel",
    "StateEncoder",
    "TableScene",
    "TaskInputReward",
    "TrainConfig",
    "TrajectorySet",
    "evaluate_model",
    "feature_index",
    "fit_contrastive",
    "fit_sirl",
    "generate_trajectories",
    "load_trajectories",
    "make_state",
    "preference_accuracy",
    "probe_r2",
    "render_scene",
    "run_sirl_experiment",
    "sample_placement",
    "sample_preference_queries",
    "sample_similarity_queries",
    "save_trajectories",
    "similarity_triplets",
    "state_features",
    "train_sirl",
    "trajectory_features",
]
__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
