"""Remembrance's member-facing URLs, under /remembrance/<community slug>/ (outside the page tree,
so `remembrance` is a reserved slug: core/routes.py). Included by site/config/urls.py inside the
language prefixes."""

from django.urls import path

from workflows.remembrance import views

urlpatterns = [
    path("remembrance/<slug:slug>/", views.remembrance_list, name="remembrance_list"),
    path("remembrance/<slug:slug>/new/", views.remembrance_new, name="remembrance_new"),
    path(
        "remembrance/<slug:slug>/<int:remembrance_id>/",
        views.remembrance_detail,
        name="remembrance",
    ),
    path(
        "remembrance/<slug:slug>/<int:remembrance_id>/edit/",
        views.remembrance_edit,
        name="remembrance_edit",
    ),
    path(
        "remembrance/<slug:slug>/<int:remembrance_id>/withdraw/",
        views.remembrance_withdraw,
        name="remembrance_withdraw",
    ),
    path(
        "remembrance/<slug:slug>/<int:remembrance_id>/moderate/",
        views.remembrance_moderate,
        name="remembrance_moderate",
    ),
]
