"""Member-facing URLs of the workflows app, included by site/config/urls.py before Wagtail's
pages: elections inside each community (/<community slug>/elections/...), "Write a guide"
(/<space slug>/write/), and the account's "My writing" and "Reviews" screens."""

from django.urls import path

from workflows import review_views, views, writing_views

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
    path("<slug:slug>/write/", writing_views.write_guide, name="write_guide"),
    path("account/writing/", writing_views.my_writing, name="my_writing"),
    path("account/writing/<int:page_id>/", writing_views.my_draft, name="my_draft"),
    path(
        "account/writing/<int:page_id>/submit/",
        writing_views.my_draft_submit,
        name="my_draft_submit",
    ),
    path(
        "account/writing/<int:page_id>/withdraw/",
        writing_views.my_draft_withdraw,
        name="my_draft_withdraw",
    ),
    path("account/reviews/", review_views.reviews, name="reviews"),
    path("account/reviews/<int:page_id>/", review_views.review, name="review"),
]
