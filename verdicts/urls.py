"""URL routes: the reader pages, then each app's own endpoints."""

from django.contrib import admin
from django.urls import include, path

from verdicts.api import votes_direct

urlpatterns = [
    # First, so that the site's hottest write skips resolving every reader page's route.
    path("api/votes/tools/<str:slug>", votes_direct.tool_vote),
    path("api/votes/comparisons/<str:slug>", votes_direct.pair_vote),
    path("", include("verdicts.pages.urls")),
    path("", include("verdicts.votes.urls")),
    path("", include("verdicts.digest.urls")),
    path("", include("verdicts.catalog.urls")),
    path("", include("verdicts.api.urls")),
    path("admin/", admin.site.urls),
]
