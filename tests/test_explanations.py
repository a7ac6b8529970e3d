"""Explanation requests: the Party Office asks about an indicator off its path or an overdue
task, the sweep reminds the body like any deadline, the body answers, the reminders stop, the
Party Office closes; every step in the history; and who may do what."""

from datetime import datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from indicators.models import ExplanationState
from indicators.permissions import Action, explanation_policy
from indicators.services import explanation_answer, explanation_close, explanation_request
from indicators.tests.conftest import accepted, world  # noqa: F401  (fixtures)
from notifications.models import EmailDelivery, Reminder
from notifications.services import reminders_sweep
from tasks.models import Assignment
from tasks.services.assignments import assignment_set_deadline

pytestmark = pytest.mark.django_db


def at(day, hour=8):
    return timezone.make_aware(datetime.combine(day, time(hour)))


def explanation_reminders(**filters):
    return Reminder.objects.filter(subject_kind=Reminder.SubjectKind.EXPLANATION, **filters)


def test_the_request_is_reminded_answered_and_closed(world, accepted, in_english):  # noqa: F811
    users = world.users
    accepted(world.share, 2024, "31")  # 4 points behind the path: off track
    due = timezone.localdate() + timedelta(days=10)
    request = explanation_request(
        target=world.share,
        question="Vì sao tỷ trọng công nghiệp thấp hơn lộ trình?",
        due_on=due,
        acting_user=users["reviewer"],
    )

    result = reminders_sweep(now=at(due - timedelta(days=7)))
    reminders = explanation_reminders()

    assert result.sent >= 1
    assert {r.recipient for r in reminders} == {users["officer"]}
    reminder = reminders.get()
    assert reminder.explanation_request == request
    assert reminder.subject == f"e{request.pk}"
    assert reminder.assignment is None
    # The cast has no email addresses: the digest is kept, marked as having none.
    digest = EmailDelivery.objects.get(sweep=reminder.sweep, recipient=users["officer"])
    assert reverse("explanation_detail", args=[request.pk]) in digest.body_text
    assert "Vì sao tỷ trọng công nghiệp" in digest.body_text

    explanation_answer(
        request=request, answer="Do dự án lớn chậm tiến độ.", acting_user=users["officer"]
    )
    reminders_sweep(now=at(due))
    reminders_sweep(now=at(due + timedelta(days=14)))

    assert explanation_reminders().count() == 1  # no reminder once answered
    closed = explanation_close(request=request, note="Đã rõ.", acting_user=users["reviewer"])
    assert closed.state == ExplanationState.CLOSED
    reasons = list(
        closed.history.order_by("history_date", "history_id").values_list(
            "history_change_reason", flat=True
        )
    )
    assert reasons == ["Explanation requested", "Explanation given", "Closed"]


def test_an_unanswered_request_is_escalated_when_long_overdue(world, accepted):  # noqa: F811
    users = world.users
    accepted(world.share, 2024, "31")
    due = timezone.localdate() + timedelta(days=1)
    explanation_request(
        target=world.share, question="Giải trình", due_on=due, acting_user=users["reviewer"]
    )

    reminders_sweep(now=at(due + timedelta(days=14)))

    recipients = set(explanation_reminders().values_list("recipient__username", flat=True))
    assert {users["leader"].username, users["reviewer"].username} <= recipients


def test_an_overdue_task_may_be_asked_about(world, in_english):  # noqa: F811
    users = world.users
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    with pytest.raises(ValidationError, match="not overdue"):
        explanation_request(
            assignment=assignment,
            question="Vì sao chậm?",
            due_on=timezone.localdate() + timedelta(days=5),
            acting_user=users["reviewer"],
        )
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=users["reviewer"],
        reason="Giao thời hạn",
    )
    request = explanation_request(
        assignment=assignment,
        question="Vì sao chậm?",
        due_on=timezone.localdate() + timedelta(days=5),
        acting_user=users["reviewer"],
    )

    assert request.body == assignment.body
    reminders_sweep(now=at(request.due_on))
    assert explanation_reminders(assignment=assignment, explanation_request=request).exists()


def test_an_indicator_on_track_needs_no_explanation(world, accepted, in_english):  # noqa: F811
    accepted(world.share, 2024, "36")
    with pytest.raises(ValidationError, match="on track"):
        explanation_request(
            target=world.share,
            question="?",
            due_on=timezone.localdate() + timedelta(days=5),
            acting_user=world.users["reviewer"],
        )


def test_bad_requests_are_refused(world, in_english):  # noqa: F811
    users = world.users
    with pytest.raises(ValidationError, match="in the past"):
        explanation_request(
            target=world.share,
            question="Giải trình",
            due_on=timezone.localdate() - timedelta(days=1),
            acting_user=users["reviewer"],
        )
    with pytest.raises(ValidationError, match="what is to be explained"):
        explanation_request(
            target=world.share,
            question="  ",
            due_on=timezone.localdate(),
            acting_user=users["reviewer"],
        )
    for role in ("officer", "leader", "standing_member", "supervisor", "administrator"):
        with pytest.raises(PermissionDenied):
            explanation_request(
                target=world.share,
                question="Giải trình",
                due_on=timezone.localdate(),
                acting_user=users[role],
            )


def test_who_sees_answers_and_closes(world):  # noqa: F811
    users = world.users
    request = explanation_request(
        target=world.share,
        question="Giải trình",
        due_on=timezone.localdate(),
        acting_user=users["reviewer"],
    )
    may = explanation_policy.user_has_permission_for_instance

    seeing = {role for role in users if may(users[role], Action.VIEW, request)}
    assert seeing == {"officer", "leader", "reviewer", "standing_member"}
    with pytest.raises(PermissionDenied):
        explanation_answer(request=request, answer="x", acting_user=users["other_officer"])
    with pytest.raises(PermissionDenied):
        explanation_close(request=request, note="", acting_user=users["officer"])
    explanation_close(request=request, note="", acting_user=users["reviewer"])
    with pytest.raises(PermissionDenied):
        explanation_answer(request=request, answer="muộn", acting_user=users["officer"])


def test_an_overdue_assignments_page_offers_the_request_to_the_party_office_only(world, client):  # noqa: F811
    users = world.users
    assignment = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    create = reverse("assignment_explanation_create", args=[assignment.pk])

    def offered(role: str) -> bool:
        client.force_login(users[role])
        page = client.get(reverse("assignment_detail", args=[assignment.pk]))
        assert page.status_code == 200, role
        return f'href="{create}"' in page.content.decode()

    assert not offered("reviewer")  # not overdue yet
    assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() - timedelta(days=3),
        acting_user=users["reviewer"],
        reason="Giao thời hạn",
    )
    assert offered("reviewer")
    assert not offered("officer")
    assert not offered("standing_member")
