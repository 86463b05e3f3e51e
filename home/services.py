"""Writes to a member's own account: sign-up, display name (pseudonym) and account deletion.

The display name lives in `first_name`, with `last_name` kept empty, because that is what
Wagtail shows everywhere a person is named (`get_user_display_name`: revisions, locks, workflow
history, comments, the audit log) and what bylines default to. The Neighborhood asks for no real
name; the e-mail address is for password resets and only staff see it.
"""

from __future__ import annotations

import unicodedata
from importlib import import_module

from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.admin.utils import get_user_display_name
from wagtail.log_actions import log
from wagtail.models import APIToken, Page, Revision

from community_pages.models import FeedToken
from home.audit import ACCOUNT_DELETED
from home.exports import data_exports_delete
from home.selectors import api_tokens_of
from workflows.conversations.services import member_conversations_delete
from workflows.gatherings.services import member_forget as gatherings_forget
from workflows.models import Nomination, Notification, NotificationEmailOff
from workflows.proposals.services import member_forget as proposals_forget
from workflows.remembrance.services import remembrances_on_account_delete

DISPLAY_NAME_MAX_LENGTH = 60
TOKEN_NAME_MAX_LENGTH = 100
MAX_ACTIVE_TOKENS = 20


# Sign-up -------------------------------------------------------------------------------------


class SignupTokenGenerator(PasswordResetTokenGenerator):
    """The link that finishes a sign-up: its own salt (a password-reset link does not open it),
    valid while the account waits (`is_active` is in the hash) and until the first sign-in."""

    key_salt = "home.services.SignupTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        return f"{super()._make_hash_value(user, timestamp)}{user.is_active}"


signup_tokens = SignupTokenGenerator()


def signup_start(*, username: str, email: str, password: str):
    """A new account waiting for its e-mail link, or None when the name is taken.

    The caller answers the same either way and says which it was only in the e-mail. Both ways
    hash the password once, so neither is quicker.
    """
    model = get_user_model()
    hashed = make_password(password)
    if model.objects.filter(username__iexact=username).exists():
        return None
    try:
        with transaction.atomic():
            return model.objects.create(
                username=username, email=email, password=hashed, is_active=False
            )
    except IntegrityError:  # taken a moment ago
        return None


def signup_finish(user, token: str) -> bool:
    """Open a waiting account whose link is right; False for any other link."""
    if user is None or user.is_active or not signup_tokens.check_token(user, token):
        return False
    user.is_active = True
    user.save(update_fields=["is_active"])
    return True


FORMER_MEMBER = gettext_lazy("a former member")


def display_name_validate(display_name: str) -> str:
    name = " ".join(str(display_name).split())
    if not name:
        raise ValidationError(_("Choose a display name."), code="required")
    if len(name) > DISPLAY_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Keep the display name to %(max)d characters or fewer.")
            % {"max": DISPLAY_NAME_MAX_LENGTH},
            code="max_length",
        )
    if any(unicodedata.category(char).startswith("C") for char in name):
        raise ValidationError(_("The display name cannot hold control characters."), code="invalid")
    return name


def display_name_set(*, user, display_name: str) -> None:
    """The name others see on bylines, nominations and in the admin."""
    name = display_name_validate(display_name)
    user.first_name = name
    user.last_name = ""
    user.save(update_fields=["first_name", "last_name"])


def _is_own_byline(byline, names: set[str]) -> bool:
    """A byline that names the member (or is empty, meaning "the author"): theirs to take out.
    An organisation or another person credited by the member stays."""
    return " ".join(str(byline or "").split()) in names | {""}


def _scrub_revisions(page_ids: list[int], *, byline: str, names: set[str]) -> None:
    """A revision holds a copy of the page, owner and byline included: take the person out."""
    for revision in Revision.page_revisions.filter(object_id__in=[str(pk) for pk in page_ids]):
        content = revision.content
        content["owner"] = None
        if "byline" in content and _is_own_byline(content["byline"], names):
            content["byline"] = byline
        revision.content = content
        revision.save(update_fields=["content"])


