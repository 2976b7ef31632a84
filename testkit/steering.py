"""The steering corpus (verdicts/panel/steering/tests/corpus/): attacks and benign vendor
texts, each a set of dossier fields, read into dossiers for the detector tests and bench."""

import tomllib
from dataclasses import dataclass
from pathlib import Path

from verdicts.panel.dossier import Dossier, DossierDocument, dossier_segments
from verdicts.panel.steering.detector import Finding, steering_scan

CORPUS = Path(__file__).resolve().parents[1] / "verdicts/panel/steering/tests/corpus"
FIELDS = ("tagline", "description", "licence", "homepage", "facts", "plans", "documents")


def corpus_dossier(fields: dict) -> Dossier:
    """A plain tool's dossier carrying these fields (documents as {title, text} tables)."""
    fields = dict(fields)
    documents = [
        DossierDocument(
            title=document["title"],
            source="https://acme.example.com/docs",
            updated="2026-11-01",
            text=document["text"],
        )
        for document in fields.pop("documents", [])
    ]
    return Dossier(
        slug="acme-tool",
        name="Acme Tool",
        vendor="Acme",
        category="Models",
        **{"tagline": "", "description": ""} | fields,
        documents=documents,
    )


@dataclass(frozen=True)
class Case:
    id: str
    fields: dict
    split: bool = False

    def dossier(self) -> Dossier:
        return corpus_dossier(self.fields)

    def findings(self) -> list[Finding]:
        return steering_scan(dossier_segments(self.dossier()))

    def parts(self) -> list[Dossier]:
        """A dossier for each field, fact, plan, document title or document text alone."""
        parts = []
        for name, value in self.fields.items():
            if name == "facts":
                parts += [corpus_dossier({"facts": {key: item}}) for key, item in value.items()]
            elif name == "plans":
                parts += [corpus_dossier({name: [item]}) for item in value]
            elif name == "documents":
                parts += [
                    corpus_dossier({name: [{"title": "", "text": ""} | {key: item[key]}]})
                    for item in value
                    for key in ("title", "text")
                ]
            else:
                parts.append(corpus_dossier({name: value}))
        return parts


def corpus(kind: str) -> list[Case]:
    """ "attack" or "benign": the cases of that file, in order."""
    name = {"attack": "attacks.toml", "benign": "benign.toml"}[kind]
    entries = tomllib.loads((CORPUS / name).read_text(encoding="utf-8"))[kind]
    for entry in entries:
        unknown = set(entry) - {"id", "split", *FIELDS}
        if unknown:
            raise ValueError(f"{name}: {entry['id']} has unknown fields {sorted(unknown)}")
    return [
        Case(
            id=entry["id"],
            fields={key: value for key, value in entry.items() if key in FIELDS},
            split=entry.get("split", False),
        )
        for entry in entries
    ]
