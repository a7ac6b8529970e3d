"""The progress reports of the story: five periods, and for each the work whose report is
accepted on time, accepted late, returned and revised, waiting for review, returned and not yet
revised, or left a draft. Work with no line in a period owes its report all the same."""

import json
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings

from accounts.models import Role
from review.services import tracked_save
from tasks.services.periods import period_close, period_open
from tasks.services.reports import (
    ReportData,
    document_cite,
    report_accept,
    report_create,
    report_return,
    report_submit,
    report_update,
)

from .cast import (
    CAM_RANH,
    CONG_THUONG,
    KE_HOACH,
    LEADER,
    NHA_TRANG,
    NINH_HOA,
    OFFICER,
    PARTY_OFFICE,
    UBND,
    reviewer,
)
from .telling import PROGRAMME, Step, Story, WorkKey, at


# The work the story follows, and what each body writes about it.
@dataclass(frozen=True)
class Work:
    key: WorkKey
    result: str
    difficulties: str = ""
    proposals: str = ""


def _work(item: str, body: str, role: str, result: str, difficulties="", proposals="") -> Work:
    return Work(WorkKey(item, body, role), result, difficulties, proposals)


U1 = _work(
    "III.1.b1",
    UBND,
    "lead",
    "Chỉ đạo các sở, ngành và địa phương triển khai phân bố không gian phát triển công nghiệp "
    "theo 3 vùng (Khu kinh tế Vân Phong, Nha Trang và vùng phụ cận, vịnh Cam Ranh); rà soát "
    "quỹ đất công nghiệp trong quy hoạch tỉnh.",
    "Quỹ đất sạch giao cho nhà đầu tư hạ tầng còn chậm do vướng bồi thường, giải phóng mặt bằng.",
    "Đề nghị các địa phương đẩy nhanh giải phóng mặt bằng các cụm công nghiệp đã quy hoạch.",
)
U2 = _work(
    "III.3.b1",
    UBND,
    "lead",
    "Rà soát, cắt giảm thời gian giải quyết hồ sơ đăng ký đầu tư, đất đai, xây dựng; vận hành "
    'cơ chế "một cửa liên thông" cho dự án công nghiệp.',
)
U3 = _work(
    "III.9.b4",
    UBND,
    "lead",
    "Khảo sát, lập danh sách các cơ sở công nghiệp gây ô nhiễm đang sản xuất xen trong khu dân "
    "cư; xây dựng kế hoạch di dời và cơ chế hỗ trợ doanh nghiệp di dời.",
    "Một số doanh nghiệp chưa thống nhất mức hỗ trợ di dời.",
)
U4 = _work(
    "III.5.b5",
    UBND,
    "lead",
    "Xây dựng cơ chế, chính sách ưu tiên đào tạo nguồn nhân lực chất lượng cao cho công "
    "nghiệp; đào tạo nghề cho lao động nông thôn.",
    proposals="Đề nghị bố trí kinh phí đào tạo nghề năm sau sớm hơn.",
)
U5 = _work(
    "III.6.b3",
    UBND,
    "lead",
    "Hỗ trợ doanh nghiệp đầu tư nghiên cứu, chuyển giao, ứng dụng công nghệ vào sản xuất; "
    "tổng hợp nhu cầu đổi mới công nghệ của doanh nghiệp.",
)
CT = _work(
    "III.1.b2",
    CONG_THUONG,
    "coordinate",
    "Tham mưu phát triển công nghiệp theo chiều sâu; theo dõi các dự án chế biến, chế tạo trọng "
    "điểm và chuyển dịch từ chế biến thô sang chế biến tinh.",
    "Vốn đầu tư đổi mới thiết bị của doanh nghiệp nhỏ và vừa còn hạn chế.",
)
# Delegated by the People's Committee's Party committee to the Department of Industry and Trade.
CTD = _work(
    "III.6.b5",
    CONG_THUONG,
    "delegated",
    "Hướng dẫn doanh nghiệp công nghiệp xây dựng và áp dụng hệ thống quản lý theo tiêu chuẩn "
    "ISO, HACCP; hỗ trợ đăng ký bảo hộ nhãn hiệu sản phẩm.",
)
KH = _work(
    "III.4.b4",
    KE_HOACH,
    "coordinate",
    "Đổi mới xúc tiến đầu tư, thu hút đầu tư trực tiếp nước ngoài vào công nghiệp chế biến, chế "
    "tạo; rà soát danh mục dự án kêu gọi đầu tư.",
    "Số dự án FDI mới trong công nghiệp chế biến, chế tạo còn ít.",
)
NT1 = _work(
    "III.1.b1.s2",
    NHA_TRANG,
    "implement_locally",
    "Phát triển công nghiệp ít ô nhiễm khu vực Nha Trang và vùng phụ cận; di dời các cơ sở gây "
    "ô nhiễm ra khỏi nội thành.",
)
NT2 = _work(
    "III.10.b1",
    NHA_TRANG,
    "implement_locally",
    "Quán triệt Nghị quyết 23-NQ/TW và Chương trình hành động của Tỉnh ủy đến các chi bộ, đảng "
    "viên; đưa mục tiêu phát triển công nghiệp vào nghị quyết của Thành ủy.",
)
CR1 = _work(
    "III.1.b1.s3",
    CAM_RANH,
    "implement_locally",
    "Phát triển công nghiệp khu vực vịnh Cam Ranh; giải phóng mặt bằng, xây dựng hạ tầng cụm "
    "công nghiệp và kêu gọi nhà đầu tư thứ cấp.",
    "Giải phóng mặt bằng cụm công nghiệp còn vướng một số hộ dân.",
)
CR2 = _work(
    "III.10.b1",
    CAM_RANH,
    "implement_locally",
    "Tuyên truyền, quán triệt chính sách công nghiệp trong cán bộ, đảng viên và nhân dân trên "
    "địa bàn thành phố.",
)
NH = _work(
    "III.1.b1.s1",
    NINH_HOA,
    "implement_locally",
    "Phối hợp thu hút đầu tư vào Khu kinh tế Vân Phong trên địa bàn thị xã; hỗ trợ giải phóng "
    "mặt bằng Khu công nghiệp Ninh Thủy.",
)


