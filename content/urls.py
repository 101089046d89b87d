from django.urls import path

from . import feeds, views

app_name = "content"

urlpatterns = [
    path("search/", views.search, name="search"),
    path("learn/feed/", feeds.ArticleFeed(), name="feed_rss"),
    path("learn/feed/atom/", feeds.ArticleAtomFeed(), name="feed_atom"),
]
