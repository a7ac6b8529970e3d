"""The permission backend: a user's own and their groups' permissions, in one query."""

import pytest
from django.contrib.auth.models import Group, Permission

from accounts.models import User

pytestmark = pytest.mark.database


def test_it_reads_own_and_group_permissions_in_one_query(db, django_assert_num_queries):
    user = User.objects.create_user("cb.test", full_name="Cán bộ thử")
    group = Group.objects.create(name="role:test")
    group.permissions.add(Permission.objects.get(codename="view_assignment"))
    user.groups.add(group)
    user.user_permissions.add(Permission.objects.get(codename="view_body"))
    user = User.objects.get(pk=user.pk)
    with django_assert_num_queries(1):
        assert user.has_perm("tasks.view_assignment")
        assert user.has_perm("accounts.view_body")
        assert not user.has_perm("tasks.review_report")
    user.is_active = False
    assert not user.has_perm("tasks.view_assignment")


def test_a_superuser_holds_every_permission(db):
    user = User.objects.create_superuser("quantri.thu", password="Mat-khau-2026!")
    assert user.has_perm("tasks.review_report")
    assert user.has_perm("notifications.change_reminderstep")
