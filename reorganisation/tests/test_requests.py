"""Open requests follow the work: a pending extension request goes with its moved assignment
(a copy to each other successor sharing it) and an open explanation request to the successor
that carries the work, each change with the act as its reason; decided and closed requests
stay where they are; the trial run lists them per body."""

import json
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from indicators.models import ExplanationRequest
from indicators.services import explanation_request
from programme.models import Target
from reorganisation.plan import plan_parse
from reorganisation.services import reorganisation_apply
from reorganisation.summary import outcome_lines
from tasks.models import Assignment, ExtensionRequest
from tasks.services.assignments import assignment_set_deadline
from tasks.services.common import tracked_save
from tasks.services.extensions import extension_decide
from tasks.services.extensions import extension_request as extension_ask

from .support import SPLIT_INTO, plan_data

WARD, NORTH_WARD = SPLIT_INTO


def nha_trang(key: str) -> Assignment:
    return Assignment.objects.get(item__key=key, body__code="thanh-uy-nha-trang")


def with_deadline(assignment: Assignment, days: int, reviewer) -> Assignment:
    return assignment_set_deadline(
        assignment=assignment,
        kind="fixed",
        deadline=timezone.localdate() + timedelta(days=days),
        acting_user=reviewer,
        reason="Giao thời hạn",
    )


def open_requests(cast) -> dict:
    """On Nha Trang's work: a pending extension (III.1.b1.s2) and an open explanation of the
    overdue III.10.b1; on Sở Kế hoạch và Đầu tư's: a refused extension and an open
    explanation of an indicator it answers for."""
    today = timezone.localdate()
    reviewer, leader = cast["reviewer"], cast["leader"]
    soon = with_deadline(nha_trang("III.1.b1.s2"), 10, reviewer)
    overdue = with_deadline(nha_trang("III.10.b1"), -5, reviewer)
    pending = extension_ask(
        assignment=soon,
        proposed_deadline=today + timedelta(days=60),
        reason="Chờ quy hoạch phân khu.",
        acting_user=leader,
    )
    asked = explanation_request(
        assignment=overdue,
        question="Vì sao chưa hoàn thành?",
        due_on=today + timedelta(days=7),
        acting_user=reviewer,
    )
    planning = Assignment.objects.filter(body__code="so-ke-hoach-va-dau-tu").order_by("pk")[0]
    planning = with_deadline(planning, 20, reviewer)
    refused = ExtensionRequest(
        assignment=planning,
        reason="Thiếu nhân lực.",
        current_deadline=planning.deadline,
        proposed_deadline=planning.deadline + timedelta(days=30),
        requested_by=leader,
    )
    tracked_save(refused, acting_user=leader, reason="test")
    extension_decide(request=refused, approve=False, note="Không đủ căn cứ.", acting_user=reviewer)
    target = Target.objects.order_by("pk")[0]
    target.responsible_body = planning.body
    tracked_save(target, acting_user=reviewer, reason="test")
    # The verdict machinery decides when an indicator may be asked about; here the row is
    # simply on record, as one asked earlier would be.
    indicator = ExplanationRequest(
        target=target,
        body=planning.body,
        question="Vì sao chỉ tiêu chậm?",
        due_on=today + timedelta(days=10),
        requested_by=reviewer,
    )
    tracked_save(indicator, acting_user=reviewer, reason="test")
    return {
        "pending": pending,
        "asked": asked,
        "refused": refused,
        "indicator": indicator,
        "refused_on": planning,
    }


def apply(cast, *, dry_run=False, **line):
    data = plan_data()
    data["endings"][0].pop("shared")
    data["endings"][0].update(line)
    return reorganisation_apply(
        plan=plan_parse(data), acting_user=cast["administrator"], dry_run=dry_run
    )


def test_a_pending_extension_and_an_open_explanation_go_with_the_work(cast):
    rows = open_requests(cast)

    outcome = apply(cast, work={WARD: ["III.1"], NORTH_WARD: ["III.10"]})

    pending = ExtensionRequest.objects.get(pk=rows["pending"].pk)
    assert pending.state == ExtensionRequest.State.PENDING
    assert pending.assignment.body.code == WARD
    assert pending.assignment.predecessor_id == rows["pending"].assignment_id
    assert pending.carried_from_id == rows["pending"].assignment_id
    assert pending.history.first().history_change_reason == outcome.reorganisation.reason
    assert ExtensionRequest.objects.filter(carried_from__isnull=False).count() == 1

    asked = ExplanationRequest.objects.get(pk=rows["asked"].pk)
    assert asked.state == ExplanationRequest.State.OPEN
    assert asked.body.code == NORTH_WARD
    assert asked.assignment.body.code == NORTH_WARD
    assert asked.assignment.predecessor_id == rows["asked"].assignment_id
    assert asked.history.first().history_change_reason == outcome.reorganisation.reason

    indicator = ExplanationRequest.objects.get(pk=rows["indicator"].pk)
    assert indicator.body.code == "so-tai-chinh"
    assert indicator.target.responsible_body.code == "so-tai-chinh"


