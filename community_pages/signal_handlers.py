"""Side effects of deleting a community page (its groups go when its last translation goes) and
of copying or translating a community or Common Ground page."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail.signals import copy_for_translation_done

from community_pages.models import CommonGroundPage, CommunityPage
from community_pages.provisioning import (
    common_ground_provision,
    community_deprovision,
    community_provision,
)


@receiver(post_delete, sender=CommunityPage)
def community_page_deleted(sender, instance, **kwargs):
    community_deprovision(instance.translation_key)


def space_copied(page) -> None:
    """Wagtail copies a page's view restrictions onto its copy (a translation, an alias or a
    plain copy) after saving it, so after `save` provisioned it: provision again, so that the
    copy keeps exactly one restriction, its own."""
    if isinstance(page, CommunityPage):
        community_provision(page)
    elif isinstance(page, CommonGroundPage):
        common_ground_provision()


@receiver(copy_for_translation_done)
def space_translated(sender, source_obj, target_obj, **kwargs):
    space_copied(target_obj)
