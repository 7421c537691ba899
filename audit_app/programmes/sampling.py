"""Drawing a sample by rule: a pure function over the eligible cases and a seed, so the same rule and seed
always give the same cases (and a recorded draw can be repeated and explained)."""

import random
from collections import defaultdict
from dataclasses import dataclass

METHODS = {"random": "Random", "stratified": "Stratified"}
STRATA = {"team": "team", "locality": "locality", "case_type": "case type", "worker": "worker"}
MAX_SEED = 99_999


@dataclass(frozen=True)
class EligibleCase:
    id: int
    team: str
    locality: str
    case_type: str
    worker: str


def new_seed() -> int:
    """A seed to record on the programme: short enough to read out and type back."""
    return random.SystemRandom().randint(1, MAX_SEED)


def allocate(stratum_sizes: dict[str, int], size: int) -> dict[str, int]:
    """Proportional allocation with the largest remainder: each stratum gets size × its share, rounded down,
    and the places left go to the largest fractions (ties by stratum name, so the answer never varies)."""
    total = sum(stratum_sizes.values())
    size = min(size, total)
    if not total or size <= 0:
        return {key: 0 for key in stratum_sizes}
    exact = {key: size * count / total for key, count in stratum_sizes.items()}
    quotas = {key: int(value) for key, value in exact.items()}
    by_remainder = sorted(stratum_sizes, key=lambda key: (-(exact[key] - quotas[key]), key))
    left = size - sum(quotas.values())
    for key in by_remainder:
        if left == 0:
            break
        if quotas[key] < stratum_sizes[key]:
            quotas[key] += 1
            left -= 1
    return quotas


def draw(cases: list[EligibleCase], size: int, seed: int, stratify_by: str | None = None) -> list[int]:
    """The ids of the cases drawn: `size` of them (or all, when fewer are eligible), at random or in
    proportion to each stratum's share of the eligible cases."""
    ordered = sorted(cases, key=lambda case: case.id)  # the rows' order must not change the draw
    rng = random.Random(seed)
    if not stratify_by:
        return sorted(case.id for case in rng.sample(ordered, min(size, len(ordered))))
    strata: dict[str, list[EligibleCase]] = defaultdict(list)
    for case in ordered:
        strata[getattr(case, stratify_by)].append(case)
    quotas = allocate({key: len(members) for key, members in strata.items()}, size)
    chosen = []
    for key in sorted(strata):
        chosen += [case.id for case in rng.sample(strata[key], quotas[key])]
    return sorted(chosen)


def replacement(cases: list[EligibleCase], leaving: EligibleCase | None, seed: int, stratify_by: str | None):
    """Another eligible case for one swapped out: from the same stratum when the sample is stratified
    (so the sample keeps its shape), else any; None when there is none."""
    pool = sorted(cases, key=lambda case: case.id)
    if stratify_by and leaving is not None:
        same = [case for case in pool if getattr(case, stratify_by) == getattr(leaving, stratify_by)]
        pool = same or pool
    return random.Random(seed).choice(pool) if pool else None
