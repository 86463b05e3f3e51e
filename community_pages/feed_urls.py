"""Feed URLs, outside the language prefix: a calendar app keeps one address whatever the
interface language. `public` is matched first, so no community may be called "public"."""

from django.urls import path

from community_pages import feed_views

urlpatterns = [
    path("public/meetings.json", feed_views.public_meetings_json, name="feed_public_meetings_json"),
    path("<slug:space_slug>/meetings.json", feed_views.meetings_json, name="feed_meetings_json"),
    path("<slug:space_slug>/meetings.ics", feed_views.meetings_ics, name="feed_meetings_ics"),
    path(
        "<slug:space_slug>/groups/<slug:group_slug>.ics",
        feed_views.group_ics,
        name="feed_group_ics",
    ),
]
