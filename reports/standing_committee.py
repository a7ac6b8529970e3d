"""The status report to the Provincial Party Standing Committee: the whole programme's state
for a reporting period, or as of a date."""

from collections import Counter
from datetime import date

from django.template.defaultfilters import stringformat

from accounts.collation import vi_sort_key
from indicators.assessment import fmt
from indicators.charts import indicator_chart
from indicators.selectors import indicator_rows_as_of
from programme.templatetags.tracking import target_value
from tasks.models import ReportingPeriod

from .as_of import ProgrammeState
from .charts import legend, status_bars
from .document import (
    ASSIGNMENT_COLUMNS,
    PROVINCIAL_COMMITTEE,
    ReportDocument,
    Section,
    Signature,
    assignment_cells,
    difficulties_tables,
    overdue_table,
    programme_subject,
    scope_note,
    task_heading,
)
from .tables import (
    Column,
    CountsRow,
    Table,
    counts_by_group,
    counts_table,
    four_way,
    status_label,
    task_status,
)


def summary_section(state: ProgrammeState, work) -> Section:
    overall = CountsRow("Toàn bộ chương trình", "", four_way(state.status(a) for a in work))
    by_group = counts_by_group(state, work)
    table = counts_table(
        sheet="Tổng hợp",
        title="Số nhiệm vụ theo tình trạng thực hiện, theo nhóm nhiệm vụ",
        first="Nhóm nhiệm vụ",
        overall=overall,
        rows=by_group,
    )
    done = overall.counts.get("completed_on_time", 0) + overall.counts.get("completed_late", 0)
    return Section(
        heading="I. TÌNH HÌNH CHUNG",
        paragraphs=[
            f"Chương trình được triển khai qua {overall.total} lượt phân công thực hiện "
            f"cho các cơ quan, đơn vị; đến ngày {state.today:%d/%m/%Y} đã hoàn thành {done} "
            f"lượt, trong đó hoàn thành đúng hạn {overall.counts.get('completed_on_time', 0)}; "
            f"chưa hoàn thành, quá hạn {overall.counts.get('overdue', 0)}; nhiệm vụ thường "
            f"xuyên {overall.counts.get('ongoing', 0)}."
        ],
        tables=[table],
        chart=status_bars(by_group),
        legend=legend(),
    )


def task_sections(state: ProgrammeState, work) -> Section:
    by_item: dict[int, list] = {}
    for assignment in work:
        by_item.setdefault(assignment.item_id, []).append(assignment)
    tables = []
    for group in state.groups:
        table = Table(
            "Nhiệm vụ", f"{group.key}. {' '.join(group.text.split())}", list(ASSIGNMENT_COLUMNS)
        )
        tasks = [
            item
            for item in state.items.values()
            if item.is_task and state.group_of.get(item.pk) == group.pk
        ]
        for item in tasks:
            assignments = by_item.get(item.pk, [])
            status = task_status(state, assignments)
            table.add(task_heading(state, item.pk, status_label(status)), heading=True)
            for assignment in assignments:
                table.add(*assignment_cells(state, assignment))
        tables.append(table)
    return Section(heading="II. KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP", tables=tables)


def not_reported_section(state: ProgrammeState, work, period: ReportingPeriod | None) -> Section:
    table = Table(
        "Chưa báo cáo",
        f"Cơ quan chưa gửi báo cáo {period.name}" if period else "Cơ quan chưa gửi báo cáo",
        [Column("TT", 8, numeric=True), Column("Cơ quan", 62), Column("Số nhiệm vụ", 30, True)],
    )
    section = Section(heading="IV. CƠ QUAN CHƯA GỬI BÁO CÁO", tables=[table])
    if period is None:
        section.empty = "Chưa đến hạn gửi báo cáo của kỳ nào."
        return section
    owing = Counter(
        a.body_id for a in work if a.completed_on is None and not state.period_sent(a, period)
    )
    bodies = sorted(
        owing, key=lambda pk: (state.bodies[pk].position, vi_sort_key(state.bodies[pk].name))
    )
    for number, body_id in enumerate(bodies, start=1):
        table.add(number, state.bodies[body_id].name, owing[body_id])
    section.paragraphs.append(
        f"Kỳ báo cáo: {period.name}, hạn gửi báo cáo ngày {period.due_on:%d/%m/%Y}."
    )
    if not bodies:
        section.empty = "Các cơ quan đã gửi đủ báo cáo của kỳ."
    return section


