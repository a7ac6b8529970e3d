"""The signed-in user's access (memberships, model permissions, assignment grants) is served
from the cache, keyed on their access version: every kind of write that changes it shows on
the very next request, and no two users share an entry."""

from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import Body, Membership, Role, User
from accounts.permissions import active_memberships, role_group_name
from accounts.services import membership_end, membership_grant, user_create
from tasks.models import Assignment
from tasks.permissions import Action, assignment_policy
from tasks.services.grants import assignment_grants_sync


def nha_trang_work() -> Assignment:
    return (
        Assignment.objects.filter(body__code="thanh-uy-nha-trang", cancelled_on__isnull=True)
        .reporting()
        .order_by("pk")
        .first()
    )


def next_request(user: User) -> User:
    """The user as the next request loads them."""
    return User.objects.get(pk=user.pk)


def newcomer() -> User:
    return user_create(
        username="moi.den",
        full_name="Người Mới",
        password="Khanhhoa@2026x",
        acting_user=None,
        reason="test",
    )


def test_a_revoked_membership_takes_effect_on_the_very_next_request(client, cast):
    work = nha_trang_work()
    url = reverse("assignment_detail", args=[work.pk])
    client.force_login(cast["officer"])
    assert client.get(url).status_code == 200
    assert client.get(url).status_code == 200  # now from the cache

    membership = Membership.objects.get(user=cast["officer"], body__code="thanh-uy-nha-trang")
    membership_end(
        membership=membership, acting_user=cast["administrator"], reason="chuyển công tác"
    )

    assert client.get(url).status_code in (403, 404)


def test_a_new_membership_takes_effect_on_the_very_next_request(client, cast):
    work = nha_trang_work()
    url = reverse("assignment_detail", args=[work.pk])
    user = newcomer()
    client.force_login(user)
    assert client.get(url).status_code in (403, 404)

    membership_grant(
        user=user,
        body=Body.objects.get(code="thanh-uy-nha-trang"),
        role=Role.objects.get(code=Role.OFFICER),
        acting_user=cast["administrator"],
        reason="nhận công tác",
    )

    assert client.get(url).status_code == 200


def test_two_users_never_share_an_entry(client, cast):
    work = nha_trang_work()
    url = reverse("assignment_detail", args=[work.pk])
    mine, theirs = cast["officer"], cast["other_officer"]
    # Both at the same access version: only the user in the key tells the entries apart.
    User.objects.filter(pk__in=[mine.pk, theirs.pk]).update(access_version=7)
    mine, theirs = next_request(mine), next_request(theirs)

    client.force_login(mine)
    assert client.get(url).status_code == 200
    client.force_login(theirs)
    assert client.get(url).status_code in (403, 404)
    assert [m.body.code for m in active_memberships(next_request(theirs))] == ["thanh-uy-cam-ranh"]
    assert [m.body.code for m in active_memberships(next_request(mine))] == ["thanh-uy-nha-trang"]


def warm(user: User) -> User:
    """A request's worth of access read, so that the cache holds it."""
    user = next_request(user)
    active_memberships(user)
    user.get_all_permissions()
    assignment_policy.user_holds_any(user, Action.DRAFT)
    return user


def test_it_is_never_stale_after_a_membership_saved_outside_the_services(cast):
    # The admin's membership forms save the row directly.
    user = warm(cast["officer"])
    Membership.objects.create(
        user=user,
        body=Body.objects.get(code="thanh-uy-cam-ranh"),
        role=Role.objects.get(code="leader"),
    )
    assert {m.body.code for m in active_memberships(next_request(user))} == {
        "thanh-uy-nha-trang",
        "thanh-uy-cam-ranh",
    }
    Membership.objects.filter(user=user, body__code="thanh-uy-cam-ranh").delete()
    assert [m.body.code for m in active_memberships(next_request(user))] == ["thanh-uy-nha-trang"]


def test_it_is_never_stale_after_a_change_of_the_users_groups(cast):
    user = warm(cast["officer"])
    reviewers = Group.objects.get(name=role_group_name(Role.REVIEWER))
    assert not next_request(user).has_perm("tasks.review_report")

    user.groups.add(reviewers)
    assert next_request(user).has_perm("tasks.review_report")

    warm(user)
    reviewers.user_set.remove(user)
    assert not next_request(user).has_perm("tasks.review_report")

    warm(user)
    reviewers.user_set.add(user)
    assert next_request(user).has_perm("tasks.review_report")
    warm(user)
    reviewers.user_set.clear()
    assert not next_request(user).has_perm("tasks.review_report")


def test_it_is_never_stale_after_a_change_of_the_users_own_permissions(cast):
    user = warm(cast["officer"])
    permission = Permission.objects.get(codename="manage_period")

    user.user_permissions.add(permission)
    assert next_request(user).has_perm("tasks.manage_period")

    warm(user)
    permission.user_set.clear()
    assert not next_request(user).has_perm("tasks.manage_period")


def test_it_is_never_stale_after_a_change_of_a_groups_permissions(cast):
    user = warm(cast["officer"])
    officers = Group.objects.get(name=role_group_name(Role.OFFICER))
    permission = Permission.objects.get(codename="set_deadline")

    officers.permissions.add(permission)
    assert next_request(user).has_perm("tasks.set_deadline")

    warm(user)
    permission.group_set.remove(officers)
    assert not next_request(user).has_perm("tasks.set_deadline")


def test_it_is_never_stale_after_the_assignment_grants_change(cast):
    work = nha_trang_work()
    user = warm(cast["officer"])
    assert assignment_policy.user_has_permission_for_instance(
        next_request(user), Action.DRAFT, work
    )

    work.body = Body.objects.get(code="thanh-uy-cam-ranh")
    work._change_reason = "test"
    work.save()
    assignment_grants_sync(items=[work.item])

    assert not assignment_policy.user_has_permission_for_instance(
        next_request(user), Action.DRAFT, work
    )
    other = warm(cast["other_officer"])
    assert assignment_policy.user_has_permission_for_instance(
        next_request(other), Action.DRAFT, work
    )


def test_it_is_never_stale_after_a_body_or_a_role_is_renamed(cast):
    user = warm(cast["officer"])
    body = Body.objects.get(code="thanh-uy-nha-trang")
    body.name = "Thành ủy Nha Trang (mới)"
    body._change_reason = "test"
    body.save()
    role = Role.objects.get(code=Role.OFFICER)
    role.name = "Cán bộ theo dõi (mới)"
    role._change_reason = "test"
    role.save()

    (membership,) = active_memberships(next_request(user))
    assert (membership.body.name, membership.role.name) == (body.name, role.name)


def test_it_is_never_stale_after_a_group_is_deleted(cast):
    user = warm(cast["officer"])
    group = Group.objects.create(name="tạm thời")
    group.permissions.add(Permission.objects.get(codename="manage_period"))
    user.groups.add(group)
    assert warm(user).has_perm("tasks.manage_period")

    group.delete()
    assert not next_request(user).has_perm("tasks.manage_period")


def test_the_user_who_changed_it_sees_it_in_the_same_request(cast):
    user = warm(cast["officer"])
    membership_grant(
        user=user,
        body=Body.objects.get(code="thanh-uy-cam-ranh"),
        role=Role.objects.get(code=Role.LEADER),
        acting_user=cast["administrator"],
        reason="kiêm nhiệm",
    )
    assert len(active_memberships(user)) == 2
