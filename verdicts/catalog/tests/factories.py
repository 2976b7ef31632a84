import factory
from django.utils import timezone

from verdicts.catalog.models import Category, Comparison, PlanKind, PricingPlan, Tool, Vendor


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"category-{n}")
    name = factory.Sequence(lambda n: f"Category {n}")


class VendorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Vendor
        django_get_or_create = ["slug"]

    slug = factory.Sequence(lambda n: f"vendor-{n}")
    name = factory.Sequence(lambda n: f"Vendor {n}")


class ToolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tool

    slug = factory.Sequence(lambda n: f"tool-{n}")
    name = factory.Sequence(lambda n: f"Tool {n}")
    category = factory.SubFactory(CategoryFactory)
    vendor = factory.SubFactory(VendorFactory)
    tagline = "A tool for tests"
    description = "A tool that exists only in tests."
    status = Tool.Status.PUBLISHED


class PricingPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PricingPlan

    tool = factory.SubFactory(ToolFactory)
    name = factory.Sequence(lambda n: f"Plan {n}")
    kind = PlanKind.FREE


class ComparisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comparison

    tool_a = factory.SubFactory(ToolFactory)
    tool_b = factory.SubFactory(ToolFactory)
    slug = factory.LazyAttribute(lambda c: f"{c.tool_a.slug}-vs-{c.tool_b.slug}")
    title = factory.LazyAttribute(lambda c: f"{c.tool_a.name} vs {c.tool_b.name}")
    published_at = factory.LazyFunction(timezone.now)
