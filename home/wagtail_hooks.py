"""Admin wiring for data protection: staff delete an account for a member who asks."""

from django.contrib.auth import get_user_model
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.pages.listing import PageFilterSet
from wagtail.admin.widgets import ListingButton
from wagtail.models import PageLogEntry

from core.access import is_staff
from core.admin_privacy import admin_visible_pages
from home import views


@hooks.register("register_admin_urls")
def register_member_delete_url():
    return [
        path(
            "members/<int:user_id>/delete-data/",
            views.staff_member_delete,
            name="neighborhood_member_delete",
        )
    ]


@hooks.register("register_user_listing_buttons")
def member_delete_button(user, request_user):
    if is_staff(request_user) and user.pk != request_user.pk:
        yield ListingButton(
            _("Delete account and personal data"),
            reverse("neighborhood_member_delete", args=[user.pk]),
            priority=90,
        )


# The page explorer's "Owner" and "Edited by" filters list every person who owns or edited any
# page (wagtail/admin/views/pages/listing.py, PageFilterSet): shown to a member of one community,
# that names the people who write in another, and so who belongs to it (docs/privacy.md,
# invariant `members-see-own-spaces`).
# Narrowed here to the people behind pages the requester may see in the admin (the visibility
# rule, and no one else's drafts: core/admin_privacy.py).


def _owners_of_visible_pages(request):
    pages = admin_visible_pages(request.user).order_by()
    return get_user_model().objects.filter(
        pk__in=pages.values_list("owner_id", flat=True).distinct()
    )


def _editors_of_visible_pages(request):
    pages = admin_visible_pages(request.user).order_by().values("pk")
    entries = PageLogEntry.objects.filter(action="wagtail.edit", page_id__in=pages).order_by()
    return get_user_model().objects.filter(
        pk__in=entries.values_list("user_id", flat=True).distinct()
    )


PageFilterSet.base_filters["owner"].queryset = _owners_of_visible_pages
PageFilterSet.base_filters["edited_by"].queryset = _editors_of_visible_pages
