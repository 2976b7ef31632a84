"""How the panel works, in plain words: the personas, what they read, how they are tested, and
how the figures and votes are counted."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.panel.selectors import persona_list_active


def methodology(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/methodology.html", {"personas": persona_list_active()})
