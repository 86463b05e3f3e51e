"""Whether a group marked "listed publicly" appears in the public Meeting Guide feed, and why not.

One function decides, for the feed (`feeds.public_meeting`) and for the editor (the "Public
meetings feed" panel and the message after saving), so what the editor is told is what the feed
does. No database, no model import: it reads the group's fields.

The rule follows the Code for Recovery specification (github.com/code4recovery/spec, README,
"Geographic Fields" and "Online Meeting Fields") and what its consumers do with a meeting
(the 12 Step Meeting List importer, `tsml_calculate_attendance_option`):

- an in-person meeting must have a street address; with only a town it is shown as inactive;
- an online meeting must have a `conference_url` or a `conference_phone` to be active, and a
  `conference_url` counts only on a provider the consumers recognise (others are dropped on
  import, `tsml_conference_provider`, the list that "matches Meeting Guide app").

So a public group is listed only with a way in that its group chose to publish: the street
address (in person or hybrid), a public conference link on a recognised provider, or a public
dial-in number (online or hybrid). A public "how to join" page is published as the meeting's
`url` (the spec's "listing on the area website"), but consumers do not count it as a way in, so
alone it does not list an online group. See docs/feeds.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.utils.translation import gettext as _

# The 12 Step Meeting List plugin's `$tsml_conference_providers` ("matches Meeting Guide app"),
# includes/variables.php: a host equal to, or a subdomain of, one of these.
CONFERENCE_PROVIDERS = {
    "bluejeans.com": "Bluejeans",
    "discord.gg": "Discord",
    "freeconference.com": "Free Conference",
    "freeconferencecall.com": "FreeConferenceCall",
    "goto.com": "GoTo",
    "gotomeet.me": "GoTo",
    "gotomeeting.com": "GoTo",
    "horizon.meta.com": "Virtual Reality",
    "maps.secondlife.com": "Virtual Reality",
    "meet.google.com": "Google Meet",
    "meet.jit.si": "Jitsi",
    "meetings.dialpad.com": "Dialpad",
    "signal.group": "Signal",
    "skype.com": "Skype",
    "slurl.com": "Virtual Reality",
    "teams.live.com": "Teams",
    "teams.microsoft.com": "Teams",
    "vrchat.com": "Virtual Reality",
    "webex.com": "WebEx",
    "zoho.com": "Zoho",
    "zoom.us": "Zoom",
}


def conference_provider(url: str) -> str | None:
    """The provider's name when the URL's host is one the consumers recognise, else None."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return None
    for domain, name in CONFERENCE_PROVIDERS.items():
        if host == domain or host.endswith("." + domain):
            return name
    return None


def provider_names() -> str:
    return ", ".join(sorted(set(CONFERENCE_PROVIDERS.values()), key=str.lower))


@dataclass
class Listing:
    """What the public feed does with one group: listed or not, and what to tell its editor."""

    listed: bool = False
    street_address: bool = False  # the entry gives the street address (approximate: "no")
    conference_url: str = ""
    conference_phone: str = ""
    reasons: list[str] = field(default_factory=list)  # why it is left out
    warnings: list[str] = field(default_factory=list)  # what consumers will ignore or drop


def public_listing(group, *, meets_weekly: bool) -> Listing:
    """The public feed's decision for `group` (a SupportGroupPage), with its reasons."""
    listing = Listing()
    is_online = group.attendance in ("online", "hybrid")
    is_in_person = group.attendance in ("in-person", "hybrid")
    for url, label in ((group.public_conference_url, "public"), (group.online_url, "members")):
        if url and is_online and conference_provider(url) is None:
            host = urlsplit(url).hostname or url
            text = (
                _(
                    "The public video-call link is on %(host)s, which Meeting Guide apps do not "
                    "recognise: they drop it. Recognised: %(providers)s."
                )
                if label == "public"
                else _(
                    "The members' video-call link is on %(host)s, which Meeting Guide apps do "
                    "not recognise: members' calendar apps show it, their meeting apps drop it. "
                    "Recognised: %(providers)s."
                )
            )
            listing.warnings.append(text % {"host": host, "providers": provider_names()})
    if not group.is_public:
        return listing
    if not group.is_open:
        listing.reasons.append(_("A closed group is never listed in the public feed."))
        return listing
    if not meets_weekly:
        listing.reasons.append(
            _(
                "The public feed lists weekly meetings only (the Meeting Guide format has no "
                "monthly or one-off meetings)."
            )
        )
        return listing
    listing.street_address = bool(is_in_person and group.publish_address and group.address)
    if is_online:
        if conference_provider(group.public_conference_url or ""):
            listing.conference_url = group.public_conference_url
        listing.conference_phone = group.public_conference_phone
    online_way = bool(listing.conference_url or listing.conference_phone)
    listing.listed = listing.street_address or online_way
    if not listing.listed:
        if is_in_person and not is_online:
            listing.reasons.append(
                _(
                    "An in-person meeting needs its street address in the feed: without it, "
                    "Meeting Guide apps show it as inactive. Tick “publish address” (with a "
                    "street address) to list it."
                )
            )
        else:
            listing.reasons.append(
                _(
                    "An online meeting needs a public way in: a public video-call link on a "
                    "recognised service or a public dial-in number%(or_address)s. The members' "
                    "link and phone are never published, and a “how to join” page alone does "
                    "not count: Meeting Guide apps would show the meeting as inactive."
                )
                % {
                    "or_address": _(", or its street address shown in the feed")
                    if is_in_person
                    else ""
                }
            )
    return listing
