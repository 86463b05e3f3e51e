from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from community_pages import admin_views
from community_pages.privacy import not_found, page_denied
from community_pages.selectors import communities_managed_by
from community_pages.signal_handlers import space_copied
from core.visibility import (
    is_staff,
    user_can_view_file,
    user_can_view_page,
    visible_pages_searchable,
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


@hooks.register("construct_page_chooser_queryset")
def hide_private_pages_in_chooser(pages, request):
    return visible_pages_searchable(request.user, pages, live=False)


@hooks.register("construct_explorer_page_queryset")
def hide_private_pages_in_explorer(parent_page, pages, request):
    return visible_pages_searchable(request.user, pages, live=False)


@hooks.register("after_copy_page")
def provision_copied_space(request, page, new_page):
    space_copied(new_page)


@hooks.register("register_admin_urls")
def register_membership_admin_urls():
    return [path("membership/", include((admin_views.urlpatterns, "membership")))]


class MembershipMenuItem(MenuItem):
    def is_shown(self, request):
        return communities_managed_by(request.user).exists()


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