def _delete_sessions(user) -> None:
    """Every session signed in as the user, through the session engine: with `cached_db`
    (REDIS_URL) its copy in the cache goes too, not the database row only."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    user_id = str(user.pk)
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            store(session_key=session.session_key).delete()


@transaction.atomic
def member_delete(*, user, keep_published: bool, actor=None) -> None:
    """Delete an account and the personal data it holds (docs/data-protection.md).

    Drafts never published are deleted. Published pages either stay, credited to "a former
    member", or are unpublished; either way the owner and byline are taken out of them and of
    their revisions. Sessions, API tokens, feed tokens, notifications, two-factor devices, join
    requests, comments and nominations never accepted go; failed sign-in records for the
    username go.
    Candidacies and editor terms stay under "a former member" (statements go), so results do not
    change. Election ballots were never linked to anyone and stay. Logged to the audit log by
    account id only.
    """
    user_model = get_user_model()
    if not isinstance(user, user_model) or user.pk is None:
        raise ValidationError(_("There is no such account."))
    if keep_published not in (True, False):
        raise ValidationError(_("Choose what happens to your published pages."))
    data_exports_delete(user=user)
    former = str(FORMER_MEMBER)
    names = {
        " ".join(name.split())
        for name in (get_user_display_name(user), user.get_full_name(), user.get_username())
        if name and name.strip()
    }

    owned = Page.objects.filter(owner=user)
    drafts = [page for page in owned.filter(first_published_at__isnull=True) if page.is_leaf()]
    for draft in drafts:
        draft.specific.delete()
    published = list(Page.objects.filter(owner=user).specific())
    for page in published:
        if not keep_published and page.live:
            page.unpublish(user=actor, log_action=True)
    page_ids = [page.pk for page in published]
    translation_keys = {page.translation_key for page in published}
    for page in Page.objects.filter(translation_key__in=translation_keys).specific():
        if hasattr(page, "byline") and _is_own_byline(page.byline, names):
            page.byline = former
            page.save(update_fields=["byline"], clean=False, log_action=False)
        page_ids.append(page.pk)
    Page.objects.filter(owner=user).update(owner=None)
    Page.objects.filter(locked_by=user).update(locked_by=None, locked=False, locked_at=None)
    _scrub_revisions(page_ids, byline=former, names=names)
    Revision.objects.filter(user=user).update(user=None)

    APIToken.objects.filter(user=user).delete()
    FeedToken.objects.filter(user=user).delete()
    Notification.objects.filter(recipient=user).delete()
    NotificationEmailOff.objects.filter(user=user).delete()
    _delete_sessions(user)
    AccessAttempt.objects.filter(username=user.get_username()).delete()
    AccessLog.objects.filter(username=user.get_username()).delete()

    account_id = user.pk
    by = actor if actor is not None and actor.pk != account_id else None
    log(user, ACCOUNT_DELETED, user=by, title=f"#{account_id}", data={"user_id": account_id})
    # An election's record stays as it was: accepted nominations (candidates on ballots, with
    # their votes) and editor terms stay under "a former member" (`SET_NULL`), the statement
    # goes; nominations never accepted go. Roll entries go with the account (`CASCADE`); ballot
    # receipts stay, linked to no one (`SET_NULL`), so an election's receipts still count its
    # ballots; ballots hold no voter and stay.
    Nomination.objects.filter(nominee=user).exclude(status=Nomination.Status.ACCEPTED).delete()
    Nomination.objects.filter(nominee=user).update(statement="")
    # Remembrances go, unless the member chose to leave one with the community.
    remembrances_on_account_delete(user)
    # Their replies are erased (a "deleted" mark stays only where others answered); topics they
    # started stay with no one named, for the others' replies (docs/community-tools.md).
    member_conversations_delete(user)
    # RSVPs go (a freed place goes to the first in line) and bring-list claims are given back;
    # responses to open proposals go; a closed proposal's responses stay (not their reasons), and
    # the gatherings and proposals the member made stay, under "a former member".
    gatherings_forget(user)
    proposals_forget(user)
    user.delete()


# API tokens ----------------------------------------------------------------------------------


@transaction.atomic
def api_token_create(*, user, name: str) -> tuple[APIToken, str]:
    """A new token for the user; returns (token, plaintext). The plaintext is never stored."""
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Give the token a name, e.g. the app that will use it."))
    if len(name) > TOKEN_NAME_MAX_LENGTH:
        raise ValidationError(
            _("Keep the name under %(n)d characters.") % {"n": TOKEN_NAME_MAX_LENGTH}
        )
    if api_tokens_of(user).count() >= MAX_ACTIVE_TOKENS:
        raise ValidationError(
            _("You have %(n)d tokens: revoke one first.") % {"n": MAX_ACTIVE_TOKENS}
        )
    token, plaintext = APIToken.create_token(user=user, name=name)
    log(token, "wagtail.apitoken.create", user=user, data={"source": "member"})
    return token, plaintext


@transaction.atomic
def api_token_revoke(*, user, token_id) -> APIToken:
    """Revoke one of the user's own tokens. Someone else's token is answered as not found."""
    try:
        token_id = int(token_id)
    except (TypeError, ValueError):
        raise ValidationError(_("That token does not exist.")) from None
    token = api_tokens_of(user).select_for_update().filter(pk=token_id).first()
    if token is None:
        raise ValidationError(_("That token does not exist."))
    token.revoke()
    log(token, "wagtail.apitoken.revoke", user=user, data={"source": "member"})
    return token
