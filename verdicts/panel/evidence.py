"""The evidence checks on a review: its quotes must be in the dossier, and its persona must
keep to its voice. They run twice: as the model's retry prompt, then as flags on what is kept."""

from dataclasses import dataclass

from verdicts.panel.dossier import quotes_unverified
from verdicts.panel.schemas import ReviewBase, words_used


@dataclass(frozen=True)
class EvidenceCheck:
    """What a review is checked against: the dossier it was given and the persona's banned words."""

    source: str
    never_says: tuple[str, ...]

    def problems(self, review: ReviewBase) -> list[str]:
        """What to tell the model, one message per kind of problem; empty when the review holds."""
        problems = []
        unverified = quotes_unverified(review.evidence, source=self.source)
        if unverified:
            listed = "; ".join(repr(quote) for quote in unverified)
            problems.append(
                f"These evidence quotes are not in the dossier: {listed}. Copy each quote word "
                "for word from the dossier, or leave it out."
            )
        off_voice = words_used(review.review, list(self.never_says))
        if off_voice:
            problems.append(
                f"The review uses words this persona never says: {', '.join(off_voice)}. "
                "Rewrite it without them."
            )
        return problems

    def flags(self, review: ReviewBase) -> list[dict[str, str]]:
        """The flags stored on a review that still fails its checks after the model's retries."""
        unverified = quotes_unverified(review.evidence, source=self.source)
        off_voice = words_used(review.review, list(self.never_says))
        return [{"kind": "unverified_quote", "quote": quote} for quote in unverified] + [
            {"kind": "never_says", "word": word} for word in off_voice
        ]
