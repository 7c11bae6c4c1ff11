"""Registered reproductions of rl-robotics."""
