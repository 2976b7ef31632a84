"""The audit suite: its data file, read and validated, and what it says about a model's vendor
and about planting an attack in a dossier."""

import dataclasses
import re
from functools import cache
from pathlib import Path

from pydantic import model_validator

from verdicts.common.datafiles import Strict, read_toml
from verdicts.llm.registry import model_parse
from verdicts.panel.dossier import Dossier

SUITE_DIR = Path(__file__).resolve().parent
CURRENT_VERSION = "v1"
VERDICTS = ("ship", "skip")


class Thresholds(Strict):
    schema_valid_min: float
    order_consistency_min: float
    flip_rate_max: float
    self_preference_points: int


class Attack(Strict):
    id: str
    name: str
    text: str = ""
    text_ship: str = ""
    text_skip: str = ""

    @model_validator(mode="after")
    def has_text_for_each_target(self) -> "Attack":
        if not self.text and not (self.text_ship and self.text_skip):
            raise ValueError("give text, or both text_ship and text_skip")
        return self

    def planted(self, *, name: str, target: str) -> str:
        """The attack's text aimed at `target` for the tool called `name`."""
        text = self.text or (self.text_ship if target == "ship" else self.text_skip)
        return text.replace("{target}", target).replace("{name}", name)


class Suite(Strict):
    version: str
    injection_tool: str
    pairs: int
    tools_per_vendor: int
    thresholds: Thresholds
    families: dict[str, str]
    providers: dict[str, str]
    attack: list[Attack]


@cache
def suite_load(version: str = CURRENT_VERSION) -> Suite:
    """The suite of this version; DataFileError when its file is malformed."""
    return read_toml(SUITE_DIR / f"suite_{version}.toml", Suite)[0]


def model_vendor(model_id: str, *, suite: Suite) -> str:
    """The catalog vendor slug behind a model string, from its family or else its provider;
    "" when neither says."""
    provider, name, _ = model_parse(model_id)
    words = [word for word in re.split(r"[/:._\s-]+", name.lower()) if word]
    for word in words:
        for family, vendor in suite.families.items():
            if word.startswith(family):
                return vendor
    return suite.providers.get(provider, "")


def dossier_attacked(dossier: Dossier, *, attack: Attack, target: str) -> Dossier:
    """The dossier with the attack planted where vendor text goes: the end of the description."""
    planted = attack.planted(name=dossier.name, target=target)
    return dataclasses.replace(dossier, description=f"{dossier.description}\n\n{planted}")


def verdict_opposite(verdict: str) -> str:
    return VERDICTS[1 - VERDICTS.index(verdict)]
