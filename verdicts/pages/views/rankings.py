"""The community rankings pages."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from verdicts.catalog.selectors import category_get
from verdicts.pages.read_models.rankings import rankings_page


@require_GET
def rankings(request: HttpRequest, category: str = "") -> HttpResponse:
    """The stored rankings, overall or within one category."""
    current = None
    if category:
        current = category_get(slug=category)
        if current is None:
            raise Http404("No such category.")
    return render(request, "pages/rankings.html", {"page": rankings_page(category=current)})