# The verdicts in the document's own words (the report is a Vietnamese document).
VERDICT_WORDS = {
    "on_track": "Đúng hướng",
    "at_risk": "Có nguy cơ không đạt",
    "off_track": "Chệch hướng",
    "no_data": "Chưa có số liệu",
}


def _amount(value, unit: str) -> str:
    if value is None:
        return "Chưa xác định"
    return f"{fmt(value)}{unit}" if unit.startswith("%") else f"{fmt(value)} {unit}"


def targets_section(state: ProgrammeState) -> Section:
    """The indicators as they stood at the report's moment: each target with its baseline,
    latest accepted value and verdict, the rule that decided each verdict, and a chart each."""
    table = Table(
        "Chỉ tiêu",
        "Các chỉ tiêu của Chương trình",
        [
            Column("Chỉ tiêu", 34),
            Column("Mục tiêu", 17),
            Column("Năm gốc", 13),
            Column("Giá trị thực hiện", 16),
            Column("Đánh giá", 20),
        ],
    )
    rules = Table(
        "Căn cứ đánh giá",
        "Căn cứ đánh giá từng chỉ tiêu",
        [Column("Chỉ tiêu", 34), Column("Căn cứ đánh giá", 66)],
    )
    charts = []
    for row in indicator_rows_as_of(programme=state.programme, moment=state.moment):
        target, assessment = row.target, row.assessment
        baseline = (
            f"{_amount(target.baseline_value, target.unit)} ({target.baseline_year})"
            if target.baseline_year
            else "Chưa xác định"
        )
        latest = (
            f"{_amount(assessment.latest_value, target.unit)} ({assessment.latest_year})"
            if assessment.latest_year
            else "Chưa có số liệu"
        )
        if assessment.average is not None:
            latest += f"; bình quân {_amount(assessment.average, target.unit)}"
        verdict = VERDICT_WORDS[assessment.verdict]
        if assessment.range_position:
            verdict += f" ({assessment.range_label})"
        table.add(
            target.name,
            f"{target_value(target)} ({stringformat(target.target_year, 'd')})",
            baseline,
            latest,
            verdict,
        )
        rules.add(target.name, assessment.rule)
        charts.append(
            (
                target.name,
                indicator_chart(
                    row.spec, row.actuals, assessment, title=target.name, width=520, height=200
                ),
            )
        )
    return Section(
        heading="V. TIẾN ĐỘ THỰC HIỆN CÁC CHỈ TIÊU",
        paragraphs=[
            "Mỗi chỉ tiêu được đánh giá theo giá trị thực hiện mới nhất đã được Văn phòng Tỉnh ủy "
            "chấp nhận, so với lộ trình thẳng từ năm gốc đến mục tiêu; chỉ tiêu tốc độ tăng "
            "trưởng được đánh giá theo tốc độ tăng bình quân của các năm đã qua."
        ],
        tables=[table, rules],
        charts=charts,
    )


def standing_committee_report(
    *,
    state: ProgrammeState,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    issued_on: date,
) -> ReportDocument:
    """The report, for the period or, as of a date, for the period whose reports were last
    due by then. A handful of queries beyond the state: the recipients, and the targets with
    their values and the zones' figures as of the moment."""
    programme = state.programme
    period = period or state.period_before(state.today)
    work = state.work()
    difficulties = Section(
        heading="VI. KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT",
        tables=difficulties_tables(state, work, period, sheet="Khó khăn, kiến nghị"),
    )
    overdue = overdue_table(state, work, sheet="Quá hạn")
    return ReportDocument(
        issuer_lines=[PROVINCIAL_COMMITTEE],
        number="Số      -BC/TU",
        issued_on=issued_on,
        subject=f"tình hình, kết quả thực hiện {programme_subject(programme)}",
        subject_note=scope_note(period=period, as_of_date=as_of_date),
        opening=(
            f"Ban Thường vụ Tỉnh ủy báo cáo tình hình, kết quả thực hiện "
            f"{programme_subject(programme)} như sau:"
        ),
        sections=[
            summary_section(state, work),
            task_sections(state, work),
            Section(
                heading="III. NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
                tables=[overdue],
                empty="" if overdue.rows else "Không có nhiệm vụ quá hạn.",
            ),
            not_reported_section(state, work, period),
            targets_section(state),
            difficulties,
        ],
        recipients=[r.text for r in programme.recipients.order_by("position")],
        signature=Signature(
            "T/M BAN THƯỜNG VỤ", programme.signer_title or "", programme.signer_name or ""
        ),
    )
