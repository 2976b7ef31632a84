"""A reader's own weights for the panel's lenses, and the panel share they give.

Pure arithmetic: no queries. A weighted share keeps an honest interval by counting the effective
number of reviews, n_eff = (sum w)^2 / sum w^2 (Kish), and giving that to the same Wilson
interval the unweighted share uses: uneven weights shrink n_eff and widen the interval.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction

from verdicts.common.share import wilson_interval

WEIGHT_CHOICES = (0, 1, 2, 3)
DEFAULT_WEIGHT = 1


@dataclass(frozen=True)
class LensWeights:
    """A weight for each persona slug; `notice` says why the reader's weights were set aside."""

    weights: dict[str, int]
    notice: str = ""

    @property
    def equal(self) -> bool:
        return len(set(self.weights.values())) <= 1

    def of(self, slug: str) -> int:
        return self.weights.get(slug, DEFAULT_WEIGHT)


def lens_weights_default(*, personas: Iterable[str], notice: str = "") -> LensWeights:
    return LensWeights(weights={slug: DEFAULT_WEIGHT for slug in personas}, notice=notice)


def lens_weights_parse(*, pairs: Iterable[tuple[str, str]], personas: Iterable[str]) -> LensWeights:
    """Weights from (persona slug, text) pairs; a lens not given keeps the default weight.

    Anything unusable (an unknown lens, a lens given twice, a weight outside 0 to 3, every
    weight 0) gives the default weights with a one-line notice, never an error.
    """
    slugs = list(personas)
    weights = {slug: DEFAULT_WEIGHT for slug in slugs}
    choices = ", ".join(str(choice) for choice in WEIGHT_CHOICES)
    seen: set[str] = set()
    for slug, text in pairs:
        notice = ""
        value = text.strip()
        if slug not in weights:
            notice = f'No lens "{slug[:40]}" on this comparison.'
        elif slug in seen:
            notice = f'The lens "{slug}" is weighted twice.'
        elif value not in {str(choice) for choice in WEIGHT_CHOICES}:
            notice = f'A lens weight is one of {choices}; got "{value[:20]}".'
        if notice:
            return lens_weights_default(personas=slugs, notice=notice)
        seen.add(slug)
        weights[slug] = int(value)
    if slugs and not any(weights.values()):
        return lens_weights_default(
            personas=slugs, notice="At least one lens must weigh more than 0."
        )
    return LensWeights(weights=weights)


def lens_weights_split(*, text: str) -> list[tuple[str, str]]:
    """ "builder:2,skeptic:0" as [("builder", "2"), ("skeptic", "0")]; empty text, no pairs."""
    if not text.strip():
        return []
    pairs = []
    for part in text.split(","):
        slug, _, weight = part.partition(":")
        pairs.append((slug.strip(), weight))
    return pairs


@dataclass(frozen=True)
class WeightedShare:
    """A ship share where each review counts with its lens's weight."""

    reviews: int
    ship_weight: int
    total_weight: int
    square_weight: int

    @property
    def has_data(self) -> bool:
        return self.total_weight > 0

    @property
    def ratio(self) -> float | None:
        return self.ship_weight / self.total_weight if self.has_data else None

    @property
    def percent(self) -> int | None:
        ratio = self.ratio
        return None if ratio is None else round(100 * ratio)

    @property
    def effective_reviews(self) -> float:
        """n_eff = (sum w)^2 / sum w^2: the reviews equal weights would need for this certainty."""
        if not self.has_data:
            return 0.0
        return float(Fraction(self.total_weight**2, self.square_weight))

    @property
    def interval(self) -> tuple[float, float]:
        if not self.has_data:
            return wilson_interval(0, 0)
        # share * n_eff, kept exact so that equal weights give the unweighted counts exactly.
        ships = Fraction(self.ship_weight * self.total_weight, self.square_weight)
        return wilson_interval(float(ships), self.effective_reviews)

    @property
    def interval_percent(self) -> tuple[int, int]:
        low, high = self.interval
        return (round(100 * low), round(100 * high))

    def overlaps(self, other: "WeightedShare") -> bool:
        """True when the two 95% intervals overlap: too close to name a winner."""
        low, high = self.interval
        other_low, other_high = other.interval
        return low <= other_high and other_low <= high


def weighted_share(*, verdicts: Iterable[tuple[int, bool]]) -> WeightedShare:
    """The share from (weight, says ship) pairs, one a review."""
    reviews, ships, total, squares = 0, 0, 0, 0
    for weight, ship in verdicts:
        reviews += 1
        total += weight
        squares += weight * weight
        ships += weight if ship else 0
    return WeightedShare(
        reviews=reviews, ship_weight=ships, total_weight=total, square_weight=squares
    )
