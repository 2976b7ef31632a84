"""Compare any two: the picker's answer, and the editors' request for the panel on a pair."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from verdicts.common.content_versions import CATALOG, tool_scope
from verdicts.common.page_cache import page_cache_scopes
from verdicts.pages.read_models.pairs import PairLookup, pair_lookup, pair_page
from verdicts.panel.services.config import PanelConfigError
from verdicts.panel.services.pairs import pair_panel_queue


def pair_url(lookup: PairLookup) -> str:
    a, b = (tool.slug for tool in lookup.tools) if lookup.tools else lookup.asked
    return f"{reverse('pages:compare-pair')}?{urlencode({'a': a, 'b': b})}"


def _render(request: HttpRequest, lookup: PairLookup) -> HttpResponse:
    page = None
    if lookup.tools is not None:
        tool_a, tool_b = lookup.tools
        page_cache_scopes(request, CATALOG, tool_scope(tool_a.slug), tool_scope(tool_b.slug))
        page = pair_page(tool_a=tool_a, tool_b=tool_b)
    context = {"lookup": lookup, "page": page}
    return render(request, "pages/compare_pair.html", context, status=lookup.status)


def compare_pair(request: HttpRequest) -> HttpResponse:
    """The published comparison of the two tools picked, in either order, or their facts."""
    lookup = pair_lookup(a=request.GET.get("a", ""), b=request.GET.get("b", ""))
    if lookup.comparison is not None:
        return redirect(lookup.comparison.get_absolute_url())
    return _render(request, lookup)


@require_POST
def compare_pair_queue(request: HttpRequest) -> HttpResponse:
    """An editor asks the panel to review the pair: a draft comparison and its panel run."""
    if not request.user.is_staff:
        raise PermissionDenied("Only editors can queue a pair for the panel.")
    lookup = pair_lookup(a=request.POST.get("a", ""), b=request.POST.get("b", ""))
    if lookup.comparison is not None:
        return redirect(lookup.comparison.get_absolute_url())
    if lookup.tools is None:
        return _render(request, lookup)
    tool_a, tool_b = lookup.tools
    try:
        queued = pair_panel_queue(
            tool_a=tool_a, tool_b=tool_b, requested_by=request.user.get_username()
        )
    except PanelConfigError as error:
        messages.error(request, f"The pair was not queued: {error}")
    except ValidationError as error:
        messages.error(request, f"The pair was not queued: {'; '.join(error.messages)}")
    else:
        if queued.already_queued:
            text = f"Already queued: {queued.comparison.slug} is in panel run {queued.run.pk}."
        else:
            text = f"Queued {queued.comparison.slug} for the panel as run {queued.run.pk}."
        messages.success(request, text)
    return redirect(pair_url(lookup))
