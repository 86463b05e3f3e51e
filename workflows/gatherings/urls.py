"""Gatherings on the site, outside the page tree: /gatherings/<space slug>/…
(included by site/config/urls.py under the language prefix)."""

from django.urls import path

from workflows.gatherings import views

urlpatterns = [
    path("gatherings/<slug:space_slug>/", views.gathering_list, name="gathering_list"),
    path("gatherings/<slug:space_slug>/new/", views.gathering_new, name="gathering_new"),
    path(
        "gatherings/<slug:space_slug>/<int:gathering_id>/", views.gathering_detail, name="gathering"
    ),
    path(
        "gatherings/<slug:space_slug>/<int:gathering_id>/rsvp/",
        views.gathering_rsvp,
        name="gathering_rsvp",
    ),
    path(
        "gatherings/<slug:space_slug>/<int:gathering_id>/cancel/",
        views.gathering_cancel,
        name="gathering_cancel",
    ),
    path(
        "gatherings/<slug:space_slug>/<int:gathering_id>/bring/",
        views.gathering_bring,
        name="gathering_bring",
    ),
]
