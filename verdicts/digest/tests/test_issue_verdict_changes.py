"""The digest's "verdicts that changed": the changes since the previous issue, each once, in
the web issue and both parts of the email, labelled as AI analysis."""

import pytest

from verdicts.catalog.tests.factories import ComparisonFactory, ToolFactory
from verdicts.digest.services.issues import NothingToBuild, issue_build
from verdicts.digest.services.outbox import issue_send
from verdicts.digest.tests.factories import SubscriberFactory
from verdicts.panel.models import ReviewSnapshot, VerdictChange
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def flip(tool, *, licence_after: str = "MIT") -> VerdictChange:
    """The skeptic said skip, then ship after the licence changed."""
    persona = PersonaFactory(slug=f"skeptic-{tool.pk}", name="Skeptic")
    before = ReviewFactory(
        tool=tool, persona=persona, verdict="skip", model_id="openai:gpt-4o", is_current=False
    )
    after = ReviewFactory(tool=tool, persona=persona, verdict="ship", model_id="openai:gpt-4o")
    ReviewSnapshot.objects.create(review=before, digest="a", facts={"licence": ""})
    ReviewSnapshot.objects.create(review=after, digest="b", facts={"licence": licence_after})
    return VerdictChange.objects.create(
        review=after,
        previous=before,
        tool=tool,
        persona=persona,
        verdict_before="skip",
        verdict_after="ship",
        ships_before=1,
        total_before=2,
        ships_after=2,
        total_after=2,
    )


def test_an_issue_carries_the_changes_since_the_last_one_even_without_comparisons(smtp, client):
    ComparisonFactory()
    flip(ToolFactory(name="Old Tool"))
    first = issue_build()
    assert [change["title"] for change in first.changes] == [
        "Skeptic now says ship on Old Tool (was skip)"
    ]
    change = flip(ToolFactory(name="Widget", slug="widget"))
    reader = SubscriberFactory()

    second = issue_build()
    assert second.items == [] and second.subject == "1 verdict changed"
    [item] = second.changes
    assert item["url"] == f"https://verdicts.example/tools/widget/#review-{change.review_id}"
    assert item["dossier"] == ["licence: not stated → MIT"] and item["kind"] == "ai"
    issue_send(number=second.number)
    [message] = smtp.to(reader.email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    web = client.get(f"/digest/{second.number}/").text
    for part in (text, html, web):
        assert "Verdicts that changed" in part
        assert "Skeptic now says ship on Widget (was skip)" in part
        assert "What changed in the dossier: licence: not stated → MIT." in part
        assert "Written by the model gpt-4o" in part and "AI analysis" in part
        assert "Old Tool" not in part
    assert "No new comparison; 1 verdict changed" in text
    with pytest.raises(NothingToBuild, match="no verdict changed since issue #2"):
        issue_build()
