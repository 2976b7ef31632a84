"""Embeddings, then each new or changed tool's closest published rival as a draft comparison."""

from django.db import transaction

from verdicts.catalog.models import Comparison, Tool
from verdicts.catalog.services import comparison_create, tool_category_set
from verdicts.daily.runs import DailyContext
from verdicts.daily.steps import EMBEDDINGS, RIVALS
from verdicts.daily.steps.intake import tools_touched
from verdicts.ingest.review import is_placeholder_category
from verdicts.similar.selectors import tool_category_guess, tool_closest_rival
from verdicts.similar.services import tool_embeddings_refresh


def embeddings_step(context: DailyContext) -> None:
    """Embed every tool whose text changed since its last embedding."""
    if context.is_done(EMBEDDINGS, "all"):
        return
    refresh = tool_embeddings_refresh(tool_ids=None)
    context.say(f"embeddings: {refresh.embedded} embedded, {refresh.unchanged} unchanged")
    context.record(
        EMBEDDINGS, "all", data={"embedded": refresh.embedded, "unchanged": refresh.unchanged}
    )


def category_settle(*, tool: Tool) -> tuple[Tool, dict]:
    """File a tool imported without a category where its nearest published tools are, and
    embed it again (its category is part of its text); what was done."""
    if not is_placeholder_category(tool):
        return tool, {}
    guess = tool_category_guess(tool=tool)
    if guess is None:
        return tool, {"category": "left uncategorised: its nearest tools do not agree"}
    tool = tool_category_set(tool=tool, category=guess.category)
    tool_embeddings_refresh(tool_ids=[tool.pk])
    return tool, {"category": guess.note}


def rival_draft(*, tool: Tool) -> dict:
    """Draft the comparison of a tool with its closest published rival; what happened, why."""
    tool, filed = category_settle(tool=tool)
    alternative = tool_closest_rival(tool=tool)
    if alternative is None:
        return filed | {"note": "no published rival above the similarity threshold"}
    rival = alternative.tool
    found = filed | {"rival": rival.slug, "score": round(alternative.score, 3)}
    existing = Comparison.objects.filter(tool_a__in=[tool, rival], tool_b__in=[tool, rival]).first()
    if existing is not None:
        return found | {"note": f"already compared in {existing.slug}"}
    comparison = comparison_create(tool_a=tool, tool_b=rival)
    return found | {
        "reasons": list(alternative.reasons),
        "comparison_id": comparison.pk,
        "comparison": comparison.slug,
        "note": f"drafted {comparison.slug}",
    }


def rivals_step(context: DailyContext) -> None:
    for slug in tools_touched(context=context):
        tool = Tool.objects.filter(slug=slug).first()
        if tool is None or context.is_done(RIVALS, slug):
            continue
        try:
            # The comparison and its item commit together: a kill never drafts a pair twice.
            with transaction.atomic():
                data = rival_draft(tool=tool)
                context.record(RIVALS, slug, data=data)
        except Exception as error:
            context.error(RIVALS, slug, error)
            continue
        context.say(f"rivals {slug}: {data['note']}")
