"""SIRL: learn the features a person cares about from similarity queries, then their reward.

A Franka Panda carries a cup over a table with a laptop and a person (PyBullet, headless,
:mod:`~rl_robotics.sirl.scene`); random trajectories (:mod:`~rl_robotics.sirl.trajectories`,
:mod:`~rl_robotics.sirl.data`) have raw 23-number states and five ground-truth features
(:mod:`~rl_robotics.sirl.features`); simulated people (:mod:`~rl_robotics.sirl.people`)
answer "which two of these three trajectories are most alike?" by the features they care
about; SIRL learns a state representation from the answers with the triplet loss
(:mod:`~rl_robotics.sirl.representation`) and a Bradley–Terry reward on top from a few
preferences (:mod:`~rl_robotics.sirl.reward`). :func:`train_sirl` trains one model
(:mod:`~rl_robotics.sirl.train`), :func:`evaluate_model` measures it
(:mod:`~rl_robotics.sirl.evaluation`), :func:`run_sirl_experiment` compares SIRL with the
self-supervised, task-input, oracle and random baselines (:mod:`~rl_robotics.sirl.experiment`).

References:
    Bobu, Liu, Shah, Brown & Dragan, "SIRL: Similarity-based Implicit Representation
    Learning", HRI 2023, arXiv:2301.00810.

Names are imported on first use, so importing this package loads neither torch,
scikit-learn nor PyBullet.
"""

from rl_shared.lazy import lazy_exports

_EXPORTS = {
    "load_trajectories": "rl_robotics.sirl.data",
    "read_trajectories": "rl_robotics.sirl.data",
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
    "read_trajectories",
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
