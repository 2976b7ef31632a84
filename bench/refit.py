"""The rankings refit's bootstrap: the plain Python fit it had against the numpy one, one run.

No database: a generated league shaped like the load run's (`bench/scale.py --votes 10000000
--comparisons 2000`): --pairs comparisons between tools of a dozen categories, half of
--votes votes as picks on them, spread unevenly. Times `head_to_head_ranking` (the point fit
and --samples resamples) and the same fit and bootstrap done the plain way (the reference in
verdicts/votes/tests/test_ranking_vectorised.py), and prints both with their ratio and the
largest difference between their point fits.

Run: .venv/bin/python bench/refit.py [--pairs 2000] [--votes 10000000] [--samples 20]
"""

import argparse
import math
import random
import sys
import time
from pathlib import Path


def league(*, pairs: int, picks: int, seed: int = 0):
    from verdicts.votes.ranking import Game

    rng = random.Random(seed)
    tools = [(f"tool-{n}", n % 12, rng.gauss(0, 1)) for n in range(int(pairs * 1.5))]
    by_category = [[tool for tool in tools if tool[1] == c] for c in range(12)]
    weights = [rng.paretovariate(1.2) for _ in range(pairs)]
    scale = picks / sum(weights)
    games = []
    for weight in weights:
        (a, _, strength_a), (b, _, strength_b) = rng.sample(rng.choice(by_category), 2)
        n = max(1, round(weight * scale))
        share_a = 1 / (1 + math.exp(strength_b - strength_a))
        ties = round(n * 0.05)
        wins_a = round((n - ties) * share_a)
        games.append(Game(a, b, wins_a, n - ties - wins_a, ties))
    return games


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--pairs", type=int, default=2_000)
    parser.add_argument("--votes", type=int, default=10_000_000)
    parser.add_argument("--samples", type=int, default=20)
    args = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from verdicts.votes.ranking import bradley_terry, head_to_head_ranking
    from verdicts.votes.tests.test_ranking_vectorised import plain_fit, plain_intervals

    games = league(pairs=args.pairs, picks=args.votes // 2)
    started = time.perf_counter()
    ranked = head_to_head_ranking(games, samples=args.samples)
    numpy_s = time.perf_counter() - started
    started = time.perf_counter()
    plain = plain_fit(games)
    plain_intervals(games, samples=args.samples, seed=0)
    plain_s = time.perf_counter() - started
    fit = bradley_terry(games)
    worst = max(abs(fit[player] - plain[player]) for player in plain)
    print(
        f"{len(games)} pairs, {sum(g.total for g in games):,} picks, {len(ranked)} tools,"
        f" {args.samples} resamples: plain {plain_s:.2f} s, numpy {numpy_s:.2f} s"
        f" ({plain_s / numpy_s:.1f}x); point fits differ by at most {worst:.1e}"
    )


if __name__ == "__main__":
    main()
