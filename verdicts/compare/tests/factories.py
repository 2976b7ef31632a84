import factory
from django.utils import timezone

from verdicts.catalog.models import Comparison
from verdicts.catalog.tests.factories import ToolFactory


class ComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparison

    tool_a = factory.SubFactory(ToolFactory)
    tool_b = factory.SubFactory(ToolFactory)
    slug = factory.LazyAttribute(lambda c: f"{c.tool_a.slug}-vs-{c.tool_b.slug}")
    title = factory.LazyAttribute(lambda c: f"{c.tool_a.name} vs {c.tool_b.name}")
    published_at = factory.LazyFunction(timezone.now)
