"""CSRF protection that needs no token in the page: the browser's Fetch Metadata, else Origin.

Current browsers send `Sec-Fetch-Site` with every request, and every browser sends `Origin`
with a POST. A request that says it came from this site's own pages (or from an origin in
CSRF_TRUSTED_ORIGINS) goes through; one that says it came from anywhere else is refused; one
with neither header (an old browser, a script) must carry Django's token as before. Reader
pages then hold no token, so one stored copy of a page serves every reader.
"""

from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.middleware.csrf import REASON_BAD_ORIGIN, CsrfViewMiddleware

SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")


class FetchMetadataCsrfMiddleware:
    """Decides a state-changing request by Sec-Fetch-Site and Origin, before Django's CSRF
    middleware (which must follow it) asks for the token of a request that sends neither."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.django = CsrfViewMiddleware(get_response)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request, callback, callback_args, callback_kwargs):
        if (
            request.method in SAFE_METHODS
            or getattr(request, "csrf_processing_done", False)
            or getattr(callback, "csrf_exempt", False)
        ):
            return None
        site = request.headers.get("Sec-Fetch-Site")
        if site == "same-origin":
            return self._accept(request)
        if "HTTP_ORIGIN" in request.META:
            if self.django._origin_verified(request):
                return self._accept(request)
            return self.django._reject(request, REASON_BAD_ORIGIN % request.META["HTTP_ORIGIN"])
        if site is not None and site != "none":
            # A browser that says same-site or cross-site and names no origin: never ours.
            return self.django._reject(
                request, f"Sec-Fetch-Site is {site!r} and no Origin was sent."
            )
        # Neither header: Django's middleware, next in the stack, checks the token.
        return None

    def _accept(self, request: HttpRequest) -> None:
        # Django's middleware lets a request through that is marked done.
        request.csrf_processing_done = True
        return None


def csrf_refusal(request: HttpRequest) -> HttpResponse | None:
    """The refusal for a state-changing request that fails the checks above; None when it passes.

    For handlers that the middleware does not guard (the JSON API's views are CSRF-exempt).
    """
    request.csrf_processing_done = False
    refusal = FetchMetadataCsrfMiddleware(_forbidden).process_view(request, _forbidden, (), {})
    if refusal is not None or request.csrf_processing_done:
        return refusal
    django = CsrfViewMiddleware(_forbidden)
    django.process_request(request)
    return django.process_view(request, _forbidden, (), {})


def _forbidden(request: HttpRequest) -> HttpResponse:
    # Never called: the middleware needs a get_response, and the checks a view to look at.
    return HttpResponseForbidden()
