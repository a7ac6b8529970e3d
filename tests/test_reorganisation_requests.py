"""After the 2025 plan (fixtures/reorganisations/) is applied: the successor's members are
told of the open requests that came with the work, its officer finds the moved work and the
moved extension request on their desk, and no reminder goes to a member of the ended body.
Cross-app (reorganisation, notifications, desk), so here."""

import json
from datetime import timedelta
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from indicators.services import explanation_request
from notifications.models import Reminder
from notifications.services import reminders_plan
from reorganisation.plan import plan_parse
from reorganisation.services import reorganisation_apply
from reorganisation.tests.support import member_of
from tasks.models import Assignment, ExtensionRequest
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_request
from tests.reminders_support import queued_jobs_run

PLAN = Path(settings.FIXTURES_DIR) / "reorganisations" / "2025-khanh-hoa.json"
ENDED = "ban-quan-ly-khu-kinh-te-van-phong"
SUCCESSOR = "ban-quan-ly-khu-kinh-te-va-khu-cong-nghiep-tinh"


def van_phong(key: str, days: int, reviewer) -> Assignment:
    return assignment_set_deadline(
        assignment=Assignment.objects.get(item__key=key, body__code=ENDED),
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=days),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )


def test_the_successor_is_told_sees_its_requests_and_the_ended_body_is_not_reminded(
    cast, client, django_capture_on_commit_callbacks
):
    reviewer = cast["reviewer"]
    former = [
        member_of(ENDED, "officer", "canbo.vanphong"),
        member_of(ENDED, "leader", "lanhdao.vanphong"),
    ]
    soon = van_phong("III.3.b2", 5, reviewer)
    overdue = van_phong("III.9.b3", -3, reviewer)
    pending = extension_request(
        assignment=soon,
        proposed_deadline=timezone.localdate() + timedelta(days=90),
        reason="Chờ phê duyệt quy hoạch chung KKT Vân Phong.",
        acting_user=former[1],
    )
    asked = explanation_request(
        assignment=overdue,
        question="Vì sao chưa hoàn thành?",
        due_on=timezone.localdate() + timedelta(days=7),
        acting_user=reviewer,
    )
    assert former[0].pk in {p.recipient.pk for p in reminders_plan().planned}
    queued_jobs_run()

    with django_capture_on_commit_callbacks(execute=True):
        reorganisation_apply(
            plan=plan_parse(json.loads(PLAN.read_text(encoding="utf-8"))),
            acting_user=cast["administrator"],
        )
    officer = member_of(SUCCESSOR, "officer", "canbo.kkt")
    leader = member_of(SUCCESSOR, "leader", "lanhdao.kkt")
    queued_jobs_run()

    told = set(
        Reminder.objects.filter(subject_kind="event", recipient__in=[officer, leader]).values_list(
            "recipient__username", "event", "extension_request_id", "explanation_request_id"
        )
    )
    assert told == {
        ("lanhdao.kkt", "extension_requested", pending.pk, None),
        ("canbo.kkt", "explanation_requested", None, asked.pk),
        ("lanhdao.kkt", "explanation_requested", None, asked.pk),
    }

    planned = reminders_plan().planned
    assert not {p.recipient.pk for p in planned} & {u.pk for u in former}
    assert officer.pk in {p.recipient.pk for p in planned}

    moved = ExtensionRequest.objects.get(pk=pending.pk).assignment
    assert moved.body.code == SUCCESSOR
    client.force_login(officer)
    page = client.get(reverse("home")).content.decode()
    assert reverse("assignment_detail", args=[moved.pk]) in page
    extensions = page[page.index('id="extensions-heading"') :]
    extensions = extensions[: extensions.index("</section>")]
    assert "(1)" in extensions
    assert reverse("assignment_detail", args=[moved.pk]) in extensions
    assert pending.proposed_deadline.strftime("%d/%m/%Y") in extensions
