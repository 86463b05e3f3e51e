"""Member-facing conversation URLs, /conversations/..., included by site/config/urls.py under the
language prefix (outside the page tree, so no space slug can collide with them)."""

from django.urls import path

from workflows.conversations import reply_views, views

urlpatterns = [
    path("", views.home, name="conversations"),
    path("<slug:space_slug>/", views.space_topics, name="conversation_space"),
    path("<slug:space_slug>/start/", views.topic_start, name="conversation_start"),
    path("<slug:space_slug>/<int:topic_id>/", views.topic_detail, name="conversation_topic"),
    path("<slug:space_slug>/<int:topic_id>/reply/", views.topic_reply, name="conversation_reply"),
    path(
        "<slug:space_slug>/pages/<int:page_id>/reply/",
        views.page_reply,
        name="conversation_page_reply",
    ),
    path(
        "<slug:space_slug>/replies/<int:reply_id>/edit/",
        reply_views.reply_edit,
        name="conversation_reply_edit",
    ),
    path(
        "<slug:space_slug>/replies/<int:reply_id>/delete/",
        reply_views.reply_delete,
        name="conversation_reply_delete",
    ),
    path(
        "<slug:space_slug>/replies/<int:reply_id>/report/",
        reply_views.reply_report,
        name="conversation_reply_report",
    ),
    *[
        path(
            f"<slug:space_slug>/replies/<int:reply_id>/{action}/",
            reply_views.reply_moderate,
            {"action": action},
            name=f"conversation_reply_{action}",
        )
        for action in ("hide", "restore", "dismiss")
    ],
    *[
        path(
            f"<slug:space_slug>/<int:topic_id>/{action}/",
            reply_views.topic_moderate,
            {"action": action},
            name=f"conversation_topic_{action}",
        )
        for action in ("hide", "restore")
    ],
    path("<slug:space_slug>/moderation/", reply_views.moderation, name="conversation_moderation"),
]