# How a report goes in a period. Offsets are days from the period's due date.
ON_TIME = "on_time"  # sent before the due date, accepted
LATE = "late"  # sent after the due date, accepted
REVISED = "revised"  # sent on time, returned, revised, sent again and accepted
DRAFT = "draft"  # drafted, never sent
WAITING = "waiting"  # sent on time, waiting for review
WAITING_LATE = "waiting_late"  # sent after the due date, waiting for review
RETURNED = "returned"  # sent, returned, not yet revised
RESUBMITTED = "resubmitted"  # sent on time, returned, revised and sent again: waiting


@dataclass(frozen=True)
class Plan:
    work: Work
    how: str
    percent: int
    completes: bool = False


@dataclass(frozen=True)
class PeriodPlan:
    code: str
    opened: str
    closed: str | None
    plans: tuple[Plan, ...]


def _p(work: Work, how: str, percent: int, *, completes: bool = False) -> Plan:
    return Plan(work, how, percent, completes)


# Work with no line in a period owes its report all the same: it is overdue once the period's
# due date passes (so is every other body's, which the story leaves alone).
PERIODS = (
    PeriodPlan(
        "2024-nam",
        "2024-10-01 08:00",
        "2025-01-10 16:00",
        (
            _p(U1, ON_TIME, 35),
            _p(U2, ON_TIME, 60),
            _p(U3, REVISED, 15),
            _p(U4, ON_TIME, 30),
            _p(CT, ON_TIME, 40),
            _p(KH, LATE, 30),
            _p(NT1, ON_TIME, 40),
            _p(NT2, LATE, 50),
            _p(CR1, ON_TIME, 25),
            _p(NH, ON_TIME, 30),
        ),
    ),
    PeriodPlan(
        "2025-6t",
        "2025-05-05 08:00",
        "2025-06-30 16:00",
        (
            _p(U1, ON_TIME, 45),
            _p(U2, ON_TIME, 100, completes=True),
            _p(U3, ON_TIME, 30),
            _p(U4, LATE, 40),
            _p(CT, REVISED, 50),
            _p(CTD, ON_TIME, 20),
            _p(NT1, ON_TIME, 55),
            _p(NT2, ON_TIME, 60),
            _p(CR1, LATE, 35),
            _p(CR2, ON_TIME, 50),
            _p(NH, DRAFT, 40),
        ),
    ),
    # The reorganisation takes effect between these two (reorganisation_2025).
    PeriodPlan(
        "2025-nam",
        "2025-10-01 08:00",
        "2026-01-12 16:00",
        (
            _p(U1, REVISED, 60),
            # Completed in June, so the year's report is still owed: a summing-up.
            _p(U2, ON_TIME, 100),
            _p(U3, ON_TIME, 45),
            _p(U4, ON_TIME, 55),
            _p(CT, ON_TIME, 60),
            _p(CTD, LATE, 40),
            _p(KH, LATE, 45),
            _p(NT1, ON_TIME, 70),
            _p(CR1, ON_TIME, 50),
            _p(CR2, LATE, 60),
            _p(NH, ON_TIME, 55),
        ),
    ),
    PeriodPlan(
        "2026-6t",
        "2026-05-04 08:00",
        "2026-07-10 16:00",
        (
            _p(U1, ON_TIME, 70),
            _p(U3, LATE, 70),
            _p(U4, ON_TIME, 65),
            _p(CT, ON_TIME, 70),
            _p(CTD, ON_TIME, 60),
            _p(NT1, ON_TIME, 100, completes=True),
            _p(NT2, REVISED, 75),
            _p(CR1, ON_TIME, 60),
            _p(CR2, ON_TIME, 70),
            _p(NH, LATE, 65),
        ),
    ),
    PeriodPlan(
        "2026-nam",
        "2026-10-01 08:00",
        None,
        (
            _p(U1, WAITING, 80),
            _p(U3, ON_TIME, 100, completes=True),
            _p(U4, WAITING_LATE, 80),
            _p(U5, DRAFT, 50),
            _p(CT, RESUBMITTED, 80),
            _p(CTD, DRAFT, 75),
            _p(NT1, ON_TIME, 100),
            _p(NT2, RETURNED, 85),
            _p(CR2, WAITING, 80),
        ),
    ),
)

