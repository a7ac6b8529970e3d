"""The workflow's decisions belong to the Party Office reviewer (docs/permissions.md, "Who may
do what"): accepting or returning reports, setting deadlines, deciding extensions, opening
and closing periods. The administrator manages data in the admin and is neither offered nor
allowed any of them, in the pages, the services or the admin; `sync_permissions` takes a
permission an older database still gives the administrators' group away from it."""

from datetime import date, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from accounts.permissions import role_group_name
from tasks.models import Assignment, ExtensionRequest, ReportingPeriod
from tasks.permissions import Action, assignment_policy
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request

pytestmark = pytest.mark.django_db

WORKFLOW_DECISIONS = {"review_report", "set_deadline", "manage_period"}


def fresh(user):
    """The user again, without the permissions Django cached on the instance."""
    return type(user).objects.get(pk=user.pk)


def group_codenames(role_code: str) -> set[str]:
    group = Group.objects.get(name=role_group_name(role_code))
    return set(
        group.permissions.filter(content_type__app_label="tasks").values_list("codename", flat=True)
    )


@pytest.fixture
def pending(cast) -> ExtensionRequest:
    """Nha Trang's task with a fixed deadline and its leader's pending extension request."""
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    today = timezone.localdate()
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=today + timedelta(days=30),
        acting_user=cast["reviewer"],
        reason="Giao thời hạn",
    )
    return extension_request(
        assignment=assignment,
        proposed_deadline=today + timedelta(days=90),
        reason="Chờ quy hoạch",
        acting_user=cast["leader"],
    )


def test_only_the_reviewers_group_holds_the_workflow_decisions(cast):
    assert group_codenames(Role.REVIEWER) >= WORKFLOW_DECISIONS
    for role in (Role.ADMINISTRATOR, Role.STANDING_MEMBER, Role.OFFICER, Role.LEADER):
        assert not group_codenames(role) & WORKFLOW_DECISIONS, role
    administrator = fresh(cast["administrator"])
    for action in (Action.SET_DEADLINE, Action.MANAGE_PERIOD, Action.REVIEW):
        assert not assignment_policy.user_has_permission(administrator, action), action


def test_sync_permissions_takes_the_stale_deadline_permission_from_administrators(cast):
    # What a database synced before this rule still holds.
    group = Group.objects.get(name=role_group_name(Role.ADMINISTRATOR))
    group.permissions.add(
        Permission.objects.get(content_type__app_label="tasks", codename="set_deadline")
    )
    assert fresh(cast["administrator"]).has_perm("tasks.set_deadline")

    call_command("sync_permissions", verbosity=0)

    assert "set_deadline" not in group_codenames(Role.ADMINISTRATOR)
    assert not fresh(cast["administrator"]).has_perm("tasks.set_deadline")
    assert fresh(cast["reviewer"]).has_perm("tasks.set_deadline")


def test_the_administrator_is_not_offered_deadlines_or_extension_decisions(client, cast, pending):
    assignment = pending.assignment
    deadline_url = reverse("assignment_deadline", args=[assignment.pk])
    decide_url = reverse("extension_decide", args=[pending.pk])

    client.force_login(cast["reviewer"])
    offered_to_reviewer = client.get(reverse("assignment_detail", args=[assignment.pk]))
    client.force_login(cast["administrator"])
    page = client.get(reverse("assignment_detail", args=[assignment.pk]))

    assert decide_url in offered_to_reviewer.content.decode()
    assert page.status_code == 200
    assert decide_url not in page.content.decode()
    assert deadline_url not in page.content.decode()
    periods = client.get(reverse("period_list")).content.decode()
    for period in ReportingPeriod.objects.all():
        assert reverse("period_open", args=[period.pk]) not in periods
        assert reverse("period_close", args=[period.pk]) not in periods


def test_the_administrator_may_not_set_a_deadline_nor_decide_an_extension(client, cast, pending):
    administrator = cast["administrator"]
    assignment = pending.assignment
    client.force_login(administrator)

    posted_deadline = client.post(
        reverse("assignment_deadline", args=[assignment.pk]),
        {"kind": "fixed", "deadline": "2027-06-30", "reason": "Điều chỉnh"},
    )
    posted_decision = client.post(
        reverse("extension_decide", args=[pending.pk]), {"decision": "approve", "note": "Đồng ý"}
    )
    with pytest.raises(PermissionDenied):
        assignment_set_deadline(
            assignment=assignment,
            kind="fixed",
            deadline=date(2027, 6, 30),
            acting_user=fresh(administrator),
            reason="Điều chỉnh",
        )
    with pytest.raises(PermissionDenied):
        extension_decide(request=pending, approve=True, note="", acting_user=fresh(administrator))

    assert (posted_deadline.status_code, posted_decision.status_code) == (403, 403)
    pending.refresh_from_db()
    assignment.refresh_from_db()
    assert pending.state == ExtensionRequest.State.PENDING
    assert assignment.extended_deadline is None


def test_the_admin_leaves_deadlines_and_period_states_to_the_party_office(client, cast, pending):
    """The administrator edits assignments and periods in the admin, but not the deadlines or
    whether a period is open: those go through the reviewer's pages and their services."""
    period = ReportingPeriod.objects.get(code="2027-6t")
    client.force_login(cast["administrator"])

    assignment_form = client.get(
        reverse("admin:tasks_assignment_change", args=[pending.assignment_id])
    )
    period_form = client.get(reverse("admin:tasks_reportingperiod_change", args=[period.pk]))

    assert (assignment_form.status_code, period_form.status_code) == (200, 200)
    assert 'name="item"' in assignment_form.content.decode()
    for field in ("deadline_kind", "deadline", "extended_deadline"):
        assert f'name="{field}"' not in assignment_form.content.decode(), field
    assert 'name="due_on"' in period_form.content.decode()
    assert 'name="state"' not in period_form.content.decode()
