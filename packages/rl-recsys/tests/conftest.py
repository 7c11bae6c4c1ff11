import random

import pytest


def planted_baskets(n: int = 150, seed: int = 0) -> list[list[str]]:
    """A always with B; A2 (a substitute of A) also with B but never with A; noise fillers."""
    rng = random.Random(seed)
    fillers = [f"f{i}" for i in range(8)]
    baskets = []
    for i in range(n):
        head = "A" if i % 2 == 0 else "A2"
        baskets.append([head, "B", *rng.sample(fillers, 2)])
        baskets.append(rng.sample(fillers, 3))
    return baskets


@pytest.fixture(scope="session")
def planted() -> list[list[str]]:
    return planted_baskets()
