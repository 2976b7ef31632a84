from django.urls import path

from verdicts.catalog import views

app_name = "catalog"
urlpatterns = [
    path("tools/", views.tool_index, name="tool-index"),
    path("tools/<slug:slug>/", views.tool_detail, name="tool"),
    path("categories/", views.category_index, name="category-index"),
    path("categories/<slug:slug>/", views.category_detail, name="category"),
    path("search", views.search, name="search"),
]
