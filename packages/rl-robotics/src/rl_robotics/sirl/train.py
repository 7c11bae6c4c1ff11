"""Train SIRL for one simulated person: similarity answers -> representation -> reward.

:func:`train_sirl` is the Python entry point behind ``rl robotics sirl train``: it asks a
:class:`~rl_robotics.sirl.people.SimulatedPerson` ``queries`` similarity queries over a
pool of trajectories, learns a :class:`~rl_robotics.sirl.representation.StateEncoder`
from the answers with the triplet loss (:func:`~rl_robotics.sirl.representation.fit_sirl`),
then asks ``preferences`` preference queries and fits a linear Bradley–Terry
:class:`~rl_robotics.sirl.reward.PreferenceReward` on the learned representation. The
result, a :class:`SirlModel`, is saved as one model folder (``OUT/model/``) through
:mod:`rl_shared.artifacts`. The comparison with the baselines over seeds is
:func:`rl_robotics.sirl.experiment.run_sirl_experiment` (``rl robotics sirl compare`` and the
reproduction ``robotics.sirl``), which draws its queries in the same order.

References:
    Bobu, Liu, Shah, Brown & Dragan, "SIRL: Similarity-based Implicit Representation
    Learning", HRI 2023, arXiv:2301.00810.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from rl_robotics.sirl.people import (
    SimulatedPerson,
    sample_preference_queries,
    sample_similarity_queries,
    similarity_triplets,
)
from rl_robotics.sirl.representation import CITATION, StateEncoder, TrainConfig, fit_sirl
from rl_robotics.sirl.reward import PreferenceReward
from rl_robotics.sirl.trajectories import TrajectorySet
from rl_shared.artifacts import CONFIG, WEIGHTS, load_model, save_model
from rl_shared.errors import BadInput, MalformedFile, RLError

__all__ = ["MODEL_KIND", "SirlModel", "train_sirl"]

#: the ``kind`` of a saved :class:`SirlModel` folder
MODEL_KIND = "robotics.sirl"


@dataclass
class SirlModel:
    """A trained SIRL model: the state representation and one person's reward on it.

    Args:
        encoder: the learned state representation.
        reward: the linear Bradley–Terry reward on the trajectory embedding.
        person: the simulated person it was trained for.
        info: how it was trained (query counts, seed, training agreement).

    Shapes:
        :meth:`score`: ``(N, T, 23)`` raw trajectories -> ``(N,)`` rewards.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> import tempfile
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> pool = generate_trajectories(8, steps=3, cache=False)
        >>> model = train_sirl(SimulatedPerson("table"), pool, queries=8, preferences=6,
        ...                    config=TrainConfig(steps=3))
        >>> back = SirlModel.load(model.save(tempfile.mkdtemp() + "/model"))
        >>> bool(np.allclose(back.score(pool.states), model.score(pool.states)))
        True
    """

    encoder: StateEncoder
    reward: PreferenceReward
    person: SimulatedPerson
    info: dict[str, Any] = field(default_factory=dict)

    def score(self, states: np.ndarray) -> np.ndarray:
        """The learned reward of each raw trajectory."""
        return self.reward.score(self.encoder.embed_trajectories(states))

    def save(self, folder: str | Path) -> Path:
        """Write the model folder (``config.json``, ``model.safetensors``, model card)."""
        tensors = {f"encoder.{k}": v for k, v in self.encoder.state_dict().items()}
        tensors.update(
            {f"reward.{k}": torch.as_tensor(v) for k, v in self.reward.to_arrays().items()}
        )
        person = self.person
        config = {
            "encoder": self.encoder.config,
            "reward": {"c": self.reward.c},
            "person": {
                "features": list(person.features),
                "weights": person.w.tolist(),
                "beta_similarity": person.beta_similarity,
                "beta_preference": person.beta_preference,
            },
            "info": self.info,
        }
        summary = (
            "SIRL for a simulated person who cares about "
            f"{', '.join(person.features)}: a state representation learned from similarity "
            "queries (triplet loss) and a linear Bradley–Terry reward on it."
        )
        return save_model(
            folder,
            kind=MODEL_KIND,
            config=config,
            tensors=tensors,
            citation=CITATION,
            summary=summary,
        )

    @classmethod
    def load(cls, folder: str | Path) -> SirlModel:
        """Read a folder written by :meth:`save`.

        Raises:
            ModelNotFound: no model folder at ``folder``.
            MalformedFile: ``config.json`` is not a SIRL model description, or the weights
                are missing, do not fit it, or hold NaN / infinity.
            BadInput: the folder holds another kind of model.
        """
        artifact = load_model(folder, kind=MODEL_KIND)
        config_path = Path(folder) / CONFIG
        weights_path = Path(folder) / WEIGHTS
        try:
            config = artifact.config
            encoder = StateEncoder(**config["encoder"])
            c = float(config["reward"]["c"])
            p = config["person"]
            person = SimulatedPerson(
                tuple(p["features"]),
                tuple(float(w) for w in p["weights"]),
                beta_similarity=float(p["beta_similarity"]),
                beta_preference=float(p["beta_preference"]),
            )
            info = dict(config.get("info", {}))
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise MalformedFile(
                config_path, None, f"not a SIRL model description ({_reason(err)})"
            ) from None
        if not all(
            np.isfinite(v) for v in (c, *person.w, person.beta_similarity, person.beta_preference)
        ):
            raise MalformedFile(config_path, None, "holds NaN or infinite numbers")
        if not weights_path.is_file():
            raise MalformedFile(weights_path, None, "missing: the model folder has no weights")
        if any(not bool(torch.isfinite(t).all()) for t in artifact.tensors.values()):
            raise MalformedFile(weights_path, None, "holds NaN or infinite weights")
        weights = {
            k.removeprefix("encoder."): v
            for k, v in artifact.tensors.items()
            if k.startswith("encoder.")
        }
        try:
            encoder.load_state_dict(weights)
        except RuntimeError as err:
            raise MalformedFile(
                weights_path, None, f"the encoder weights do not fit config.json ({_detail(err)})"
            ) from None
        arrays = {
            k.removeprefix("reward."): v.double().numpy()
            for k, v in artifact.tensors.items()
            if k.startswith("reward.")
        }
        if set(arrays) != {"theta", "mean", "scale"}:
            raise MalformedFile(weights_path, None, "lacks the reward weights of a SIRL model")
        try:
            reward = PreferenceReward.from_arrays(**arrays, c=c)
        except ValueError as err:  # ShapeMismatch
            raise MalformedFile(weights_path, None, f"the reward weights {err}") from None
        if len(reward.theta) != encoder.config["out_dim"]:
            raise MalformedFile(
                weights_path, None, "the reward weights do not fit the encoder's output size"
            )
        return cls(encoder.eval(), reward, person, info)


def _detail(err: RuntimeError) -> str:
    """The informative line of a ``load_state_dict`` error (its first line is a header)."""
    lines = [line.strip() for line in str(err).splitlines() if line.strip()]
    detail = lines[1] if len(lines) > 1 else (lines[0] if lines else "no detail")
    return detail if len(detail) <= 200 else detail[:197] + "..."


def _reason(err: BaseException) -> str:
    if isinstance(err, KeyError) and not isinstance(err, RLError):
        return f"no key {err}"
    return str(err).splitlines()[0] if str(err) else type(err).__name__


def train_sirl(
    person: SimulatedPerson,
    pool: TrajectorySet,
    *,
    queries: int = 500,
    preferences: int = 50,
    dim: int = 5,
    config: TrainConfig | None = None,
    seed: int = 0,
    device: str | torch.device = "auto",
    precision: str = "fp32",
) -> SirlModel:
    """Learn a representation from ``queries`` similarity answers, then a reward on top.

    Args:
        person: who answers (with their Boltzmann / Bradley–Terry noise).
        pool: the trajectories the queries are drawn from.
        queries: similarity queries ("which two of these three are most alike?").
        preferences: preference queries for the reward on the learned representation.
        dim: representation size.
        config: optimisation settings of the triplet loss.
        seed: seed of the queries, the answers' noise, the initialisation and the batches.
        device: where the encoder trains (``auto``, ``cpu``, ``cuda[:N]``, ``mps``; under
            ``torchrun`` each process takes its local device and a share of each batch).
        precision: ``fp32``, ``bf16`` or ``fp16`` autocast of the encoder's training.

    Raises:
        BadInput: no query asked, or a pool with fewer trajectories than ``queries``.

    Shapes:
        ``pool.states``: ``(N, T, 23)``.

    References:
        Bobu et al., "SIRL: Similarity-based Implicit Representation Learning", HRI 2023,
        arXiv:2301.00810.

    Example:
        >>> from rl_robotics.sirl.trajectories import generate_trajectories
        >>> pool = generate_trajectories(8, steps=3, cache=False)
        >>> model = train_sirl(SimulatedPerson("laptop"), pool, queries=8, preferences=6,
        ...                    config=TrainConfig(steps=3))
        >>> model.score(pool.states).shape, model.info["queries"]
        ((8,), 8)
    """
    if queries < 1 or preferences < 1:
        raise BadInput(
            f"need at least one similarity and one preference query, got {queries} and "
            f"{preferences}"
        )
    if len(pool) < queries:
        raise BadInput(
            f"the pool has {len(pool)} trajectories, fewer than the {queries} similarity "
            "queries drawn from it; give a larger pool or fewer queries"
        )
    config = config or TrainConfig()
    rng = np.random.default_rng(seed)
    feats = pool.features()
    asked = sample_similarity_queries(len(pool), queries, rng)
    odd = person.odd_one_out(feats[asked], rng)
    triplets = similarity_triplets(asked, odd)
    encoder = fit_sirl(
        pool.states,
        triplets,
        StateEncoder(out_dim=dim, seed=seed),
        config,
        seed=seed,
        device=device,
        precision=precision,
    )
    emb = encoder.embed_trajectories(pool.states)
    pairs = sample_preference_queries(len(pool), preferences, rng)
    answers = person.prefers_first(feats[pairs[:, 0]], feats[pairs[:, 1]], rng)
    reward = PreferenceReward().fit(emb[pairs[:, 0]], emb[pairs[:, 1]], answers)
    near = np.linalg.norm(emb[triplets[:, 0]] - emb[triplets[:, 1]], axis=1)
    far = np.linalg.norm(emb[triplets[:, 0]] - emb[triplets[:, 2]], axis=1)
    scores = reward.score(emb)
    info = {
        "queries": queries,
        "preferences": preferences,
        "pool": len(pool),
        "trajectory_steps": int(pool.states.shape[1]),
        "steps": config.steps,
        "lr": config.lr,
        "batch_size": config.batch,
        "seed": seed,
        "triplet_agreement": float((near < far).mean()),
        "preference_agreement": float(
            ((scores[pairs[:, 0]] > scores[pairs[:, 1]]) == answers).mean()
        ),
    }
    return SirlModel(encoder, reward, person, info)
