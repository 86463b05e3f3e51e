from django.urls import path

from community_pages import feed_views, views

urlpatterns = [
    path("join/<slug:slug>/", views.join, name="join"),
    path("invitation/<str:token>/", views.invitation, name="invitation"),
    path("leave/<slug:slug>/", views.leave, name="leave"),
    path("account/feeds/", feed_views.account_feeds, name="account_feeds"),
]
