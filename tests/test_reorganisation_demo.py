"""The demo story up to the 2025 reorganisation, with work of the ended Vân Phong board
waiting on an extension decision: once the demo's own plan is applied on 1/7/2025, no reminder
goes to the board's former members, and the successor board's officer finds the moved work and
the moved request on their desk. Cross-app (the demo, the reorganisation, reminders, the
desk), so here."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse

from accounts.models import Body, Role, User
from accounts.services import membership_grant, user_create
from notifications.services import reminders_plan
from operations.demo.story import reorganisation_2025, story_steps
from operations.demo.telling import Story, tell
from tasks.models import Assignment, ExtensionRequest
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_request

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
ACT = datetime(2025, 7, 1, 8, tzinfo=HCM)
ENDED = "ban-quan-ly-khu-kinh-te-van-phong"
SUCCESSOR = "ban-quan-ly-khu-kinh-te-va-khu-cong-nghiep-tinh"


def person(username: str, body: str, role: str) -> User:
    user = user_create(
        username=username,
        full_name=username,
        password="mat-khau-thu-nghiem-2026",
        acting_user=None,
        reason="test",
    )
    membership_grant(
        user=user,
        body=Body.objects.get(code=body),
        role=Role.objects.get(code=role),
        acting_user=None,
        reason="test",
    )
    return User.objects.get(pk=user.pk)


@pytest.mark.django_db(transaction=False)
def test_after_the_demo_s_act_the_successor_board_holds_the_work_and_its_request(client):
    with override_settings(DEBUG=True):
        tell(
            steps=[step for step in story_steps() if step.when < ACT],
            is_told=lambda: False,
            is_begun=lambda: False,
        )
    story = Story()
    with time_machine.travel(datetime(2025, 6, 20, 9, tzinfo=HCM), tick=False):
        former = [
            person("vanphong.canbo", ENDED, Role.OFFICER),
            person("vanphong.lanhdao", ENDED, Role.LEADER),
        ]
        work = assignment_set_deadline(
            assignment=Assignment.objects.get(item__key="III.3.b2", body__code=ENDED),
            kind="fixed",
            deadline=date(2025, 6, 25),
            acting_user=story.user("vanphong"),
            reason="Hoàn thành rà soát quỹ đất trước 25/6/2025.",
        )
        pending = extension_request(
            assignment=work,
            proposed_deadline=date(2025, 9, 30),
            reason="Chờ hợp nhất các ban quản lý.",
            acting_user=former[1],
        )
        assert former[0].pk in {p.recipient.pk for p in reminders_plan().planned}

    with time_machine.travel(ACT, tick=False):
        reorganisation_2025(story)
        officer = person("kkt.canbo", SUCCESSOR, Role.OFFICER)

    with time_machine.travel(datetime(2025, 7, 2, 8, tzinfo=HCM), tick=False):
        planned = reminders_plan().planned
        recipients = {p.recipient.pk for p in planned}
        assert not recipients & {u.pk for u in former}
        assert officer.pk in recipients

        moved = ExtensionRequest.objects.get(pk=pending.pk)
        assert moved.state == ExtensionRequest.State.PENDING
        assert moved.assignment.body.code == SUCCESSOR
        assert moved.assignment.predecessor_id == work.pk
        client.force_login(officer)
        page = client.get(reverse("home")).content.decode()
        link = reverse("assignment_detail", args=[moved.assignment_id])
        assert link in page
        extensions = page[page.index('id="extensions-heading"') :]
        extensions = extensions[: extensions.index("</section>")]
        assert link in extensions and "30/09/2025" in extensions