# Each step of a report, as (days from the due date, time of day), by how it goes.
SCHEDULES: dict[str, tuple[tuple[str, int, str], ...]] = {
    ON_TIME: (("draft", -12, "08:30"), ("submit", -8, "09:30"), ("accept", -5, "14:00")),
    LATE: (("draft", 2, "08:30"), ("submit", 6, "09:30"), ("accept", 9, "14:00")),
    REVISED: (
        ("draft", -12, "08:30"),
        ("submit", -7, "09:30"),
        ("return", -5, "14:00"),
        ("revise", -3, "08:30"),
        ("submit", 1, "09:30"),
        ("accept", 4, "14:00"),
    ),
    DRAFT: (("draft", -6, "08:30"),),
    WAITING: (("draft", -9, "08:30"), ("submit", -3, "09:30")),
    WAITING_LATE: (("draft", -1, "08:30"), ("submit", 2, "09:30")),
    RETURNED: (("draft", -10, "08:30"), ("submit", -4, "09:30"), ("return", 1, "14:00")),
    RESUBMITTED: (
        ("draft", -11, "08:30"),
        ("submit", -6, "09:30"),
        ("return", -3, "14:00"),
        ("revise", 1, "08:30"),
        ("submit", 2, "09:30"),
    ),
}

RETURN_REASONS = (
    "Báo cáo chưa nêu kết quả cụ thể bằng số liệu (số dự án, diện tích, kinh phí); đề nghị bổ "
    "sung và gửi lại.",
    "Đề nghị làm rõ nguyên nhân chậm tiến độ và giải pháp trong kỳ tới.",
    "Phần khó khăn, vướng mắc chưa nêu cơ quan nào cần phối hợp giải quyết; đề nghị bổ sung.",
)
REVISION = " Đã bổ sung số liệu và giải pháp theo ý kiến của Văn phòng Tỉnh ủy."

# The documents cited by the reports that say the work is done (invented numbers).
EVIDENCE = {
    U2.key: ("125/QĐ-UBND", date(2025, 5, 20), "UBND tỉnh Khánh Hòa"),
    NT1.key: ("214-KH/TU", date(2026, 5, 25), "Thành ủy Nha Trang"),
    U3.key: ("3105/KH-UBND", date(2026, 11, 10), "UBND tỉnh Khánh Hòa"),
}


def _time(day: date, clock: str):
    return at(f"{day:%Y-%m-%d} {clock}")


def _data(plan: Plan, period_name: str, revised: bool = False) -> ReportData:
    work = plan.work
    result = f"{period_name}: {work.result}"
    if plan.completes:
        result += " Đã hoàn thành nhiệm vụ; văn bản kèm theo."
    elif plan.percent == 100:
        result += " Nhiệm vụ đã hoàn thành trong năm; báo cáo tổng kết kết quả."
    if revised:
        result += REVISION
    return ReportData(
        result=result,
        percent_complete=plan.percent,
        difficulties=work.difficulties,
        proposals=work.proposals,
        claims_completion=plan.completes,
    )


