from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component
from wagtail.log_actions import LogFormatter

from core.access import communities_without_editors, is_staff
from workflows import admin_review_views, admin_views
from workflows.models import (
    APPROVAL_RECORDED,
    ELECTION_CERTIFY,
    ELECTION_CLOSE,
    ELECTION_CREATE,
    ELECTION_OPEN,
    TERM_END,
    TERM_START,
)


@hooks.register("register_admin_viewset", order=100)
def register_reviewed_page_viewset():
    """Every page's edit and workflow action views go through the review service; registered
    after Wagtail's own viewset for `Page` (order), which it replaces."""
    return admin_review_views.ReviewedPageViewSet()


@hooks.register("register_log_actions")
def register_moderation_log_actions(actions):
    @actions.register_action(APPROVAL_RECORDED)
    class ApprovalRecorded(LogFormatter):
        """An approval below the quorum: the task goes on, and the page's history shows it."""

        label = _("Approve (quorum not yet reached)")

        def format_message(self, log_entry):
            return _("Approved: %(approvals)s of %(quorum)s approvals needed") % {
                "approvals": log_entry.data.get("approvals"),
                "quorum": log_entry.data.get("quorum"),
            }


# Elections -------------------------------------------------------------------------------------


@hooks.register("register_log_actions")
def register_election_log_actions(actions):
    actions.register_action(ELECTION_CREATE, _("Create election"), _("Election created"))
    actions.register_action(ELECTION_OPEN, _("Open election"), _("Election opened"))
    actions.register_action(
        ELECTION_CLOSE, _("Close election"), _("Voting closed, results published")
    )
    actions.register_action(ELECTION_CERTIFY, _("Certify election"), _("Results certified"))
    actions.register_action(TERM_START, _("Editor term starts"), _("An editor's term started"))
    actions.register_action(TERM_END, _("Editor term ends"), _("An editor's term ended"))


@hooks.register("register_admin_urls")
def register_election_admin_urls():
    return [path("elections/", include((admin_views.urlpatterns, "elections")))]


class StaffMenuItem(MenuItem):
    def is_shown(self, request):
        return is_staff(request.user)


@hooks.register("register_admin_menu_item")
def register_elections_menu_item():
    return StaffMenuItem(_("Elections"), reverse("elections:index"), icon_name="tasks", order=260)


class NoEditorsPanel(Component):
    """On the admin dashboard, for staff: communities that have no editors."""

    order = 50
    template_name = "workflows/admin/includes/without_editors.html"

    def get_context_data(self, parent_context):
        return {"without_editors": communities_without_editors()}


@hooks.register("construct_homepage_panels")
def add_no_editors_panel(request, panels):
    if is_staff(request.user):
        panels.append(NoEditorsPanel())
