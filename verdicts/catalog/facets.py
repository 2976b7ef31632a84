"""A tool's facet values, read from its own fields: what the /tools/ filters ask.

Licences, modalities and ways to deploy are written as prose ("Apache-2.0", "Image and text
input, text output", "On-device and edge"); each facet folds that prose into a few values so
the same filter means the same thing for every tool. A tool whose fields say nothing about a
facet has no value for it, and no filter on that facet lists it.
"""

import re
from collections.abc import Mapping

LICENCE = "licence"
MODALITY = "modality"
DEPLOYMENT = "deployment"

# Facet values and their labels, in the order a page offers them.
VALUES: dict[str, dict[str, str]] = {
    LICENCE: {
        "open-source": "Open source",
        "restricted": "Open but restricted",
        "proprietary": "Proprietary",
    },
    MODALITY: {
        "text": "Text",
        "image": "Images",
        "audio": "Audio and speech",
        "video": "Video",
        "code": "Code",
    },
    DEPLOYMENT: {
        "hosted": "Hosted service",
        "self-hosted": "Self-hosted",
        "on-device": "On device",
    },
}

# Licences the Open Source Initiative approves, by the start of their folded name.
OPEN_SOURCE_LICENCES = ("apache", "mit", "bsd", "gpl", "lgpl", "agpl", "mpl", "isc", "unlicense")
PROPRIETARY_WORDS = ("proprietary", "closed source", "all rights reserved")
# The facts whose values say what a tool reads and writes, and how it is run.
MODALITY_FACTS = ("modalities", "modality", "inputs", "input_features", "outputs")
DEPLOYMENT_FACTS = ("deployment", "runs_on", "platforms", "server", "availability", "access")
MODALITY_WORDS = {
    "text": ("text",),
    "image": ("image", "images", "photo", "photos", "vision", "screenshot", "screenshots"),
    "audio": ("audio", "speech", "voice", "voices"),
    "video": ("video", "videos"),
    "code": ("code",),
}
# A category says what its tools handle when their facts do not.
CATEGORY_MODALITIES = {
    "coding-assistants": ("code", "text"),
    "foundation-models": ("text",),
    "image-generation": ("image", "text"),
    "speech": ("audio",),
    "vision-language": ("image", "text"),
}
ON_DEVICE_WORDS = ("on-device", "device", "devices", "edge", "laptop", "phone", "phones", "cpu")
SELF_HOSTED_WORDS = ("self-hosted", "self-host", "on-prem", "on-premises", "local", "locally")
HOSTED_WORDS = ("hosted", "api", "cloud", "web", "saas")


def _words(text: str) -> set[str]:
    return set(re.findall(r"[a-z0-9]+(?:-[a-z0-9]+)*", text.casefold()))


def licence_kind(licence: str) -> str:
    """ "open-source", "restricted" (open weights or source under a licence with conditions),
    "proprietary", or "" when no licence is stated."""
    folded = licence.strip().casefold()
    if not folded:
        return ""
    if any(word in folded for word in PROPRIETARY_WORDS):
        return "proprietary"
    if re.match(rf"^({'|'.join(OPEN_SOURCE_LICENCES)})\b", folded.replace(" ", "-")):
        return "open-source"
    return "restricted"


def modalities(*, facts: Mapping[str, object], category_slug: str) -> set[str]:
    """What the tool reads or writes, from its modality facts, else from its category."""
    words: set[str] = set()
    for key in MODALITY_FACTS:
        words |= _words(str(facts.get(key, "")))
    found = {value for value, names in MODALITY_WORDS.items() if words & set(names)}
    return found or set(CATEGORY_MODALITIES.get(category_slug, ()))


def deployments(
    *, facts: Mapping[str, object], licence: str, open_weights: bool, category_slug: str
) -> set[str]:
    """How the tool can be run: as a vendor's hosted service, on your own servers, on a device."""
    words: set[str] = set()
    for key in DEPLOYMENT_FACTS:
        words |= _words(str(facts.get(key, "")))
    found = set()
    if words & set(ON_DEVICE_WORDS):
        found.add("on-device")
    kind = licence_kind(licence)
    if (
        open_weights
        or kind == "open-source"
        or category_slug == "inference-servers"
        or words & set(SELF_HOSTED_WORDS)
    ):
        found.add("self-hosted")
    if kind == "proprietary" or words & set(HOSTED_WORDS):
        found.add("hosted")
    return found


def facet_values(
    *,
    facts: Mapping[str, object],
    licence: str,
    open_weights: bool,
    category_slug: str,
) -> set[tuple[str, str]]:
    """Every (facet, value) pair a tool with these fields has."""
    pairs = {(MODALITY, value) for value in modalities(facts=facts, category_slug=category_slug)}
    pairs |= {
        (DEPLOYMENT, value)
        for value in deployments(
            facts=facts, licence=licence, open_weights=open_weights, category_slug=category_slug
        )
    }
    if kind := licence_kind(licence):
        pairs.add((LICENCE, kind))
    return pairs
