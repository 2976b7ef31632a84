"""The panel's self-audit: the latest report of each model, or of the models asked for."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.panel.audit.selectors import panel_audit_latest

# The comparison page links here naming the models of its reviews: a handful at most.
MAX_MODELS = 8


def panel_audit(request: HttpRequest) -> HttpResponse:
    # Models are asked for by name, as pages show them.
    asked = [m for m in request.GET.getlist("model") if m.isprintable() and 0 < len(m) <= 200]
    # The comparison page names each review's model; the same one many times over.
    asked = list(dict.fromkeys(asked))[:MAX_MODELS]
    reports = panel_audit_latest(names=asked or None)
    return render(request, "pages/panel_audit.html", {"reports": reports, "asked": asked})
