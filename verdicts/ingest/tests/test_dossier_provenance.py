"""What ingest knows of a tool's facts reaches the panel: each fact's source and read date, the
verification state and the conflicts, inside the dossier block."""

import pytest
from pydantic_ai.messages import UserPromptPart

from testkit.ingest import READ_AT, registry_check_add
from testkit.panel import review_answer
from verdicts.catalog.models import Tool
from verdicts.catalog.tests.factories import ToolFactory
from verdicts.ingest.importers import Sourced, ToolFacts
from verdicts.ingest.intake import tool_facts_import
from verdicts.panel.dossier import CLOSE, OPEN, dossier_render
from verdicts.panel.models import Review
from verdicts.panel.selectors import dossier_for_tool
from verdicts.panel.services.jobs import panel_job_execute
from verdicts.panel.services.runs import panel_run_create

PYPI = "https://pypi.org/pypi/widget/json"
HUB = "https://huggingface.co/api/models/acme/widget"
GITHUB_CHECK = "https://api.github.com/repos/acme/widget"
MISSING = "GitHub has no repository acme/widget"


def read(value, url=PYPI):
    return Sourced(value=value, source_url=url, read_at=READ_AT)


def body_of(tool) -> str:
    block = dossier_render(dossier_for_tool(tool=tool), max_chars=9000)
    return block.removeprefix(OPEN + "\n").removesuffix("\n" + CLOSE)


@pytest.mark.django_db
def test_the_dossier_gives_each_facts_source_the_verification_and_the_conflicts():
    tool = ToolFactory(
        name="Widget", slug="widget", licence="Apache-2.0", facts={"parameters": "3B"}
    )
    tool_facts_import(
        facts=ToolFacts(
            target="pypi:widget",
            name=read("Widget"),
            slug_hint="widget",
            licence=read("MIT"),
            extra={"parameters": read("7B", url=HUB)},
        )
    )
    registry_check_add(tool, checked_url=GITHUB_CHECK)
    tool.refresh_from_db()
    updated = tool.updated_at.date().isoformat()

    body = body_of(tool)

    assert f"verification: unverified: {MISSING} (checked 2026-12-01 at {GITHUB_CHECK})" in body
    assert (
        f"- licence: the Verdicts editors (updated {updated}) say Apache-2.0; "
        f"{PYPI} (read 2026-12-01) says MIT"
    ) in body
    assert f"- parameters: the Verdicts editors (updated {updated}) say 3B; {HUB}" in body
    assert f"- licence: MIT (source: {PYPI}; read 2026-12-01)" in body
    assert f"- parameters: 7B (source: {HUB}; read 2026-12-01)" in body
    assert body.index("- parameters: 3B") < body.index("verification:")


@pytest.mark.django_db
def test_an_editorial_tool_is_unchecked_and_its_facts_are_the_editors(starter):
    tool = Tool.objects.get(slug="smolvlm-3b")
    body = body_of(tool)
    assert "verification: unchecked (no registry was asked about this tool)" in body
    assert (
        "fact sources: none imported; every fact above is from the Verdicts editors "
        f"(updated {tool.updated_at.date().isoformat()})."
    ) in body


@pytest.mark.django_db
def test_the_persona_reads_the_verification_inside_the_block_and_may_quote_it(
    script, builder, tool
):
    registry_check_add(tool, checked_url=GITHUB_CHECK)
    script.then(review_answer("builder", verdict="skip", quote=MISSING))
    run, _ = panel_run_create(tools=[tool], personas=[builder])
    panel_job_execute(job_id=run.jobs.get().pk, sleep=lambda seconds: None)

    [request] = script.seen[0][0]
    user = "".join(str(p.content) for p in request.parts if isinstance(p, UserPromptPart))
    inside = user[user.index(OPEN) : user.index(CLOSE)]
    assert f"verification: unverified: {MISSING}" in inside
    review = Review.objects.current().get(tool=tool, persona=builder)
    assert review.unverified_quotes == []
