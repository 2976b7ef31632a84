from django.urls import path

from verdicts.votes import views

app_name = "votes"
urlpatterns = [
    path("votes/tools/<slug:slug>/", views.tool_vote, name="tool"),
    path("votes/comparisons/<slug:slug>/", views.pair_vote, name="pair"),
    path("rankings/", views.rankings, name="rankings"),
    path("rankings/<slug:category>/", views.rankings, name="category"),
]
