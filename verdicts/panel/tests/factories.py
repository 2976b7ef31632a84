import factory

from verdicts.catalog.tests.factories import ToolFactory
from verdicts.panel.models import Persona, Review, Verdict


class PersonaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Persona
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"persona-{n}")
    name = factory.Sequence(lambda n: f"Persona {n}")
    lens = "Judges tools in tests."
    position = factory.Sequence(lambda n: n)


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    tool = factory.SubFactory(ToolFactory)
    persona = factory.SubFactory(PersonaFactory)
    verdict = Verdict.SHIP
    body = "A review written for a test."
