"""Community votes: ship or skip on a tool, a head-to-head pick on a comparison, and the
rankings a periodic job derives from them."""

import math

from django.db import models

from verdicts.catalog.models import Comparison, Tool

VOTER_KEY_LENGTH = 64
ADDRESS_HASH_LENGTH = 64


class ToolChoice(models.TextChoices):
    SHIP = "ship", "Ship"
    SKIP = "skip", "Skip"


class Pick(models.TextChoices):
    A = "a", "The first tool"
    B = "b", "The second tool"
    TIE = "tie", "Too close to call"


class VoteStatus(models.TextChoices):
    """Whether a vote is in the shown figures: counted, held by an abuse check, or voided."""

    COUNTED = "counted", "Counted"
    HELD = "held", "Held"
    VOIDED = "voided", "Voided"


class HoldReason(models.TextChoices):
    NONE = "", "Not held"
    BALLOTS = "ballots", "Too many ballots from the address on this target"
    NEW_VOTERS = "new_voters", "Too many new voters from the address today"


class VoteBase(models.Model):
    """Who voted (a signed-in user or an anonymous cookie id, as one key) and when.

    The client address is kept only as a keyed hash, for abuse checks. Only counted votes
    are in the figures readers see; held and voided ones are kept for editors.
    """

    voter_key = models.CharField(max_length=VOTER_KEY_LENGTH)
    address_hash = models.CharField(max_length=ADDRESS_HASH_LENGTH, blank=True)
    status = models.CharField(max_length=7, choices=VoteStatus.choices, default=VoteStatus.COUNTED)
    hold_reason = models.CharField(
        max_length=10, choices=HoldReason.choices, default=HoldReason.NONE, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class ToolVote(VoteBase):
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=4, choices=ToolChoice.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["tool", "voter_key"], name="tool_vote_one_per_voter")
        ]
        indexes = [
            models.Index(fields=["tool", "choice"]),
            models.Index(fields=["tool", "address_hash", "status"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.voter_key}: {self.choice} {self.tool_id}"


class PairVote(VoteBase):
    comparison = models.ForeignKey(Comparison, on_delete=models.CASCADE, related_name="votes")
    pick = models.CharField(max_length=3, choices=Pick.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comparison", "voter_key"], name="pair_vote_one_per_voter"
            )
        ]
        indexes = [
            models.Index(fields=["comparison", "pick"]),
            models.Index(fields=["comparison", "address_hash", "status"]),
            models.Index(fields=["updated_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.voter_key}: {self.pick} on {self.comparison_id}"


# How far ahead of the database clock a tally trigger stamps `changed_at` (migration 0006):
# the stamp is taken inside the vote's transaction, before its commit, so it must lie beyond
# the commit for a page read before the commit to count as older than the vote. A vote whose
# transaction outlasts the lead stamps its pages again after the commit (services/casting.py).
TALLY_STAMP_LEAD_SECONDS = 0.5
CHANGED_AT_HELP = (
    "When the counts last changed, plus TALLY_STAMP_LEAD_SECONDS: seconds since the epoch on "
    "the database clock, kept by the triggers; the page cache reads it as the target's stamp."
)


class ToolVoteTally(models.Model):
    """The counted votes on one tool, kept by database triggers on ToolVote (migration 0004):
    every insert, change and delete of a vote row adjusts it in the same statement, whichever
    code wrote the row, so the shown figures are one row read at any number of votes."""

    tool = models.OneToOneField(Tool, on_delete=models.CASCADE, primary_key=True, related_name="+")
    ship = models.IntegerField(default=0)
    skip = models.IntegerField(default=0)
    changed_at = models.FloatField(db_default=0.0, help_text=CHANGED_AT_HELP)

    class Meta:
        indexes = [models.Index(fields=["changed_at"])]

    def __str__(self) -> str:
        return f"{self.tool_id}: {self.ship} ship, {self.skip} skip"


class PairVoteTally(models.Model):
    """The counted picks on one comparison, kept by triggers on PairVote like ToolVoteTally."""

    comparison = models.OneToOneField(
        Comparison, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    a = models.IntegerField(default=0)
    b = models.IntegerField(default=0)
    tie = models.IntegerField(default=0)
    changed_at = models.FloatField(db_default=0.0, help_text=CHANGED_AT_HELP)

    class Meta:
        indexes = [models.Index(fields=["changed_at"])]

    def __str__(self) -> str:
        return f"{self.comparison_id}: {self.a} a, {self.b} b, {self.tie} tie"


class AnonymousVoter(models.Model):
    """An anonymous id as first seen voting: from which address, and whether it was over that
    address's daily cap of new voters (then every vote it casts is held). A trigger records it
    with the voter's first stored vote that has an address (migration 0004)."""

    voter_key = models.CharField(max_length=VOTER_KEY_LENGTH, unique=True)
    address_hash = models.CharField(max_length=ADDRESS_HASH_LENGTH, blank=True)
    held = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["address_hash", "created_at"])]

    def __str__(self) -> str:
        return self.voter_key


class VoteReceipt(models.Model):
    """The answer given to one idempotency key, so that a replay gets the same answer."""

    voter_key = models.CharField(max_length=VOTER_KEY_LENGTH)
    key = models.CharField(max_length=100)
    fingerprint = models.CharField(max_length=64, help_text="SHA-256 of what was asked.")
    answer = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["voter_key", "key"], name="vote_receipt_one_per_key")
        ]

    def __str__(self) -> str:
        return f"{self.voter_key}: {self.key}"


class RankingEntry(models.Model):
    """One tool's place in a stored ranking; the whole set is replaced by each recompute."""

    class Method(models.TextChoices):
        HEAD_TO_HEAD = "h2h", "Head-to-head (Bradley-Terry)"
        SHIP_SHARE = "ship", "Ship share (Wilson lower bound)"

    method = models.CharField(max_length=4, choices=Method.choices)
    scope = models.SlugField(blank=True, help_text="A category's slug; blank for all tools.")
    tool = models.ForeignKey(Tool, on_delete=models.CASCADE, related_name="+")
    rank = models.PositiveIntegerField()
    position = models.PositiveIntegerField()
    score = models.FloatField()
    low = models.FloatField()
    high = models.FloatField()
    votes = models.PositiveIntegerField()
    wins = models.FloatField(default=0)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["method", "scope", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["method", "scope", "tool"], name="ranking_entry_one_per_tool"
            )
        ]
        indexes = [models.Index(fields=["scope", "method", "position"])]

    def __str__(self) -> str:
        return f"{self.method} #{self.rank} {self.tool_id}"

    @property
    def percents(self) -> tuple[int, int, int]:
        """Score, low and high as percentages: the ship share, or for head-to-head the chance
        of being picked over a tool of average strength."""
        if self.method == self.Method.HEAD_TO_HEAD:
            values = [1 / (1 + math.exp(-value)) for value in (self.score, self.low, self.high)]
        else:
            values = [self.score, self.low, self.high]
        return tuple(round(100 * value) for value in values)
