"""The panel: who the personas are and what they have said."""

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.panel.selectors import (
    persona_get_active,
    persona_list_active,
    persona_record,
    persona_reviews,
)

REVIEWS_PER_PAGE = 20


def index(request: HttpRequest) -> HttpResponse:
    return render(request, "panel/index.html", {"personas": persona_list_active()})


def persona_detail(request: HttpRequest, slug: str) -> HttpResponse:
    persona = persona_get_active(slug=slug)
    if persona is None:
        raise Http404("No such persona.")
    page = Paginator(persona_reviews(persona=persona), REVIEWS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    context = {"persona": persona, "record": persona_record(persona=persona), "page": page}
    return render(request, "panel/persona_detail.html", context)
