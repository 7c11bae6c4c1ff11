"""What both papers of rl-vision share: the generated multi-modal street scenes (:mod:`rl_vision.core.scenes`)."""
