"""The search page."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from verdicts.pages.read_models.search import search_page


def search(request: HttpRequest) -> HttpResponse:
    page = search_page(query=request.GET.get("q", ""))
    return render(request, "pages/search.html", {"page": page})
