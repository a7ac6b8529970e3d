"""The world the desk's tests look at, made through the services as people would make it, on
dated days: the annual period's reports were due on 30/11/2026, and the desk is looked at on
02/12/2026.

On top of the dashboards' cycle (tasks.tests.test_dashboards.build_cycle: Nha Trang's draft and
returned report, Cam Ranh's two accepted reports, deadlines met, missed and far), the People's
Committee's Party committee sends two reports that wait for review (one on time, one late),
Nha Trang's leader asks for an extension, Nha Trang answers an explanation request, sends an
indicator figure, and the Fatherland Front records a finding on a task it supervises."""

from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from indicators.models import ExplanationRequest, YearlyFigure
from tasks.models import Assignment, ExtensionRequest, Finding, ProgressReport
from tasks.tests.test_dashboards import (
    Cycle,
    build_cycle,
    draft,
    member,
    submit,
)

HCM = ZoneInfo("Asia/Ho_Chi_Minh")
UBND = "ban-can-su-dang-ubnd-tinh"
FRONT = "uy-ban-mttq-tinh"
BUILT_ON = datetime(2026, 11, 25, 9, tzinfo=HCM)
LOOKED_AT = datetime(2026, 12, 2, 9, tzinfo=HCM)


def at(day: date, hour: int = 9) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=HCM)


@dataclass
class World:
    cycle: Cycle
    waiting_on_time: ProgressReport  # UBND, sent 25/11, on time
    waiting_late: ProgressReport  # UBND, sent 01/12, late
    extension: ExtensionRequest
    explanation: ExplanationRequest
    figure: YearlyFigure
    finding: Finding
    ubnd_leader: object


def build_world(cast, clock) -> World:
    """Made from 25/11/2026; the clock is left at 02/12/2026, 9:00."""
    from indicators.services import (
        explanation_answer,
        explanation_request,
    )
    from tasks.services.extensions import extension_request
    from tasks.services.findings import finding_record
    from tests.indicators_support import indicator_world

    reviewer, officer, leader = cast["reviewer"], cast["officer"], cast["leader"]
    cycle = build_cycle(cast)
    ubnd_officer = member("canbo.ubnd", UBND, "officer")
    ubnd_leader = member("lanhdao.ubnd", UBND, "leader")
    first = draft(cycle.in_progress, cycle.period, ubnd_officer, text="Báo cáo của Ban Cán sự")
    submit(first, ubnd_leader)

    extension = extension_request(
        assignment=cycle.due_soon,
        proposed_deadline=date(2026, 12, 20),
        reason="Chờ quy hoạch phân khu",
        acting_user=leader,
    )
    explanation = explanation_request(
        assignment=cycle.overdue,
        question="Vì sao quá hạn?",
        due_on=date(2026, 11, 30),
        acting_user=reviewer,
    )
    explanation_answer(
        request=explanation, answer="Do chờ ý kiến của Sở Công Thương.", acting_user=officer
    )
    indicators = indicator_world(cast)
    figure = indicators.submitted_figure
    supervision = Assignment.objects.get(
        item=cycle.on_time.item, body__code=FRONT, role=Assignment.Role.SUPERVISE
    )
    finding = finding_record(
        supervision=supervision,
        period=cycle.period,
        text="Cần bổ sung số liệu cụm công nghiệp.",
        recommendation="",
        acting_user=cast["supervisor"],
    )

    clock.move_to(at(date(2026, 12, 1)))
    late_assignment = Assignment.objects.get(
        item__key="III.2.b1", body__code=UBND, role=Assignment.Role.LEAD
    )
    late = draft(late_assignment, cycle.period, ubnd_officer, text="Báo cáo gửi muộn")
    submit(late, ubnd_leader)

    clock.move_to(LOOKED_AT)
    return World(
        cycle=cycle,
        waiting_on_time=ProgressReport.objects.get(pk=first.pk),
        waiting_late=ProgressReport.objects.get(pk=late.pk),
        extension=extension,
        explanation=ExplanationRequest.objects.get(pk=explanation.pk),
        figure=YearlyFigure.objects.get(pk=figure.pk),
        finding=finding,
        ubnd_leader=ubnd_leader,
    )
