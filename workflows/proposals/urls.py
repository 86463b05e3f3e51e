"""Proposals on the site, outside the page tree: /proposals/<space slug>/…
(included by site/config/urls.py under the language prefix)."""

from django.urls import path

from workflows.proposals import views

urlpatterns = [
    path("proposals/<slug:space_slug>/", views.proposal_list, name="proposal_list"),
    path("proposals/<slug:space_slug>/who/", views.proposal_who, name="proposal_who"),
    path("proposals/<slug:space_slug>/new/", views.proposal_new, name="proposal_new"),
    path("proposals/<slug:space_slug>/<int:proposal_id>/", views.proposal_detail, name="proposal"),
    path(
        "proposals/<slug:space_slug>/<int:proposal_id>/respond/",
        views.proposal_respond,
        name="proposal_respond",
    ),
    path(
        "proposals/<slug:space_slug>/<int:proposal_id>/revise/",
        views.proposal_revise,
        name="proposal_revise",
    ),
]
