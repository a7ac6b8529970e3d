"""Reminders after a reorganisation (issue #20): none goes to a member of an ended body, and
the successors' members are reminded of the work they took on. Here, not in the
reorganisation app, since reminders sit beside it in the layers."""

from datetime import timedelta

from django.utils import timezone

from notifications.services import reminders_plan
from reorganisation.plan import plan_parse
from reorganisation.services import reorganisation_apply
from reorganisation.tests.support import SPLIT_INTO, member_of, plan_data
from tasks.models import Assignment
from tasks.services.assignments import assignment_set_deadline


def test_no_reminder_goes_to_a_member_of_an_ended_body(cast):
    original = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    assignment_set_deadline(
        assignment=original,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=cast["reviewer"],
        reason="Giao thời hạn",
    )
    former = {cast["officer"].pk, cast["leader"].pk}
    before = {p.recipient.pk for p in reminders_plan().planned}
    assert cast["officer"].pk in before  # the sweep would remind Nha Trang's officer

    reorganisation_apply(plan=plan_parse(plan_data()), acting_user=cast["administrator"])
    ward_officers = {
        member_of(code, "officer", f"canbo.{n}").pk for n, code in enumerate(SPLIT_INTO)
    }

    planned = reminders_plan().planned
    recipients = {p.recipient.pk for p in planned}
    assert not recipients & former
    assert ward_officers <= recipients
    assert not {p.deadline.body_id for p in planned} & {original.body_id}
