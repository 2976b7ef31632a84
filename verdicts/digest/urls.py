from django.contrib.sitemaps.views import sitemap
from django.urls import path

from verdicts.digest import feeds, views
from verdicts.digest.sitemaps import SITEMAPS

app_name = "digest"
urlpatterns = [
    path("digest/", views.archive, name="archive"),
    path("digest/<int:number>/", views.issue, name="issue"),
    path("digest/subscribe/", views.subscribe, name="subscribe"),
    path("digest/confirm/<str:token>/", views.confirm, name="confirm"),
    path("digest/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("feeds/comparisons.rss", feeds.ComparisonFeed(), name="feed-comparisons-rss"),
    path("feeds/comparisons.atom", feeds.ComparisonAtomFeed(), name="feed-comparisons-atom"),
    path("feeds/tools.rss", feeds.ToolFeed(), name="feed-tools-rss"),
    path("feeds/tools.atom", feeds.ToolAtomFeed(), name="feed-tools-atom"),
]

# Crawlers look for these two at the root, outside any namespace.
root_urlpatterns = [
    path("robots.txt", views.robots, name="robots"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
]
