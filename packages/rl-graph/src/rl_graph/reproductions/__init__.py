"""Reproductions of rl-graph, registered under ``rl.reproductions``."""
