"""Reads for the authoring loop: a member's drafts and an editor's reviews (docs/moderation.md).

"My drafts" are the guides and resources someone created (owner) or co-wrote (saved one of
their revisions), in spaces the visibility rule still lets them see: a member who left a
community no longer finds their drafts there. "My reviews" are the submissions waiting in the
elected editor review of a space the user reviews. Whatever is not in those sets answers like a
missing id (docs/privacy.md, "hidden answers exactly like missing").

Each listing costs the same number of queries whatever its length: the workflow states, task
states, approvals and revisions of the listed pages are read in one query each
(`review_summaries`).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db.models import BigIntegerField, CharField, Q, QuerySet
from django.db.models.functions import Cast
from wagtail.models import Page, Revision, TaskState, WorkflowState

from core.access import communities_of, editor_communities, editor_space_paths, is_staff
from core.visibility import visible_pages
from resources.models import GuidePage, ResourcePage
from workflows.models import ElectedEditorReviewTask, TaskApproval

DRAFT_MODELS = {"resources.GuidePage": GuidePage, "resources.ResourcePage": ResourcePage}

# A draft's review state, as the API and "My writing" name it.
DRAFT = "draft"
IN_REVIEW = "in_review"
CHANGES_REQUESTED = "changes_requested"
APPROVED = "approved"
PUBLISHED = "published"
STATES = (DRAFT, IN_REVIEW, CHANGES_REQUESTED, APPROVED, PUBLISHED)


def _page_type():
    return ContentType.objects.get_for_model(Page)


def _draft_type_ids() -> list[int]:
    return [ContentType.objects.get_for_model(model).pk for model in DRAFT_MODELS.values()]


def drafts_of(user) -> QuerySet:
    """The guides and resources `user` created or co-wrote, that they may still see."""
    if not user.is_authenticated or not user.is_active:
        return Page.objects.none()
    # Revision.object_id is text (it names any model); a page revision's is the page's id.
    wrote = (
        Revision.objects.filter(user=user, base_content_type=_page_type())
        .annotate(page_id=Cast("object_id", BigIntegerField()))
        .values("page_id")
    )
    mine = Page.objects.filter(content_type_id__in=_draft_type_ids()).filter(
        Q(owner=user) | Q(pk__in=wrote)
    )
    return visible_pages(user, mine, live=False).order_by("-latest_revision_created_at", "-pk")


def draft_of(user, page_id) -> Page | None:
    """One of `user`'s drafts (specific), or None: someone else's answers like a missing id."""
    page = drafts_of(user).filter(pk=page_id).first()
    return page.specific if page else None


def reviews_for(user) -> QuerySet:
    """In-progress elected editor review task states in the spaces `user` reviews, newest first.

    Staff are not reviewers (docs/moderation.md): their queue is empty. The author's own
    submissions are included only to be shown as not theirs to decide (`may_decide`); the
    listing excludes those the user submitted or whose submitted text they wrote, as Wagtail's
    dashboard does.
    """
    paths = editor_space_paths(user)
    if not paths:
        return TaskState.objects.none()
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    page_ids = (
        visible_pages(user, Page.objects.filter(under), live=False)
        .filter(content_type_id__in=_draft_type_ids())
        .annotate(sid=Cast("pk", CharField()))
        .values("sid")
    )
    task_ids = ElectedEditorReviewTask.objects.filter(active=True).values("pk")
    return (
        TaskState.objects.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            task_id__in=task_ids,
            workflow_state__object_id__in=page_ids,
            workflow_state__base_content_type=_page_type(),
        )
        .exclude(workflow_state__requested_by=user)
        .exclude(revision__user=user)
        .select_related("workflow_state", "revision", "task")
        .order_by("-started_at", "-pk")
    )


def review_of(user, page_id) -> tuple[Page, TaskState] | None:
    """The draft `page_id` waiting for `user`'s review, with its task state; else None."""
    task_state = reviews_for(user).filter(workflow_state__object_id=str(page_id)).first()
    if task_state is None:
        return None
    page = Page.objects.filter(pk=page_id).first()
    return (page.specific, task_state) if page else None


def reviewed_page(user, page_id) -> Page | None:
    """A guide or resource in a space `user` reviews, whatever its state (None otherwise): so
    that a second decision on a finished review is told so, while to anyone else the id
    answers like a missing one."""
    paths = editor_space_paths(user)
    if not paths:
        return None
    under = Q()
    for path in paths:
        under |= Q(path__startswith=path)
    pages = Page.objects.filter(under, pk=page_id, content_type_id__in=_draft_type_ids())
    return visible_pages(user, pages, live=False).first()


# What the author and the reviewers are told ----------------------------------------------------


@dataclass
class Decision:
    reviewer: object
    decision: str  # "approved" | "changes_requested"
    comment: str
    at: object


@dataclass
class ReviewSummary:
    state: str = DRAFT
    workflow_state: WorkflowState | None = None
    task_state: TaskState | None = None
    submitted_at: object = None
    decided_at: object = None
    comment: str = ""  # the latest "request changes" comment, while changes are requested
    decisions: list[Decision] = field(default_factory=list)
    author_ids: set[int] = field(default_factory=set)
    quorum: int = 1
    created_at: object = None  # its first revision


