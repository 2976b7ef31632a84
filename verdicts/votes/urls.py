from django.urls import path

from verdicts.votes import views

app_name = "votes"
urlpatterns = [
    path("votes/tools/<slug:slug>/", views.tool_vote, name="tool"),
    path("votes/comparisons/<slug:slug>/", views.pair_vote, name="pair"),
]
