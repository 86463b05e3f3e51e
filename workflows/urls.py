"""/<community slug>/elections/...: included by site/config/urls.py before Wagtail's pages."""

from django.urls import path

from workflows import views

urlpatterns = [
    path("<slug:slug>/elections/", views.election_list, name="election_list"),
    path("<slug:slug>/elections/<int:election_id>/", views.election_detail, name="election"),
    path(
        "<slug:slug>/elections/<int:election_id>/nominate/",
        views.nominate,
        name="election_nominate",
    ),
    path(
        "<slug:slug>/elections/<int:election_id>/nominations/<int:nomination_id>/respond/",
        views.respond,
        name="election_respond",
    ),
    path("<slug:slug>/elections/<int:election_id>/vote/", views.vote, name="election_vote"),
]
