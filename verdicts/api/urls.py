"""The JSON API's routes, all django-ninja's (the vote endpoints' direct views, listed ahead of
these in verdicts/urls.py, hand what they do not answer to the views found here)."""

from django.urls import path

from verdicts.api.api import api

urlpatterns = [path("api/", api.urls)]
