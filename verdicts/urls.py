"""URL routes: the reader pages, then each app's own endpoints."""

from django.contrib import admin
from django.urls import include, path

from verdicts.api.api import api

urlpatterns = [
    path("", include("verdicts.pages.urls")),
    path("", include("verdicts.votes.urls")),
    path("", include("verdicts.digest.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
