"""A compact snapshot of a dossier, kept with each panel review, and the difference between two.

The snapshot keeps what a reader would want told ("the price changed", "the licence is now
MIT"), not the dossier's text: a description or a document is kept as a hash or a date.
"""

import hashlib
import json
from dataclasses import dataclass

from verdicts.panel.dossier import Dossier

SNAPSHOT_VERSION = 1
# Fields kept as they read, with the words a change is told in and what kind of change it is.
PLAIN_FIELDS = (
    ("name", "name", "identity"),
    ("vendor", "vendor", "identity"),
    ("category", "category", "identity"),
    ("tagline", "tagline", "description"),
    ("licence", "licence", "licence"),
    ("open_weights", "open weights", "licence"),
    ("launched", "launch date", "availability"),
    ("homepage", "homepage", "availability"),
    ("verification", "registry verification", "availability"),
)


@dataclass(frozen=True)
class DossierChange:
    """One thing that changed in the dossier between two reviews, in words."""

    kind: str  # pricing, licence, availability, description, documentation, facts, identity
    text: str


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def plan_key(line: str) -> str:
    """A plan line's name and kind ("Pro (Subscription)"): the part before its first ";"."""
    return line.split(";", 1)[0].strip()


def verification_state(dossier: Dossier) -> str:
    if dossier.provenance is None:
        return ""
    if not dossier.provenance.checks:
        return "unchecked"
    failed = any(not check.found for check in dossier.provenance.checks)
    return "unverified" if failed else "verified"


def dossier_snapshot(dossier: Dossier) -> dict:
    """What the dossier held, as JSON-ready facts."""
    plans: dict[str, str] = {}
    for line in dossier.plans:
        key = plan_key(line)
        while key in plans:
            key += " (another)"
        plans[key] = line
    return {
        "v": SNAPSHOT_VERSION,
        "name": dossier.name,
        "vendor": dossier.vendor,
        "category": dossier.category,
        "tagline": dossier.tagline,
        "licence": dossier.licence,
        "open_weights": "yes" if dossier.open_weights else "no",
        "launched": dossier.launch_date,
        "homepage": dossier.homepage,
        "verification": verification_state(dossier),
        "description": text_hash(dossier.description),
        "facts": dict(dossier.facts),
        "plans": plans,
        "documents": {document.title: document.updated for document in dossier.documents},
    }


def snapshot_digest(facts: dict) -> str:
    return hashlib.sha256(json.dumps(facts, sort_keys=True).encode()).hexdigest()


def stated(value: str) -> str:
    return value if value else "not stated"


def mapping_changes(
    before: dict, after: dict, *, noun: str, kind: str, show_values: bool = True
) -> list[DossierChange]:
    """Added, removed and changed entries of one keyed part of the snapshot."""
    changes = []
    for key in [*before, *(key for key in after if key not in before)]:
        old, new = before.get(key), after.get(key)
        if old == new:
            continue
        if old is None:
            text = f"{noun} added: {key}" + (f" ({new})" if show_values and new else "")
        elif new is None:
            text = f"{noun} removed: {key}"
        elif show_values:
            text = f"{noun} {key}: {stated(old)} → {stated(new)}"
        else:
            text = f"{noun} updated: {key}"
        changes.append(DossierChange(kind=kind, text=text))
    return changes


def plan_terms(line: str) -> str:
    """A plan line without its name: its prices and terms."""
    return line.split(";", 1)[1].strip() if ";" in line else ""


def snapshot_changes(before: dict, after: dict) -> list[DossierChange]:
    """What changed between two snapshots, pricing first; [] when nothing did."""
    plans_before = {key: plan_terms(line) for key, line in before.get("plans", {}).items()}
    plans_after = {key: plan_terms(line) for key, line in after.get("plans", {}).items()}
    changes = mapping_changes(plans_before, plans_after, noun="pricing plan", kind="pricing")
    for field, words, kind in PLAIN_FIELDS:
        old, new = before.get(field, ""), after.get(field, "")
        if old != new:
            changes.append(DossierChange(kind=kind, text=f"{words}: {stated(old)} → {stated(new)}"))
    if before.get("description") != after.get("description"):
        changes.append(DossierChange(kind="description", text="description rewritten"))
    changes += mapping_changes(
        before.get("facts", {}), after.get("facts", {}), noun="fact", kind="facts"
    )
    changes += mapping_changes(
        before.get("documents", {}),
        after.get("documents", {}),
        noun="documentation",
        kind="documentation",
        show_values=False,
    )
    return changes
