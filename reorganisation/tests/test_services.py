"""Applying a reorganisation on the reference data: the bodies, the open work, the people,
the indicators and industrial areas, and the history, as the issue lists them."""

from collections import Counter
from datetime import timedelta

from django.db.models import Count

from accounts.models import Body, Membership
from indicators.models import IndustrialArea
from reorganisation.models import AssignmentMove, Reorganisation, Succession
from reorganisation.plan import plan_parse
from reorganisation.services import reorganisation_apply
from tasks.models import Assignment, ProgressReport, ReportingPeriod, ReportState
from tasks.permissions import Action, assignment_policy, report_policy
from tasks.services.reports import ReportData, report_create
from tasks.status import status_expression
from tasks.succession import assignments_in_force_on, bodies_as_of, successor_line

from .support import NEW_BOARD, SPLIT_INTO, effective_day, member_of, plan_data, varied_statuses

ENDED = ("thanh-uy-nha-trang", "so-ke-hoach-va-dau-tu", "ban-quan-ly-khu-kinh-te-van-phong")


def apply(user=None, **kwargs):
    return reorganisation_apply(plan=plan_parse(plan_data(**kwargs)), acting_user=user)


def counts_by_status(day) -> Counter:
    """Work by status as the dashboards count it, on the day."""
    return Counter(
        assignments_in_force_on(day)
        .reporting()
        .annotate(status=status_expression(today=day))
        .values_list("status", flat=True)
    )


def test_it_leaves_the_counts_by_status_of_the_day_before_unchanged(cast):
    varied_statuses(cast["reviewer"])
    day_before = effective_day() - timedelta(days=1)
    before = counts_by_status(day_before)
    assert len(before) >= 4  # overdue, due soon, in progress, completed, ongoing
    nha_trang_open = Assignment.objects.live().filter(body__code="thanh-uy-nha-trang").count()

    apply(cast["administrator"])

    assert counts_by_status(day_before) == before
    # From the effective date the successors' assignments count instead of the originals.
    in_force = assignments_in_force_on(effective_day()).live()
    assert not in_force.filter(body__code__in=ENDED).exists()
    assert in_force.filter(body__code__in=SPLIT_INTO).count() == 2 * nha_trang_open


def test_every_open_assignment_of_an_ended_body_is_carried_on(cast):
    varied_statuses(cast["reviewer"])
    open_before = {
        a.pk: a
        for a in Assignment.objects.live().filter(body__code__in=ENDED).select_related("body")
    }
    finished_before = set(
        Assignment.objects.filter(body__code__in=ENDED)
        .exclude(pk__in=open_before)
        .values_list("pk", "cancelled_on", "completed_on")
    )

    outcome = apply(cast["administrator"])

    assert outcome.moved_count == len(open_before)
    effective = effective_day()
    for original in open_before.values():
        original.refresh_from_db()
        assert original.cancelled_on == effective
        carried = Assignment.objects.filter(
            pk__in=AssignmentMove.objects.filter(original=original).values("successor")
        )
        successors = {a.body.code for a in carried}
        if original.body.code == "thanh-uy-nha-trang":
            assert successors == set(SPLIT_INTO)
        for successor in carried:
            assert successor.item_id == original.item_id
            assert successor.role == original.role
            assert successor.deadline == original.deadline
            assert successor.extended_deadline == original.extended_deadline
            assert successor.cancelled_on is None and successor.completed_on is None
    # Finished work stays with the body that did it, untouched.
    assert finished_before <= set(
        Assignment.objects.filter(body__code__in=ENDED).values_list(
            "pk", "cancelled_on", "completed_on"
        )
    )
    assert not Assignment.objects.live().filter(body__code__in=ENDED).exists()


def test_a_split_gives_each_successor_the_work_and_links_it_back(cast):
    nha_trang = set(
        Assignment.objects.live()
        .filter(body__code="thanh-uy-nha-trang")
        .values_list("pk", flat=True)
    )

    apply(cast["administrator"])

    for code in SPLIT_INTO:
        body = Body.objects.get(code=code)
        assert body.valid_from == effective_day()
        carried = Assignment.objects.filter(body=body)
        assert set(carried.values_list("predecessor_id", flat=True)) == nha_trang
    ended = Body.objects.get(code="thanh-uy-nha-trang")
    assert ended.valid_to == effective_day() - timedelta(days=1)
    assert ended.successor.code == SPLIT_INTO[0]
    assert list(
        Succession.objects.filter(ended_body=ended).values_list("successor__code", flat=True)
    ) == list(SPLIT_INTO)


def test_a_merger_joins_the_work_the_successor_already_had(cast):
    planning = Body.objects.get(code="so-ke-hoach-va-dau-tu")
    finance = Body.objects.get(code="so-tai-chinh")
    shared = set(
        Assignment.objects.filter(body=planning)
        .filter(item__in=Assignment.objects.filter(body=finance).values("item"))
        .values_list("item_id", flat=True)
    )
    assert shared, "the reference data gives both departments some of the same tasks"
    finance_before = Assignment.objects.filter(body=finance).count()
    planning_items = set(
        Assignment.objects.live().filter(body=planning).values_list("item_id", flat=True)
    )

    outcome = apply(cast["administrator"])

    finance_after = Assignment.objects.filter(body=finance)
    # One assignment per task: the shared ones joined, the others came across.
    assert finance_after.count() == finance_before + len(planning_items - shared)
    assert set(finance_after.values_list("item_id", flat=True)) >= planning_items
    assert not finance_after.values("item", "role").annotate(n=Count("pk")).filter(n__gt=1)
    merged = next(b for b in outcome.ended if b.body.code == "so-ke-hoach-va-dau-tu")
    assert sum(len(m.joined) for m in merged.moves) == len(shared)
    # The board replaced by a new one takes the industrial zones with it.
    assert set(
        IndustrialArea.objects.filter(responsible_body__code=NEW_BOARD).values_list(
            "code", flat=True
        )
    ) == {"kcn-ninh-thuy", "kcn-nam-cam-ranh"}


