"""The digest says who wrote each quoted review: an AI reviewer with its model, or the editors,
on the web issue and in both parts of the email."""

import pytest

from verdicts.digest.services.issues import issue_build
from verdicts.digest.services.outbox import issue_send
from verdicts.digest.tests.factories import SubscriberFactory, reviewed_comparison
from verdicts.panel.models import Review

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def https_site(settings):
    settings.SITE_URL = "https://verdicts.example"


def test_each_quoted_line_is_labelled_ai_or_editorial_everywhere(smtp, client):
    comparison = reviewed_comparison()
    # The skeptic's reviews were written by a model on a private server.
    Review.objects.filter(persona__slug="skeptic").update(
        model_id="http://10.1.2.3:8080/v1#qwen2.5-7b", prompt_version="review.1"
    )
    reader = SubscriberFactory()
    issue = issue_build()
    kinds = {line["persona"]: line["kind"] for line in issue.items[0]["lines"]}
    assert kinds == {"The Builder": "editorial", "The Skeptic": "ai"}
    issue_send(number=issue.number)

    [message] = smtp.to(reader.email)
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    web = client.get(f"/digest/{issue.number}/").text
    assert comparison.title in web
    for part in (text, html, web):
        assert "Written by the model qwen2.5-7b, prompt review.1" in part
        assert "The Skeptic is an AI reviewer persona" in part
        assert "An editorial review by the Verdicts editors, not a model." in part
        assert "10.1.2.3" not in part
    assert "- The Skeptic [AI reviewer]" in text and "- The Builder [Editorial]" in text
