"""The catalog's own address: stored tool logos."""

from django.urls import path

from verdicts.catalog import views

app_name = "catalog"

urlpatterns = [
    path("tools/<slug:slug>/logo", views.tool_logo, name="tool-logo"),
]
