"""The things Verdicts is about: tools, their vendors, categories, prices and comparisons."""

from verdicts.catalog.models.comparisons import DEFAULT_QUESTION, Comparison, ComparisonQuerySet
from verdicts.catalog.models.plans import (
    MONEY,
    PRICE_FIELDS,
    PRICE_SPECS,
    PlanPrice,
    PlanPrices,
    PriceField,
    PriceValue,
    PricingPlan,
)
from verdicts.catalog.models.starter import StarterItem
from verdicts.catalog.models.tiers import (
    FREE_PLAN_KINDS,
    EntryTier,
    PlanKind,
    entry_tier_from_plan_kinds,
)
from verdicts.catalog.models.tools import Category, Tool, ToolFacet, ToolQuerySet, Vendor

__all__ = [
    "DEFAULT_QUESTION",
    "FREE_PLAN_KINDS",
    "MONEY",
    "PRICE_FIELDS",
    "PRICE_SPECS",
    "Category",
    "Comparison",
    "ComparisonQuerySet",
    "EntryTier",
    "PlanKind",
    "PlanPrice",
    "PlanPrices",
    "PriceField",
    "PriceValue",
    "PricingPlan",
    "StarterItem",
    "Tool",
    "ToolFacet",
    "ToolQuerySet",
    "Vendor",
    "entry_tier_from_plan_kinds",
]