def review_summaries(pages) -> dict[int, ReviewSummary]:
    """{page id: its review state, decisions and authors} for many pages, in four queries."""
    pages = list(pages)
    ids = [str(page.pk) for page in pages]
    summaries = {page.pk: ReviewSummary() for page in pages}
    if not pages:
        return summaries
    latest: dict[int, WorkflowState] = {}
    for state in (
        WorkflowState.objects.filter(base_content_type=_page_type(), object_id__in=ids)
        .select_related("requested_by")
        .order_by("created_at", "pk")
    ):
        latest[int(state.object_id)] = state  # the newest wins
    task_states = defaultdict(list)
    for task_state in (
        TaskState.objects.filter(workflow_state__in=list(latest.values()))
        .select_related("finished_by", "revision", "task")
        .order_by("started_at", "pk")
    ):
        task_states[task_state.workflow_state_id].append(task_state)
    approvals = defaultdict(list)
    for approval in TaskApproval.objects.filter(
        task_state__workflow_state__in=list(latest.values())
    ).select_related("reviewer"):
        approvals[approval.task_state_id].append(approval)
    revisions = defaultdict(list)
    for object_id, revision_id, user_id, created_at in Revision.objects.filter(
        base_content_type=_page_type(), object_id__in=ids
    ).values_list("object_id", "pk", "user_id", "created_at"):
        revisions[int(object_id)].append((revision_id, user_id, created_at))
    quorums = dict(ElectedEditorReviewTask.objects.values_list("pk", "quorum"))

    for page in pages:
        summary = summaries[page.pk]
        summary.created_at = min((c for _r, _u, c in revisions[page.pk]), default=None)
        state = latest.get(page.pk)
        summary.workflow_state = state
        if state is None:
            summary.state = PUBLISHED if page.live and not page.has_unpublished_changes else DRAFT
            continue
        mine = task_states[state.pk]
        current = next((t for t in mine if t.status == TaskState.STATUS_IN_PROGRESS), None)
        summary.task_state = current or (mine[-1] if mine else None)
        summary.submitted_at = state.created_at
        if summary.task_state is not None:
            summary.quorum = quorums.get(summary.task_state.task_id, 1)
            summary.author_ids = _authors(state, summary.task_state, revisions[page.pk])
        changed_at = max((c for _r, _u, c in revisions[page.pk]), default=None)
        for task_state in mine:
            for approval in approvals[task_state.pk]:
                if task_state is current and changed_at and approval.created_at < changed_at:
                    continue  # an approval of an earlier text no longer counts
                summary.decisions.append(
                    Decision(approval.reviewer, APPROVED, approval.comment, approval.created_at)
                )
            if task_state.status == TaskState.STATUS_REJECTED:
                summary.decisions.append(
                    Decision(
                        task_state.finished_by,
                        CHANGES_REQUESTED,
                        task_state.comment,
                        task_state.finished_at,
                    )
                )
        summary.decisions.sort(key=lambda d: d.at)
        summary.state = _state(page, state)
        finished = [t for t in mine if t.finished_at is not None]
        summary.decided_at = finished[-1].finished_at if finished else None
        if summary.state == CHANGES_REQUESTED:
            rejected = [t for t in mine if t.status == TaskState.STATUS_REJECTED]
            summary.comment = rejected[-1].comment if rejected else ""
    return summaries


def _authors(state: WorkflowState, task_state: TaskState, revisions) -> set[int]:
    """As `selectors.moderation.author_ids`, from revisions already read."""
    ids = {state.requested_by_id, task_state.revision.user_id if task_state.revision else None}
    ids |= {user_id for pk, user_id, _c in revisions if pk > (task_state.revision_id or 0)}
    return {pk for pk in ids if pk is not None}


def _state(page: Page, state: WorkflowState) -> str:
    if state.status == WorkflowState.STATUS_IN_PROGRESS:
        return IN_REVIEW
    if state.status == WorkflowState.STATUS_NEEDS_CHANGES:
        return CHANGES_REQUESTED
    if state.status == WorkflowState.STATUS_APPROVED:
        if page.has_unpublished_changes:
            return DRAFT  # changed again since it was approved: a new draft
        return PUBLISHED if page.live else APPROVED  # approved, then taken down
    # Withdrawn (cancelled): a draft again, or the published page if nothing changed since.
    return PUBLISHED if page.live and not page.has_unpublished_changes else DRAFT


def names_visible_to(viewer, users) -> set[int]:
    """The ids of `users` whose names `viewer` may read: themselves, and those who are members
    or editors of a community the viewer is a member or editor of. A Common Ground draft is
    reviewed by the editors of every community, and written by members of any: naming one to a
    member of another community would tell who belongs where. Staff may read every name."""
    users = [u for u in users if u is not None]
    if not users:
        return set()
    if is_staff(viewer):
        return {u.pk for u in users}
    groups = set()
    for community in [*communities_of(viewer), *editor_communities(viewer)]:
        groups |= {community.members_group_id, community.editors_group_id}
    through = users[0].groups.through
    named = set(
        through.objects.filter(user_id__in=[u.pk for u in users], group_id__in=groups).values_list(
            "user_id", flat=True
        )
    )
    return named | ({viewer.pk} & {u.pk for u in users})
