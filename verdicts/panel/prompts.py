"""Prompts for the panel: versioned template files plus each persona's charter.

A prompt's version hashes the template and the persona's charter, so changing either
changes the version stored on every review written with it.
"""

import hashlib
from functools import cache
from pathlib import Path
from string import Template

from verdicts.panel.models import Persona

PROMPT_DIR = Path(__file__).resolve().parent / "prompts"


@cache
def template_text(name: str) -> str:
    """A prompt template file's text."""
    return (PROMPT_DIR / f"{name}.md").read_text(encoding="utf-8")


def prompt_version(name: str, persona: Persona) -> str:
    """e.g. "review.1a2b3c4d5e": the template's name and a hash of template and charter."""
    digest = hashlib.sha256(
        f"{template_text(name)}\n{persona.charter_version}".encode()
    ).hexdigest()
    return f"{name}.{digest[:10]}"


def instructions_build(name: str, persona: Persona) -> str:
    """The system instructions for a persona, from a template file and its charter."""
    questions = "\n".join(f"- {question}" for question in persona.questions) or "- (none given)"
    return Template(template_text(name)).substitute(
        name=persona.name,
        lens=persona.lens,
        motto=persona.motto or "(none)",
        thinks=persona.thinks or "(not stated)",
        excited_by=persona.excited_by or "(not stated)",
        tired_of=persona.tired_of or "(not stated)",
        never_says=", ".join(persona.never_says) or "(none)",
        questions=questions,
    )
