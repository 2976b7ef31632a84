"""The panel: who the personas are and what they have said."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.pages.read_models.panel import panel_page, persona_page
from verdicts.panel.selectors import persona_get_active


def panel_index(request: HttpRequest) -> HttpResponse:
    return render(request, "pages/panel_index.html", {"page": panel_page()})


def persona_detail(request: HttpRequest, slug: str) -> HttpResponse:
    persona = persona_get_active(slug=slug)
    if persona is None:
        raise Http404("No such persona.")
    page = persona_page(persona=persona, number=request.GET.get("page"))
    return render(request, "pages/persona_detail.html", {"page": page})
