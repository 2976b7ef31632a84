"""Honest numbers: shares with their uncertainty."""

import math
from dataclasses import dataclass

Z_95 = 1.959963984540054


def wilson_interval(successes: int, trials: int, z: float = Z_95) -> tuple[float, float]:
    """The Wilson score interval for a binomial share; (0, 1) when there are no trials."""
    if trials <= 0:
        return (0.0, 1.0)
    if not 0 <= successes <= trials:
        raise ValueError(f"successes must be between 0 and {trials}, got {successes}")
    share = successes / trials
    z2 = z * z
    denominator = 1 + z2 / trials
    centre = (share + z2 / (2 * trials)) / denominator
    margin = z * math.sqrt(share * (1 - share) / trials + z2 / (4 * trials * trials)) / denominator
    return (max(0.0, centre - margin), min(1.0, centre + margin))


@dataclass(frozen=True)
class Share:
    """n of N with its 95% Wilson interval."""

    count: int
    total: int
    provisional_below: int = 0

    @property
    def provisional(self) -> bool:
        """True while there is some data but less than the threshold the caller set."""
        return 0 < self.total < self.provisional_below

    @property
    def has_data(self) -> bool:
        return self.total > 0

    @property
    def ratio(self) -> float | None:
        return self.count / self.total if self.total else None

    @property
    def percent(self) -> int | None:
        return round(100 * self.count / self.total) if self.total else None

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.count, self.total)

    @property
    def interval_percent(self) -> tuple[int, int]:
        low, high = self.interval
        return (round(100 * low), round(100 * high))

    def overlaps(self, other: "Share") -> bool:
        """True when the two 95% intervals overlap: too close to name a winner."""
        low, high = self.interval
        other_low, other_high = other.interval
        return low <= other_high and other_low <= high
