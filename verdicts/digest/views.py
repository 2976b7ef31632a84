"""Signup, confirmation and unsubscribe pages, and the issue archive."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from verdicts.common.net import client_address, next_url
from verdicts.digest.selectors import (
    confirmation_is_usable,
    issue_get_public,
    issue_list_public,
    unsubscribe_subscriber,
)
from verdicts.digest.services.subscriptions import (
    ConfirmationUsed,
    SignupRateLimited,
    SignupRefused,
    has_line_break,
    subscriber_confirm,
    subscriber_signup,
    subscriber_unsubscribe,
)
from verdicts.digest.tokens import TokenExpired, TokenInvalid

PLACES = {"footer", "comparison", "page"}


@require_http_methods(["GET", "POST"])
def subscribe(request: HttpRequest) -> HttpResponse:
    place = request.POST.get("place", "page")
    context = {"newsletter_place": place if place in PLACES else "page"}
    if request.method == "GET":
        return render(request, "digest/subscribe.html", context)
    status = 200
    try:
        if any(has_line_break(value) for _, values in request.POST.lists() for value in values):
            raise SignupRefused("Line breaks are not allowed in any field.")
        subscriber_signup(
            email=request.POST.get("email", ""),
            source=context["newsletter_place"],
            client_key=client_address(request),
        )
        context["newsletter_done"] = True
    except SignupRefused as error:
        status = 400
        context["newsletter_error"] = str(error)
    except SignupRateLimited:
        status = 429
        context["newsletter_error"] = "Too many signups from your network. Try again in an hour."
    if status != 200:
        context["newsletter_email"] = request.POST.get("email", "")[:254]
    context["newsletter_next"] = next_url(request, fallback=reverse("pages:home"))
    if request.htmx:
        response = render(request, "digest/_signup.html", context, status=status)
        # An HX-Reswap on a 4xx answer tells common/forms.js to show it rather than drop it.
        if status != 200:
            response["HX-Reswap"] = "outerHTML"
        return response
    context["newsletter_back"] = _back_from_signup(request, place=context["newsletter_place"])
    return render(request, "digest/subscribe.html", context, status=status)


def _back_from_signup(request: HttpRequest, *, place: str) -> str:
    """The page the signup form was on, at the form; home when that is unknown or this page."""
    page = next_url(request, fallback="")
    if not page or page.split("?", 1)[0] == reverse("digest:subscribe"):
        return reverse("pages:home")
    return f"{page}#newsletter-{place}"


# The signed token in the URL is what authorises these two; a CSRF cookie would add nothing
# and mail clients posting RFC 8058 one-click unsubscribes have none.
@csrf_exempt
@require_http_methods(["GET", "POST"])
def confirm(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            subscriber_confirm(token=token)
            return render(request, "digest/confirmed.html")
        if not confirmation_is_usable(token=token):
            raise ConfirmationUsed
    except TokenInvalid as error:
        raise Http404("No such link.") from error
    except TokenExpired:
        return render(request, "digest/confirm_dead.html", {"expired": True}, status=410)
    except ConfirmationUsed:
        return render(request, "digest/confirm_dead.html", {"expired": False}, status=410)
    return render(request, "digest/confirm.html", {"token": token})


@csrf_exempt
@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    try:
        if request.method == "POST":
            subscriber_unsubscribe(token=token)
            return render(request, "digest/unsubscribed.html")
        subscriber = unsubscribe_subscriber(token=token)
    except TokenInvalid as error:
        raise Http404("No such link.") from error
    context = {"token": token, "already": subscriber.status == subscriber.Status.UNSUBSCRIBED}
    return render(request, "digest/unsubscribe.html", context)


def archive(request: HttpRequest) -> HttpResponse:
    return render(request, "digest/archive.html", {"issues": issue_list_public()})


def issue(request: HttpRequest, number: int) -> HttpResponse:
    found = issue_get_public(number=number)
    if found is None:
        raise Http404("No such issue.")
    return render(request, "digest/issue.html", {"issue": found})
