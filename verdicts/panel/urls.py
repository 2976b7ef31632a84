from django.urls import path

from verdicts.panel import views

app_name = "panel"
urlpatterns = [
    path("panel/", views.index, name="index"),
    path("panel/<slug:slug>/", views.persona_detail, name="persona"),
]
