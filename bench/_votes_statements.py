"""The statements one vote takes through the API, for bench/votes.py (run in its child)."""


def statements_per_vote(*, slug: str) -> dict[str, dict[str, int]]:
    """The SQL statements of a new vote, a flip, a replay and a withdraw through the API, by one
    new voter under the site's own settings: the vote's own, the transaction control
    (BEGIN/COMMIT/savepoints) and the rate limiter's (its counter table when REDIS_URL is
    unset). The page stamps cost none: the tally triggers move them within the vote's own
    statement (verdicts/votes/stamps.py); a vote that outlasted their lead would stamp once
    more after its commit, among the vote's own."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(REMOTE_ADDR="198.51.100.250", HTTP_HOST="127.0.0.1")
    counts = {}
    for name, choice, key in (
        ("new", "ship", "s-1"),
        ("flip", "skip", "s-2"),
        ("replay", "skip", "s-2"),
        ("withdraw", "none", "s-3"),
    ):
        with CaptureQueriesContext(connection) as captured:
            response = client.post(
                f"/api/votes/tools/{slug}",
                {"choice": choice},
                "application/json",
                headers={"Idempotency-Key": key},
            )
        if response.status_code != 200:
            raise RuntimeError(f"{name}: {response.status_code} {response.content[:200]}")
        kinds = {"vote": 0, "transaction": 0, "rate limiter": 0}
        for query in captured.captured_queries:
            sql = query["sql"].lstrip().upper()
            if "COMMON_RATECOUNTER" in sql:
                kinds["rate limiter"] += 1
            elif sql.startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")):
                kinds["transaction"] += 1
            else:
                kinds["vote"] += 1
        counts[name] = kinds
    return counts
