from django.urls import path

from verdicts.digest import views

app_name = "digest"
urlpatterns = [
    path("digest/", views.archive, name="archive"),
    path("digest/<int:number>/", views.issue, name="issue"),
    path("digest/subscribe/", views.subscribe, name="subscribe"),
    path("digest/confirm/<str:token>/", views.confirm, name="confirm"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
