"""Side effects of deleting a community page: its groups go when its last translation goes."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from community_pages.models import CommunityPage
from community_pages.provisioning import community_deprovision


@receiver(post_delete, sender=CommunityPage)
def community_page_deleted(sender, instance, **kwargs):
    community_deprovision(instance.translation_key)
