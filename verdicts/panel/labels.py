"""Who wrote a review, said plainly: an AI reviewer (a model writing as a persona) or the
editors; and which model families a panel's reviews came from.

A model's family is the catalog vendor behind it, read from the audit suite's family table
(verdicts/panel/audit/suite_v1.toml), so the self-audit and the panel's guard agree.
"""

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from django.template.defaultfilters import date as date_format

from verdicts.llm.registry import ModelConfigError, model_parse
from verdicts.panel.audit.selectors import model_name
from verdicts.panel.audit.suite import model_vendor, suite_load
from verdicts.panel.models import Review

AI_BADGE = "AI reviewer"
EDITORIAL_BADGE = "Editorial"


def model_makers(model_id: str) -> frozenset[str]:
    """The catalog vendor slugs behind a model: its family's and its provider's ("anthropic:"
    serves only Anthropic's models). Empty when neither is known."""
    suite = suite_load()
    try:
        provider = model_parse(model_id)[0]
    except ModelConfigError:
        return frozenset()
    makers = {model_vendor(model_id, suite=suite), suite.providers.get(provider, "")}
    return frozenset(maker for maker in makers if maker)


def model_family(model_id: str) -> str:
    """What groups models of one maker: the family's vendor slug, else the model's own name."""
    suite = suite_load()
    try:
        return model_vendor(model_id, suite=suite) or model_name(model_id)
    except ModelConfigError:
        return model_name(model_id)


@dataclass(frozen=True)
class ReviewLabel:
    """How a review names its author: `kind` for machines, `badge` at a glance, `text` in full."""

    kind: Literal["ai", "editorial"]
    badge: str
    text: str


def day(moment: datetime.datetime) -> str:
    """The day as pages print it ("14 Nov 2026"), in the site's time zone."""
    return date_format(moment, "j M Y")


def review_label(review: Review) -> ReviewLabel:
    """The review's author in plain words: AI analysis with its model, prompt and date, or the
    editors with the date."""
    when = day(review.created_at)
    if review.is_editorial:
        return ReviewLabel(
            kind="editorial",
            badge=EDITORIAL_BADGE,
            text=f"Written by {review.author} · {when}. An editorial review by the Verdicts "
            "editors, not a model.",
        )
    prompt = f", prompt {review.prompt_version}" if review.prompt_version else ""
    return ReviewLabel(
        kind="ai",
        badge=AI_BADGE,
        text=(
            f"Written by the model {model_name(review.model_id)}{prompt} · {when}. AI analysis, "
            f"not a person's review: {review.persona.name} is an AI reviewer persona."
        ),
    )


@dataclass(frozen=True)
class PanelMakers:
    """The models behind a set of reviews, by name, and whether they share one family."""

    models: list[str]
    ai_reviews: int
    editorial_reviews: int
    single_family: bool


def panel_makers(reviews: Iterable[Review]) -> PanelMakers:
    """Which models wrote these reviews; single_family when two or more AI reviews all came
    from one maker's models (the panel then has no second opinion on that maker's bias)."""
    model_ids: list[str] = []
    ai = editorial = 0
    for review in reviews:
        if review.is_editorial:
            editorial += 1
            continue
        ai += 1
        if review.model_id not in model_ids:
            model_ids.append(review.model_id)
    families = {model_family(model_id) for model_id in model_ids}
    return PanelMakers(
        models=sorted({model_name(model_id) for model_id in model_ids}),
        ai_reviews=ai,
        editorial_reviews=editorial,
        single_family=ai >= 2 and len(families) == 1,
    )
