"""URL routes: each app contributes its own."""

from django.contrib import admin
from django.urls import include, path

from verdicts.api.api import api
from verdicts.compare import views as compare_views
from verdicts.core import views as core_views
from verdicts.digest.urls import root_urlpatterns as digest_root_urls

urlpatterns = [
    path("", compare_views.home, name="home"),
    path("", include("verdicts.compare.urls")),
    path("", include("verdicts.catalog.urls")),
    path("", include("verdicts.panel.urls")),
    path("", include("verdicts.votes.urls")),
    path("", include("verdicts.digest.urls")),
    *digest_root_urls,
    path("favicon.ico", core_views.favicon, name="favicon"),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]
