from django.urls import path

from verdicts.compare import views

app_name = "compare"
urlpatterns = [
    path("compare/", views.index, name="index"),
    path("compare/<slug:slug>/", views.detail, name="detail"),
]
