"""bench/serve.py's routes: two trivial views in front of the site's own, on the same stack.

`__bench__/bytes/<name>` answers the bytes a reader page answered (files bench/serve.py wrote to
BENCH_BYTES_DIR), doing nothing else; `__bench__/post` is a POST that the site's CSRF check
guards and that does nothing. They are what each page and each vote is measured against.
"""

import os
from functools import cache
from pathlib import Path

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from verdicts.urls import urlpatterns as site_urlpatterns

CONTENT_TYPES = {".html": "text/html; charset=utf-8", ".json": "application/json; charset=utf-8"}


@cache
def _bytes(name: str) -> tuple[bytes, str]:
    file = Path(os.environ["BENCH_BYTES_DIR"]) / name
    return file.read_bytes(), CONTENT_TYPES[file.suffix]


def page_bytes(request: HttpRequest, name: str) -> HttpResponse:
    body, content_type = _bytes(name)
    return HttpResponse(body, content_type=content_type)


@require_POST
def trivial_post(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"ok": True})


urlpatterns = [
    path("__bench__/bytes/<str:name>", page_bytes),
    path("__bench__/post", trivial_post),
    *site_urlpatterns,
]
