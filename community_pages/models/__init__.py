"""The community_pages models, by kind: `spaces` (communities, Common Ground, their sections and
records), `membership` (join requests, invitations, feed tokens), `support_groups` and their
`schedule_rows`. Django loads them from here; import them from here too.
"""

from django.core.exceptions import ValidationError

from community_pages import schedules


# Defined here, before the submodules: migration 0002 names it by this path
# (`community_pages.models.validate_time_zone`).
def validate_time_zone(value: str) -> None:
    try:
        schedules.time_zone(value)
    except ValueError as error:
        raise ValidationError(str(error), code="unknown_time_zone") from error


from community_pages.models.membership import (  # noqa: E402
    FeedToken,
    Invitation,
    JoinRequest,
    hash_token,
)
from community_pages.models.schedule_rows import (  # noqa: E402
    SupportGroupCancellation,
    SupportGroupScheduleRule,
)
from community_pages.models.spaces import (  # noqa: E402
    RESERVED_SPACE_SLUGS,
    SECTION_PAGE_TYPES,
    SECTION_TEMPLATE,
    SECTION_VIEWS,
    CommonGround,
    CommonGroundPage,
    Community,
    CommunityPage,
    GroupScheduleIndexPage,
    GuideIndexPage,
    ResourceLibraryIndexPage,
    SectionIndexPage,
    SpaceCopyForm,
    SpacePage,
    section_view_register,
    validate_space_slug,
)
from community_pages.models.support_groups import (  # noqa: E402
    GROUP_SCHEDULE_DAYS,
    SupportGroupPage,
    SupportGroupPageForm,
    validate_first_name,
    validate_languages,
    validate_phone,
)

__all__ = [
    "CommonGround",
    "CommonGroundPage",
    "Community",
    "CommunityPage",
    "FeedToken",
    "GROUP_SCHEDULE_DAYS",
    "GroupScheduleIndexPage",
    "GuideIndexPage",
    "Invitation",
    "JoinRequest",
    "RESERVED_SPACE_SLUGS",
    "ResourceLibraryIndexPage",
    "SECTION_PAGE_TYPES",
    "SECTION_TEMPLATE",
    "SECTION_VIEWS",
    "SectionIndexPage",
    "SpaceCopyForm",
    "SpacePage",
    "SupportGroupCancellation",
    "SupportGroupPage",
    "SupportGroupPageForm",
    "SupportGroupScheduleRule",
    "hash_token",
    "section_view_register",
    "validate_first_name",
    "validate_languages",
    "validate_phone",
    "validate_space_slug",
    "validate_time_zone",
]
