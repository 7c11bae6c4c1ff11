"""Reproductions of rl-vision, registered under ``rl.reproductions``."""