def test_successors_report_on_the_moved_work_and_former_members_no_longer_can(cast):
    period = ReportingPeriod.objects.get(code="2026-nam")
    original = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    draft = report_create(
        assignment=original,
        period=period,
        data=ReportData(result="Bản nháp chưa gửi của Thành ủy.", percent_complete=10),
        acting_user=cast["officer"],
    )
    apply(cast["administrator"])
    ward_officer = member_of(SPLIT_INTO[1], "officer", "canbo.bacnhatrang")

    carried = Assignment.objects.get(predecessor=original, body__code=SPLIT_INTO[1])
    # A fresh user object: its permission caches hold what was true before.
    former = type(cast["officer"]).objects.get(pk=cast["officer"].pk)
    assert assignment_policy.user_has_permission_for_instance(ward_officer, Action.DRAFT, carried)
    report = report_create(
        assignment=carried,
        period=period,
        data=ReportData(result="Đảng ủy phường báo cáo kết quả.", percent_complete=40),
        acting_user=ward_officer,
    )
    assert report.assignment == carried
    for action in (Action.VIEW, Action.DRAFT):
        assert not assignment_policy.user_has_permission_for_instance(former, action, original)
        assert not assignment_policy.user_has_permission_for_instance(former, action, carried)
    assert (
        not Membership.objects.active_on(effective_day())
        .filter(body__code="thanh-uy-nha-trang")
        .exists()
    )
    # The ended body's draft stays with it, unsent, and the successor is told it exists.
    draft.refresh_from_db()
    assert (draft.assignment_id, draft.state) == (original.pk, ReportState.DRAFT)
    assert "1" in carried.note and "Thành ủy Nha Trang" in carried.note
    assert not report_policy.user_has_permission_for_instance(ward_officer, Action.VIEW, draft)


def test_every_change_carries_the_act_as_its_reason(cast):
    apply(cast["administrator"])

    act = Reorganisation.objects.get()
    original = Assignment.objects.filter(
        body__code="thanh-uy-nha-trang", cancelled_on__isnull=False
    ).first()
    for history in (
        original.history.first(),
        Assignment.objects.filter(predecessor=original).first().history.first(),
        Body.objects.get(code="thanh-uy-nha-trang").history.first(),
        Body.objects.get(code=SPLIT_INTO[0]).history.first(),
        IndustrialArea.objects.get(code="kcn-ninh-thuy").history.first(),
    ):
        assert history.history_change_reason == act.reason
        assert history.history_user == cast["administrator"]
    assert "99/2025/QH15" in act.reason


def test_a_trial_run_reports_what_applying_does_and_changes_nothing(cast):
    before = (
        Body.objects.count(),
        sorted(Assignment.objects.values_list("pk", "body_id", "cancelled_on")),
        sorted(Membership.objects.values_list("pk", "valid_to")),
        Reorganisation.objects.count(),
    )

    trial = reorganisation_apply(
        plan=plan_parse(plan_data()), acting_user=cast["administrator"], dry_run=True
    )

    assert not trial.applied
    assert before == (
        Body.objects.count(),
        sorted(Assignment.objects.values_list("pk", "body_id", "cancelled_on")),
        sorted(Membership.objects.values_list("pk", "valid_to")),
        Reorganisation.objects.count(),
    )
    applied = apply(cast["administrator"])
    assert (trial.moved_count, trial.created_assignments, trial.memberships_ended) == (
        applied.moved_count,
        applied.created_assignments,
        applied.memberships_ended,
    )
    assert trial.moved_count > 0 and trial.memberships_ended > 0


def test_bodies_and_their_successors_read_by_date(cast):
    apply(cast["administrator"])
    effective = effective_day()
    before, after = effective - timedelta(days=1), effective

    codes_before = set(bodies_as_of(before).values_list("code", flat=True))
    codes_after = set(bodies_as_of(after).values_list("code", flat=True))
    assert "thanh-uy-nha-trang" in codes_before and "thanh-uy-nha-trang" not in codes_after
    assert set(SPLIT_INTO) <= codes_after and not set(SPLIT_INTO) & codes_before
    nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
    assert successor_line(nha_trang, day=before) == ""
    line = successor_line(nha_trang, day=after)
    assert line.startswith("Thành ủy Nha Trang → ")
    assert "Đảng ủy phường Nha Trang" in line and "Đảng ủy phường Bắc Nha Trang" in line
    assert after.strftime("%d/%m/%Y") in line


def test_drafts_left_are_counted_per_move(cast):
    period = ReportingPeriod.objects.get(code="2026-nam")
    original = Assignment.objects.get(
        item__key="III.10.b1", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    report_create(
        assignment=original,
        period=period,
        data=ReportData(result="Nháp.", percent_complete=5),
        acting_user=cast["officer"],
    )
    apply(cast["administrator"])
    assert set(
        AssignmentMove.objects.filter(original=original).values_list("drafts_left", flat=True)
    ) == {1}
    assert ProgressReport.objects.filter(assignment=original, state=ReportState.DRAFT).count() == 1
