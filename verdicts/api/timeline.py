"""The verdict timeline in the API: the tool page's, as JSON."""

from verdicts.panel.history.selectors import PersonaTimeline


def timeline_dicts(timelines: list[PersonaTimeline]) -> list[dict]:
    return [
        {
            "persona": timeline.persona.slug,
            "entries": [
                {
                    "verdict": entry.verdict,
                    "created_at": entry.created_at,
                    "kind": entry.label.kind,
                    "label": entry.label.text,
                    "dossier_changes": None
                    if entry.changes is None
                    else [{"kind": c.kind, "text": c.text} for c in entry.changes],
                }
                for entry in timeline.entries
            ],
        }
        for timeline in timelines
    ]
