"""Who changed memberships, groups and page permissions: written to Wagtail's audit log.

Staff read it in the admin's "Site history" report, beside Wagtail's own entries (privacy
changes are `wagtail.view_restriction.*`, logged by Wagtail itself). Membership services,
elections and the admin all change a person's groups, so the log is written where every one of
them passes: the `User.groups` relation, join requests, invitations and `GroupPagePermission`.
Entries name people by account id only, never by name or e-mail.
https://docs.wagtail.org/en/stable/extending/audit_log.html
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter, get_active_log_context, log
from wagtail.models import GroupPagePermission

from community_pages.models import Invitation, JoinRequest

GROUP_MEMBER_ADDED = "neighborhood.group.member_added"
GROUP_MEMBER_REMOVED = "neighborhood.group.member_removed"
JOIN_REQUEST_DECIDED = "neighborhood.join_request.decided"
INVITATION_USED = "neighborhood.invitation.used"
PAGE_PERMISSION_ADDED = "neighborhood.page_permission.added"
PAGE_PERMISSION_REMOVED = "neighborhood.page_permission.removed"
ACCOUNT_DELETED = "neighborhood.account.deleted"

ACTIONS = [
    (GROUP_MEMBER_ADDED, _("Group member added"), _("Account %(user)s added to the group")),
    (GROUP_MEMBER_REMOVED, _("Group member removed"), _("Account %(user)s removed from the group")),
    (JOIN_REQUEST_DECIDED, _("Join request decided"), _("Join request %(status)s")),
    (INVITATION_USED, _("Invitation used"), _("Invitation used by account %(user)s")),
    (PAGE_PERMISSION_ADDED, _("Page permission added"), _("Page permission added: %(detail)s")),
    (
        PAGE_PERMISSION_REMOVED,
        _("Page permission removed"),
        _("Page permission removed: %(detail)s"),
    ),
    (ACCOUNT_DELETED, _("Account deleted"), _("Account %(user)s deleted")),
]


def _formatter(label, message):
    class Formatter(LogFormatter):
        def format_message(self, log_entry):
            data = log_entry.data or {}
            return message % {
                "user": data.get("user_id", "?"),
                "status": data.get("status", ""),
                "detail": data.get("detail", ""),
            }

    Formatter.label = label
    return Formatter


@hooks.register("register_log_actions")
def register_neighborhood_log_actions(actions):
    for action, label, message in ACTIONS:
        actions.register_action(action)(_formatter(label, message))


def _actor():
    return get_active_log_context().user


def _groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("post_add", "post_remove") or not pk_set:
        return
    verb = GROUP_MEMBER_ADDED if action == "post_add" else GROUP_MEMBER_REMOVED
    if reverse:  # group.user_set.add(...)
        pairs = [(instance, pk) for pk in pk_set]
    else:  # user.groups.add(...)
        pairs = [(group, instance.pk) for group in Group.objects.filter(pk__in=pk_set)]
    for group, user_id in pairs:
        log(group, verb, user=_actor(), data={"user_id": user_id})


def _join_request_saved(sender, instance, created, **kwargs):
    if instance.status in (JoinRequest.Status.ADMITTED, JoinRequest.Status.DECLINED):
        log(
            instance,
            JOIN_REQUEST_DECIDED,
            user=instance.decided_by or _actor(),
            title=str(instance.community),
            data={"user_id": instance.user_id, "status": instance.status},
        )


def _invitation_saved(sender, instance, created, **kwargs):
    if instance.used_by_id and instance.used_at:
        log(
            instance,
            INVITATION_USED,
            user=instance.used_by,
            title=str(instance.community),
            data={"user_id": instance.used_by_id},
        )


def _permission_detail(permission) -> str:
    codename = (
        Permission.objects.filter(pk=permission.permission_id)
        .values_list("codename", flat=True)
        .first()
    )
    return f"{codename} · page {permission.page_id}"


def _permission_saved(sender, instance, created, **kwargs):
    if created:
        log(
            instance.group,
            PAGE_PERMISSION_ADDED,
            user=_actor(),
            data={"detail": _permission_detail(instance)},
        )


def _permission_deleted(sender, instance, **kwargs):
    # When a whole group is deleted, its permissions go with it: nothing left to log against.
    group = Group.objects.filter(pk=instance.group_id).first()
    if group is not None:
        log(
            group,
            PAGE_PERMISSION_REMOVED,
            user=_actor(),
            data={"detail": _permission_detail(instance)},
        )


def connect():
    user_groups = get_user_model().groups.through
    m2m_changed.connect(_groups_changed, sender=user_groups, dispatch_uid="nb_audit_groups")
    post_save.connect(_join_request_saved, sender=JoinRequest, dispatch_uid="nb_audit_join")
    post_save.connect(_invitation_saved, sender=Invitation, dispatch_uid="nb_audit_invitation")
    post_save.connect(_permission_saved, sender=GroupPagePermission, dispatch_uid="nb_audit_pp")
    post_delete.connect(
        _permission_deleted, sender=GroupPagePermission, dispatch_uid="nb_audit_pp_del"
    )