def _report_steps(period, plan: Plan, position: int) -> list[Step]:
    """The dated steps of one report: drafted by the body's officer, sent by its leader,
    reviewed by the Party Office. Reports of the same day are a few minutes apart."""
    key, code = plan.work.key, period.code
    returns = iter(RETURN_REASONS[position % len(RETURN_REASONS) :] + RETURN_REASONS)
    steps = []
    for action, offset, clock in SCHEDULES[plan.how]:
        day = period.due_on + timedelta(days=offset)
        when = _time(day, clock) + timedelta(minutes=7 * position)

        if action == "draft":

            def act(story: Story, plan=plan, period=period):
                officer = story.doer(plan.work.key, OFFICER)
                report = report_create(
                    assignment=story.work(plan.work.key),
                    period=story.period(period.code),
                    data=_data(plan, period.name),
                    acting_user=officer,
                )
                story.reports[(plan.work.key, period.code)] = report.pk
                if plan.completes:
                    number, issued_on, issuer = EVIDENCE[plan.work.key]
                    document_cite(
                        report=report,
                        number=number,
                        issued_on=issued_on,
                        issuer=issuer,
                        title="Văn bản minh họa cho câu chuyện mẫu",
                        acting_user=officer,
                    )

        elif action == "submit":

            def act(story: Story, key=key, code=code):
                report_submit(report=story.report(key, code), acting_user=story.doer(key, LEADER))

        elif action == "accept":

            def act(story: Story, key=key, code=code):
                report_accept(
                    report=story.report(key, code),
                    acting_user=reviewer(story),
                )

        elif action == "return":
            reason = next(returns)

            def act(story: Story, key=key, code=code, reason=reason):
                report_return(
                    report=story.report(key, code),
                    reason=reason,
                    acting_user=reviewer(story),
                )

        else:  # revise

            def act(story: Story, plan=plan, period=period):
                report = story.report(plan.work.key, period.code)
                report_update(
                    report=report,
                    data=_data(plan, period.name, revised=True),
                    expected_version=report.version,
                    acting_user=story.doer(plan.work.key, OFFICER),
                )

        steps.append(Step(when, f"{code} {key}: {action}", act))
    return steps


def period_steps(period_plan: PeriodPlan, periods: dict) -> list[Step]:
    period = periods[period_plan.code]

    def open_period(story: Story, code=period.code):
        period_open(period=story.period(code), acting_user=reviewer(story))

    def close_period(story: Story, code=period.code):
        period_close(period=story.period(code), acting_user=reviewer(story))

    steps = [Step(at(period_plan.opened), f"{period.code}: opened", open_period)]
    for position, plan in enumerate(period_plan.plans):
        steps += _report_steps(period, plan, position)
    if period_plan.closed:
        steps.append(Step(at(period_plan.closed), f"{period.code}: closed", close_period))
    return steps


def periods_not_yet_opened(story: Story) -> None:
    """The fixtures hold the periods as they stand today (closed, and 2026-nam open). On the
    day the tracking starts none of the story's periods had been opened for reports: they are
    set back to planned, recorded as the administrator's change with its reason, so that the
    Party Office opens and closes each through the period services on its own dates."""
    administrator = story.member(PARTY_OFFICE, Role.ADMINISTRATOR)
    for period_plan in PERIODS:
        period = story.period(period_plan.code)
        if period.state != period.State.PLANNED:
            period.state = period.State.PLANNED
            tracked_save(
                period,
                acting_user=administrator,
                reason="Câu chuyện mẫu: kỳ báo cáo chưa mở khi bắt đầu theo dõi trên hệ thống",
            )


@dataclass(frozen=True)
class _PeriodRow:
    code: str
    name: str
    due_on: date


def period_rows() -> list[_PeriodRow]:
    """The story's periods' names and due dates, from the programme's fixture: the steps are
    dated from them before anything is loaded."""
    path = Path(settings.FIXTURES_DIR) / "programmes" / PROGRAMME / "periods.json"
    wanted = {p.code for p in PERIODS}
    rows = []
    for entry in json.loads(path.read_text(encoding="utf-8")):
        fields = entry["fields"]
        if fields["code"] in wanted:
            rows.append(
                _PeriodRow(fields["code"], fields["name"], date.fromisoformat(fields["due_on"]))
            )
    return rows