def test_decided_and_closed_requests_stay_where_they_are(cast):
    rows = open_requests(cast)
    closed = rows["indicator"]
    closed.state, closed.closed_at, closed.closed_by = "closed", timezone.now(), cast["reviewer"]
    tracked_save(closed, acting_user=cast["reviewer"], reason="test")

    apply(cast, shared="all")

    refused = ExtensionRequest.objects.get(pk=rows["refused"].pk)
    assert refused.assignment_id == rows["refused_on"].pk
    assert refused.carried_from_id is None
    indicator = ExplanationRequest.objects.get(pk=rows["indicator"].pk)
    assert indicator.body.code == "so-ke-hoach-va-dau-tu"


def test_shared_work_gives_each_successor_its_own_request_to_decide(cast):
    rows = open_requests(cast)

    apply(cast, shared="all")

    waiting = ExtensionRequest.objects.filter(state="pending").select_related("assignment__body")
    by_body = {r.assignment.body.code: r for r in waiting}
    assert set(by_body) == set(SPLIT_INTO)
    assert by_body[WARD].pk == rows["pending"].pk
    copy = by_body[NORTH_WARD]
    assert (copy.proposed_deadline, copy.current_deadline, copy.reason, copy.requested_by) == (
        rows["pending"].proposed_deadline,
        rows["pending"].current_deadline,
        rows["pending"].reason,
        rows["pending"].requested_by,
    )
    assert copy.carried_from_id == rows["pending"].assignment_id
    # Each is decided on its own: approving one moves that successor's deadline only.
    extension_decide(request=copy, approve=True, note="", acting_user=cast["reviewer"])
    deadlines = dict(
        Assignment.objects.filter(body__code__in=SPLIT_INTO, item__key="III.1.b1.s2").values_list(
            "body__code", "extended_deadline"
        )
    )
    assert deadlines == {WARD: None, NORTH_WARD: copy.proposed_deadline}


def test_the_trial_run_lists_the_requests_per_body_and_changes_nothing(cast, in_english):
    rows = open_requests(cast)
    before = sorted(ExtensionRequest.objects.values_list("pk", "assignment_id", "state"))

    outcome = apply(cast, dry_run=True, work={WARD: ["III.1"], NORTH_WARD: "rest"})

    lines = outcome_lines(outcome)
    day = rows["pending"].proposed_deadline.strftime("%d/%m/%Y")
    due = rows["asked"].due_on.strftime("%d/%m/%Y")
    nha_trang_block = lines[lines.index(next(x for x in lines if "Thành ủy Nha Trang [" in x)) :]
    assert (
        f"  Pending extension request (III.1.b1.s2, to {day}) goes with the work: "
        "Đảng ủy phường Nha Trang"
    ) in nha_trang_block
    assert (
        f"  Open explanation request (III.10.b1, due {due}) goes to: Đảng ủy phường Bắc Nha Trang"
    ) in nha_trang_block
    target = rows["indicator"].target
    assert any(
        line.startswith(f"  Open explanation request ({target.name}, due ")
        and "Sở Tài chính" in line
        for line in lines
    )
    assert "3 open requests passed on" in lines[-2]
    assert sorted(ExtensionRequest.objects.values_list("pk", "assignment_id", "state")) == before
    assert ExplanationRequest.objects.get(pk=rows["asked"].pk).body.code == "thanh-uy-nha-trang"


def test_the_admin_s_confirmation_page_lists_the_requests_and_the_split(cast, client, in_english):
    rows = open_requests(cast)
    data = plan_data()
    data["endings"][0].pop("shared")
    data["endings"][0]["work"] = {WARD: ["III.1"], NORTH_WARD: "rest"}
    client.force_login(cast["administrator"])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"

    page = client.post(
        reverse("admin:reorganisation_reorganisation_apply"),
        {"text": json.dumps(data, ensure_ascii=False)},
    ).content.decode()

    day = rows["pending"].proposed_deadline.strftime("%d/%m/%Y")
    due = rows["asked"].due_on.strftime("%d/%m/%Y")
    assert f"Extension request (III.1.b1.s2, to {day}) →\n" in page
    assert f"Explanation request (III.10.b1, due {due}) → Đảng ủy phường Bắc Nha Trang" in page
    assert (
        "III.1.b1.s2 → Đảng ủy phường Nha Trang; III.10.b1 → Đảng ủy phường Bắc Nha Trang" in page
    )
    assert ExtensionRequest.objects.get(pk=rows["pending"].pk).assignment.body.code == (
        "thanh-uy-nha-trang"
    )
