"""Sign-in events go to the security log (the log writing is in security.py), and changes of
access move the users' access version (access.py)."""

from axes.signals import user_locked_out
from django.contrib.auth.models import Group
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from .access import access_bump, user_cache_forget
from .middleware import last_activity_stamp
from .models import Body, Membership, Role, SecurityEvent, User
from .security import security_event_record


@receiver(user_logged_in, dispatch_uid="security_log_signed_in")
def log_signed_in(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.SIGNED_IN, request=request, user=user)
    # The idle clock starts at sign-in, so the first page after it writes nothing more.
    if request is not None and hasattr(request, "session"):
        last_activity_stamp(request.session)


@receiver(user_logged_out, dispatch_uid="security_log_signed_out")
def log_signed_out(sender, request, user, **kwargs):
    security_event_record(kind=SecurityEvent.Kind.SIGNED_OUT, request=request, user=user)


@receiver(user_login_failed, dispatch_uid="security_log_sign_in_failed")
def log_sign_in_failed(sender, credentials, request=None, **kwargs):
    security_event_record(
        kind=SecurityEvent.Kind.SIGN_IN_FAILED,
        request=request,
        username=str(credentials.get("username", "")),
    )


@receiver(user_locked_out, dispatch_uid="security_log_locked_out")
def log_locked_out(sender, request, username, ip_address, **kwargs):
    by_address = getattr(request, "lockout_by_address", False)
    security_event_record(
        kind=SecurityEvent.Kind.LOCKED_OUT,
        request=request,
        username=username or "",
        detail="by address" if by_address else "by user name and address",
    )


# Access changes: every write of memberships, groups and permissions moves the access version
# of the users it concerns (access.py), whichever path made it (services, the admin's forms).
# Thin receivers: what to bump is all they decide.


def _refresh(user) -> None:
    """The in-memory user that made the change reads its new access at once."""
    if user is None or user.pk is None:
        return
    user.access_version = (
        User.objects.filter(pk=user.pk).values_list("access_version", flat=True).first() or 0
    )
    for attribute in ("_perm_cache", "_active_memberships", "_assignment_grants"):
        user.__dict__.pop(attribute, None)


@receiver(post_save, sender=Membership, dispatch_uid="access_membership_saved")
@receiver(post_delete, sender=Membership, dispatch_uid="access_membership_deleted")
def membership_changed(sender, instance: Membership, **kwargs):
    access_bump(user_ids=[instance.user_id])
    _refresh(instance._state.fields_cache.get("user"))


@receiver(post_save, sender=Body, dispatch_uid="access_body_saved")
@receiver(post_save, sender=Role, dispatch_uid="access_role_saved")
def membership_names_changed(sender, instance, created, **kwargs):
    # A cached membership carries its body's and role's names and validity.
    if created:
        return
    field = "body" if sender is Body else "role"
    members = Membership.objects.filter(**{field: instance}).values_list("user_id", flat=True)
    access_bump(user_ids=members)


@receiver(pre_delete, sender=Group, dispatch_uid="access_group_deleted")
def group_deleted(sender, instance: Group, **kwargs):
    access_bump(group_ids=[instance.pk])


def _m2m_bump(instance, action, reverse, pk_set, *, forward_is_user, reverse_users):
    """The users an m2m change concerns, on either side of the relation."""
    if action not in ("post_add", "post_remove", "pre_clear"):
        return
    if action != "pre_clear" and not pk_set:
        return
    if not reverse:
        if forward_is_user:
            access_bump(user_ids=[instance.pk])
            _refresh(instance)
        else:
            access_bump(group_ids=[instance.pk])
    elif action == "pre_clear":
        reverse_users(instance)
    elif forward_is_user:
        access_bump(user_ids=pk_set)
    else:
        access_bump(group_ids=pk_set)


@receiver(m2m_changed, sender=User.groups.through, dispatch_uid="access_user_groups")
def user_groups_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _m2m_bump(
        instance,
        action,
        reverse,
        pk_set,
        forward_is_user=True,
        reverse_users=lambda group: access_bump(group_ids=[group.pk]),
    )


@receiver(m2m_changed, sender=User.user_permissions.through, dispatch_uid="access_user_permissions")
def user_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _m2m_bump(
        instance,
        action,
        reverse,
        pk_set,
        forward_is_user=True,
        reverse_users=lambda permission: access_bump(
            user_ids=User.objects.filter(user_permissions=permission).values_list("pk", flat=True)
        ),
    )


@receiver(m2m_changed, sender=Group.permissions.through, dispatch_uid="access_group_permissions")
def group_permissions_changed(sender, instance, action, reverse, pk_set, **kwargs):
    _m2m_bump(
        instance,
        action,
        reverse,
        pk_set,
        forward_is_user=False,
        reverse_users=lambda permission: access_bump(
            group_ids=Group.objects.filter(permissions=permission).values_list("pk", flat=True)
        ),
    )


@receiver(post_save, sender=User, dispatch_uid="access_user_saved")
@receiver(post_delete, sender=User, dispatch_uid="access_user_deleted")
def user_saved(sender, instance: User, **kwargs):
    # The cached row (USER_CACHE) goes with every save: a password, an active flag, a name.
    user_cache_forget([instance.pk])
