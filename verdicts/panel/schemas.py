"""What a persona must return: Pydantic types, validated before anything is stored."""

import re
from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, create_model, field_validator

REVIEW_MIN_WORDS = 80
REVIEW_MAX_WORDS = 140
SHORT = {"min_length": 3, "max_length": 600}


class Lens(BaseModel):
    model_config = ConfigDict(extra="forbid")


class BuilderLens(Lens):
    primitive: str = Field(description="The building block the tool really gives you.", **SHORT)
    developer_experience_bet: str = Field(
        description="The bet it makes on how developers want to work.", **SHORT
    )
    first_ten_minutes: str = Field(description="What the first ten minutes feel like.", **SHORT)


class SkepticLens(Lens):
    competitors: str = Field(description="The direct competitors, named.", **SHORT)
    where_it_breaks: str = Field(description="The real workload that breaks it first.", **SHORT)
    what_kills_it: str = Field(description="What kills it within twelve months.", **SHORT)
    what_would_prove_it_wrong: str = Field(
        description="The evidence that would prove the skeptic wrong.", **SHORT
    )


class FuturistLens(Lens):
    thesis: str = Field(description="The claim about the future the tool rides on.", **SHORT)
    dependencies: str = Field(description="What has to hold for the thesis.", **SHORT)
    second_order_effect: str = Field(description="What changes downstream if it wins.", **SHORT)
    timing: str = Field(description="Early, on time or late, and why.", **SHORT)


class OperatorLens(Lens):
    buyer: str = Field(description="Who signs the cheque.", **SHORT)
    moat: str = Field(description="What keeps rivals out, if anything.", **SHORT)
    viability: str = Field(description="Whether the business behind it lasts.", **SHORT)


class OpenLens(Lens):
    """For a persona an editor added without a lens type of its own."""

    answers: list[str] = Field(
        description="One answer per lens question, in order.", min_length=1, max_length=8
    )


LENSES: dict[str, type[Lens]] = {
    "builder": BuilderLens,
    "skeptic": SkepticLens,
    "futurist": FuturistLens,
    "operator": OperatorLens,
}


def word_count(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(re.findall(r"\S+", text))


def words_used(text: str, words: list[str]) -> list[str]:
    """Which of these words or phrases the text uses, as whole words, ignoring case."""
    return [
        word
        for word in words
        if word.strip() and re.search(rf"\b{re.escape(word.strip())}\b", text, re.IGNORECASE)
    ]


class ReviewBase(BaseModel):
    model_config = ConfigDict(extra="forbid")

    verdict: Literal["ship", "skip"] = Field(description="Ship or skip.")
    confidence: float = Field(ge=0, le=1, description="How sure, from 0 to 1.")
    review: str = Field(description=f"{REVIEW_MIN_WORDS} to {REVIEW_MAX_WORDS} words.")
    evidence: list[str] = Field(
        min_length=1,
        max_length=4,
        description="Short quotes copied word for word from the dossier.",
    )

    @field_validator("review")
    @classmethod
    def review_length(cls, value: str) -> str:
        count = word_count(value)
        if not REVIEW_MIN_WORDS <= count <= REVIEW_MAX_WORDS:
            raise ValueError(
                f"the review has {count} words; write {REVIEW_MIN_WORDS} to {REVIEW_MAX_WORDS}"
            )
        return value.strip()

    @field_validator("evidence")
    @classmethod
    def quotes_are_short(cls, value: list[str]) -> list[str]:
        quotes = [quote.strip() for quote in value if quote.strip()]
        if not quotes:
            raise ValueError("give at least one quote from the dossier")
        if any(len(quote) > 300 for quote in quotes):
            raise ValueError("each quote must be under 300 characters")
        return quotes


@cache
def review_output_type(persona_slug: str) -> type[ReviewBase]:
    """The output type for a persona: the shared fields plus its lens's own."""
    lens = LENSES.get(persona_slug, OpenLens)
    name = f"{lens.__name__.removesuffix('Lens')}Review"
    return create_model(name, __base__=ReviewBase, lens=(lens, Field(description="Lens fields.")))


class HeadToHead(BaseModel):
    model_config = ConfigDict(extra="forbid")

    pick: Literal["first", "second"] = Field(description="The tool you would ship with.")
    for_whom: str = Field(description="The builder your pick suits.", min_length=3, max_length=300)
    reason: str = Field(description="Why, in two or three sentences.", min_length=3, max_length=900)
