from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.navigation import get_site_for_user
from wagtail.admin.site_summary import PagesSummaryItem
from wagtail.admin.ui.side_panels import StatusSidePanel
from wagtail.models import Page

from community_pages import admin_views
from community_pages.admin_panels import listing_of
from community_pages.models import SupportGroupPage
from community_pages.privacy import not_found, page_denied
from community_pages.signal_handlers import space_copied
from core.access import managed_communities
from core.admin_privacy import (
    admin_visible_pages,
    as_listed_for,
    visible_reference_count,
)
from core.admin_privacy import install_policies as install_admin_policies
from core.visibility import (
    is_staff,
    user_can_view_file,
    user_can_view_page,
)


@hooks.register("before_serve_page", order=-100)
def enforce_page_privacy(page, request, serve_args, serve_kwargs):
    """Runs before Wagtail's own restriction check, and answers for it when access is denied:
    like a missing page, except a space's own front page (docs/privacy.md)."""
    if not user_can_view_page(request.user, page):
        return page_denied(request, page)
    return None


@hooks.register("before_serve_document", order=-100)
def enforce_document_privacy(document, request):
    """A hidden document answers exactly like a missing id (`resources.views.document`)."""
    if not user_can_view_file(request.user, document):
        return not_found(request)
    return None


# The admin reads through the rule (docs/privacy.md, "Admin screens"): Wagtail's page, document
# and image permission policies are replaced by narrowed ones, here because Wagtail asks that
# they be registered before its views look them up and after wagtail.documents and
# wagtail.images registered theirs. The chooser and explorer hooks narrow the querysets that do
# not start from a policy (the page chooser browses the whole tree).
install_admin_policies()


@hooks.register("construct_page_chooser_queryset")
def hide_private_pages_in_chooser(pages, request):
    return as_listed_for(request.user, admin_visible_pages(request.user, pages))


@hooks.register("construct_explorer_page_queryset")
def hide_private_pages_in_explorer(parent_page, pages, request):
    return as_listed_for(request.user, admin_visible_pages(request.user, pages))


class VisiblePagesSummaryItem(PagesSummaryItem):
    """The dashboard's "N Pages" counts what the admin shows this person, not every page below
    their explorable root (which counted editors-only pages and other members' drafts)."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        root = get_site_for_user(self.request.user)["root_page"]
        if root is not None:
            pages = Page.objects.descendant_of(root, inclusive=True).exclude(depth=1)
            context["total_pages"] = admin_visible_pages(self.request.user, pages).count()
        return context


@hooks.register("construct_homepage_summary_items", order=100)  # after Wagtail adds its item
def count_only_visible_pages(request, summary_items):
    if not is_staff(request.user):
        summary_items[:] = [
            VisiblePagesSummaryItem(request) if type(item) is PagesSummaryItem else item
            for item in summary_items
        ]


_wagtail_usage_context = StatusSidePanel.get_usage_context


def _visible_usage_context(self):
    """An edit screen's "Referenced N times" counts only referring pages the admin shows this
    person (Wagtail counts every reference, from other communities and drafts too)."""
    context = _wagtail_usage_context(self)
    if self.object.pk and not is_staff(self.request.user):
        context["usage_count"] = visible_reference_count(self.request.user, self.object)
    return context


StatusSidePanel.get_usage_context = _visible_usage_context


@hooks.register("after_copy_page")
def provision_copied_space(request, page, new_page):
    space_copied(new_page)


@hooks.register("register_admin_urls")
def register_membership_admin_urls():
    return [path("membership/", include((admin_views.urlpatterns, "membership")))]


class MembershipMenuItem(MenuItem):
    def is_shown(self, request):
        return managed_communities(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_membership_menu_item():
    return MembershipMenuItem(
        _("Membership"), reverse("membership:index"), icon_name="group", order=250
    )


@hooks.register("construct_main_menu")
def hide_reports_from_members_and_editors(request, menu_items):
    """Wagtail's reports are staff-only here (AdminPagePrivacyMiddleware refuses them): their
    filters by person span every page, so they would name who writes in other communities."""
    if not is_staff(request.user):
        menu_items[:] = [item for item in menu_items if item.name != "reports"]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def tell_editor_about_the_public_feed(request, page):
    """After saving a support group: why the public feed leaves it out, and which video-call
    links Meeting Guide apps drop (the same words as the page's "Public meetings feed" panel)."""
    page = page.specific
    if not isinstance(page, SupportGroupPage):
        return
    listing = listing_of(page)
    notes = ([*listing.reasons] if page.is_public else []) + listing.warnings
    for note in notes:
        messages.warning(request, note)
