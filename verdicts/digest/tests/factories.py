import factory

from verdicts.catalog.tests.factories import ComparisonFactory
from verdicts.digest.models import Subscriber
from verdicts.panel.models import Verdict
from verdicts.panel.tests.factories import PersonaFactory, ReviewFactory


class SubscriberFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Subscriber

    email = factory.Sequence(lambda n: f"reader{n}@example.com")
    status = Subscriber.Status.CONFIRMED


def reviewed_comparison(**kwargs):
    """A comparison that two personas have reviewed, one of them split."""
    comparison = ComparisonFactory(**kwargs)
    builder = PersonaFactory(slug="builder", name="The Builder")
    skeptic = PersonaFactory(slug="skeptic", name="The Skeptic")
    a, b = comparison.tools
    ReviewFactory(tool=a, persona=builder, body="Ships fast. Docs are thin.")
    ReviewFactory(tool=b, persona=builder, verdict=Verdict.SKIP, body="Too slow for us.")
    ReviewFactory(tool=a, persona=skeptic, verdict=Verdict.SKIP, body="Lock-in risk is real!")
    ReviewFactory(tool=b, persona=skeptic, verdict=Verdict.SKIP, body="Unproven at scale.")
    return comparison
