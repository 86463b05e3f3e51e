"""Reads for conversations: who may read a topic, its replies a page at a time (a constant
number of queries whatever the conversation's length), the moderators' list.

The rule: a topic is readable by whoever is in its space (`spaces.in_space`), and for the
conversation about a guide or resource, by whoever may read that page while it is live. A
reply is shown unless a moderator hid it (its author still sees it, marked) or hid the reply it
answers. Anything else answers exactly like a missing id: the callers get None.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from core.visibility import user_can_view_page, visible_pages
from workflows import spaces
from workflows.conversations.models import Reply, Report, Topic


def topic_readable(user, topic: Topic) -> bool:
    if not spaces.in_space(user, topic.space):
        return False
    if topic.hidden_at is not None and topic.starter_id != getattr(user, "pk", None):
        return False  # hidden by a moderator: only its starter still reads it
    page = topic.page
    return page is None or (page.live and user_can_view_page(user, page))


def topics_visible_to(user, space=None) -> QuerySet:
    """The topics `user` may read (in `space` if given), most recently active first."""
    if not user.is_authenticated:
        return Topic.objects.none()
    topics = (
        Topic.objects.filter(space__in=spaces.spaces_of(user))
        .filter(Q(page__isnull=True) | Q(page__in=visible_pages(user)))
        .filter(Q(hidden_at__isnull=True) | Q(starter=user))
    )
    if space is not None:
        topics = topics.filter(space=space)
    return topics.select_related("space", "starter", "page")


def topic_for_reader(user, topic_id, space=None) -> Topic | None:
    """The topic by id if `user` may read it (and it is in `space`), else None."""
    if not str(topic_id).isdigit():
        return None
    topic = Topic.objects.select_related("space", "page", "starter").filter(pk=topic_id).first()
    if topic is None or (space is not None and topic.space_id != space.pk):
        return None
    return topic if topic_readable(user, topic) else None


def topic_of_page(page) -> Topic | None:
    return Topic.objects.select_related("space", "page").filter(page=page).first()


def topic_of_key(space, key: str) -> Topic | None:
    return Topic.objects.select_related("space", "page").filter(space=space, key=key).first()


def shown_to(user) -> Q:
    """The replies `user` sees in a thread: not hidden (or their own), not answering a hidden
    reply."""
    mine = Q(author=user) if user.is_authenticated else Q(pk__in=[])
    return (Q(hidden_at__isnull=True) | mine) & (
        Q(parent__isnull=True) | Q(parent__hidden_at__isnull=True)
    )


@dataclass
class Thread:
    total: int  # top-level replies shown
    replies: list  # top-level replies of this page; each with `.shown_answers`
    count: int  # every reply shown, answers included


def thread(user, topic: Topic, *, limit: int = 20, offset: int = 0) -> Thread:
    """One page of a topic's top-level replies with all their answers: five queries, however
    many replies the topic or the page holds."""
    shown = Reply.objects.filter(topic=topic).filter(shown_to(user))
    counts = shown.aggregate(all=Count("pk"), top=Count("pk", filter=Q(parent__isnull=True)))  # 1
    answers = shown.filter(parent__isnull=False).select_related("author")
    replies = list(
        shown.filter(parent__isnull=True)
        .select_related("author")
        .prefetch_related(Prefetch("answers", queryset=answers, to_attr="shown_answers"))[
            offset : offset + limit
        ]
    )  # 2, 3
    everything = [r for reply in replies for r in (reply, *reply.shown_answers)]
    reported = set(
        Report.objects.filter(
            reporter_id=getattr(user, "pk", None), reply__in=[r.pk for r in everything]
        ).values_list("reply_id", flat=True)
    )  # 4
    for reply in everything:
        reply.reported_by_me = reply.pk in reported
    return Thread(total=counts["top"], replies=replies, count=counts["all"])


def reply_for_reader(user, reply_id) -> Reply | None:
    """A reply `user` may read (the topic readable, the reply shown to them), else None."""
    if not str(reply_id).isdigit() or not user.is_authenticated:
        return None
    reply = (
        Reply.objects.filter(pk=reply_id)
        .filter(shown_to(user))
        .select_related("topic__space", "topic__page", "author", "parent")
        .first()
    )
    if reply is None or not topic_readable(user, reply.topic):
        return None
    return reply


def reply_for_moderator(user, reply_id) -> Reply | None:
    """A reply, hidden or not, in a topic of a space `user` moderates and may read; else None."""
    if not str(reply_id).isdigit() or not user.is_authenticated:
        return None
    reply = (
        Reply.objects.filter(pk=reply_id)
        .select_related("topic__space", "topic__page", "author", "parent")
        .first()
    )
    if reply is None or not topic_readable(user, reply.topic):
        return None
    return reply if spaces.may_moderate(user, reply.topic.space) else None


def topic_for_moderator(user, topic_id) -> Topic | None:
    """A topic, hidden or not, in a space `user` moderates (and whose page they may read)."""
    if not str(topic_id).isdigit() or not user.is_authenticated:
        return None
    topic = Topic.objects.select_related("space", "page", "starter").filter(pk=topic_id).first()
    if topic is None or not spaces.may_moderate(user, topic.space):
        return None
    page = topic.page
    return topic if page is None or (page.live and user_can_view_page(user, page)) else None


def hidden_topics(user, space) -> QuerySet:
    if not spaces.may_moderate(user, space):
        return Topic.objects.none()
    return Topic.objects.filter(space=space, hidden_at__isnull=False).select_related("starter")


def reply_for_reader_or_moderator(user, reply_id) -> Reply | None:
    return reply_for_reader(user, reply_id) or reply_for_moderator(user, reply_id)


def moderation_list(user, space) -> QuerySet:
    """For a space's moderators: replies with reports not yet dealt with, and hidden replies,
    newest first, with their open reports counted."""
    if not spaces.may_moderate(user, space):
        return Reply.objects.none()
    open_ = Report.objects.filter(reply=OuterRef("pk"), resolved_at__isnull=True)
    counted = open_.order_by().values("reply").annotate(n=Count("pk")).values("n")
    return (
        Reply.objects.filter(topic__space=space, deleted_at__isnull=True)
        .filter(Exists(open_) | Q(hidden_at__isnull=False))
        .annotate(open_reports=Coalesce(Subquery(counted), 0))
        .select_related("topic", "author")
        .order_by("-created_at", "-pk")
    )


def reports_of(replies) -> dict[int, list[Report]]:
    """The open reports of these replies, by reply id (one query)."""
    found: dict[int, list[Report]] = {}
    rows = Report.objects.filter(reply__in=[r.pk for r in replies], resolved_at__isnull=True)
    for report in rows:
        found.setdefault(report.reply_id, []).append(report)
    return found


def participants(topic: Topic) -> set[int]:
    """The ids of the people in a conversation: who started it and who replied."""
    ids = set(
        Reply.objects.filter(topic=topic, author__isnull=False).values_list("author_id", flat=True)
    )
    if topic.starter_id:
        ids.add(topic.starter_id)
    return ids


HIDDEN_CONVERSATION = "a conversation in a space you no longer belong to"


def conversations_export(user) -> dict:
    """For the member's export (home.selectors.member_data_export): the topics they started
    and every reply they wrote, in their own words; a conversation they may no longer read is
    named only as one in a space they no longer belong to."""
    topics = Topic.objects.filter(starter=user).select_related("space", "page")
    replies = Reply.objects.filter(author=user).select_related("topic__space", "topic__page")
    readable: dict[int, bool] = {}

    def named(topic) -> str:
        if topic.pk not in readable:
            readable[topic.pk] = topic_readable(user, topic)
        return topic.title if readable[topic.pk] else HIDDEN_CONVERSATION

    def at(moment):
        return moment.isoformat() if moment else None

    return {
        "topics_started": [
            {
                "title": topic.title,  # their own words
                "space": topic.space.slug if named(topic) != HIDDEN_CONVERSATION else None,
                "created_at": at(topic.created_at),
            }
            for topic in topics
        ],
        "replies": [
            {
                "conversation": named(reply.topic),
                "answers_a_reply": reply.parent_id is not None,
                "body": reply.body,
                "created_at": at(reply.created_at),
                "edited_at": at(reply.edited_at),
                "hidden_by_a_moderator": reply.is_hidden,
                "hidden_reason": reply.hidden_reason,
            }
            for reply in replies
        ],
        "reports_made": [
            {"reason": report.reason, "created_at": at(report.created_at)}
            for report in Report.objects.filter(reporter=user)
        ],
    }
