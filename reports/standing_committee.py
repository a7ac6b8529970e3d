"""The two reports on the whole programme, built from the same data: the Party Office's
status report to the Provincial Party Standing Committee, and the Standing Committee's report
upward to the Politburo and the Secretariat on implementing the resolution. Each has its own
sender: letterhead, number, opening, recipients and signer."""

from collections import Counter
from datetime import date

from django.template.defaultfilters import stringformat

from accounts.collation import vi_sort_key
from accounts.models import Body
from indicators.assessment import fmt
from indicators.charts import indicator_chart
from indicators.selectors import indicator_rows_as_of
from programme.templatetags.tracking import target_value
from tasks.models import ReportingPeriod
from tasks.succession import successor_line

from .as_of import ProgrammeState
from .charts import legend, status_bars
from .document import (
    ASSIGNMENT_COLUMNS,
    ReportDocument,
    Section,
    assignment_cells,
    difficulties_tables,
    folded_duties_table,
    group_citation,
    is_unchanged_duty,
    overdue_table,
    programme_subject,
    reporting_section,
    scope_note,
    summary_paragraph,
    task_heading,
)
from .figures import SumCheck
from .letterheads import SignatureBlock, letterhead_for
from .models import GeneratedReportKind
from .tables import (
    Column,
    Table,
    columns_check,
    counts_by_group,
    counts_row,
    counts_table,
    status_label,
    task_status,
)

TASKS_SHEET = "Nhiệm vụ"


def succession_paragraphs(state: ProgrammeState) -> list[str]:
    """A line for the bodies of the programme that had ended by the report's day, saying what
    each was merged or split into (the 2025 reorganisation): a report as of 2024 has none."""
    ended = (
        Body.objects.filter(assignments__item__programme=state.programme, valid_to__lt=state.today)
        .distinct()
        .order_by("position", "name")
    )
    lines = [line for body in ended if (line := successor_line(body, day=state.today))]
    if not lines:
        return []
    return [
        "Theo sắp xếp tổ chức bộ máy, nhiệm vụ của các cơ quan đã kết thúc hoạt động được chuyển "
        "cho cơ quan kế tục: " + "; ".join(lines) + "."
    ]


def summary_section(state: ProgrammeState, work, sums: list[SumCheck]) -> Section:
    overall = counts_row("Toàn bộ chương trình", "", [state.status(a) for a in work])
    by_group = counts_by_group(state, work)
    sums.extend(overall.checks())
    for row in by_group:
        sums.extend(row.checks())
    sums.extend(columns_check("Số nhiệm vụ theo nhóm", overall, by_group))
    table = counts_table(
        sheet="Tổng hợp",
        title="Số lượt phân công theo tình trạng thực hiện, theo nhóm nhiệm vụ",
        first="Nhóm nhiệm vụ (mục của Chương trình)",
        overall=overall,
        rows=by_group,
    )
    section = Section(
        title="TÌNH HÌNH CHUNG",
        paragraphs=[
            summary_paragraph("Chương trình được triển khai qua", overall, state.today),
            *succession_paragraphs(state),
        ],
        tables=[table],
    )
    if work:
        section.chart = status_bars(by_group)
        section.legend = legend()
    return section


def task_sections(state: ProgrammeState, work, period: ReportingPeriod | None) -> Section:
    """Each task group as a part of its own, cited by its place in the programme, with the
    tasks that have something to tell; the unchanged ongoing duties are folded into a count
    per body, and the workbook lists every row."""
    by_item: dict[int, list] = {}
    for assignment in work:
        by_item.setdefault(assignment.item_id, []).append(assignment)
    everything = Table(
        TASKS_SHEET, "Kết quả thực hiện từng nhiệm vụ", list(ASSIGNMENT_COLUMNS), in_pdf=False
    )
    parts, folded = [], []
    for group in state.groups:
        table = Table(TASKS_SHEET, "", list(ASSIGNMENT_COLUMNS), in_workbook=False)
        tasks = [
            item
            for item in state.items.values()
            if item.is_task and state.group_of.get(item.pk) == group.pk
        ]
        for item in tasks:
            assignments = by_item.get(item.pk, [])
            heading = task_heading(state, item.pk, status_label(task_status(state, assignments)))
            everything.add(heading, heading=True)
            for assignment in assignments:
                everything.add(*assignment_cells(state, assignment))
            told = [a for a in assignments if not is_unchanged_duty(state, a, period)]
            folded.extend(a for a in assignments if is_unchanged_duty(state, a, period))
            if told:
                table.add(heading, heading=True)
                for assignment in told:
                    table.add(*assignment_cells(state, assignment))
        part = Section(title=f"{group_citation(group)}: {' '.join(group.text.split())}")
        if table.rows:
            part.tables.append(table)
        else:
            part.empty = (
                "Các nhiệm vụ của nhóm đều là nhiệm vụ thường xuyên chưa có báo cáo mới "
                "(tổng hợp theo cơ quan ở cuối mục này)."
            )
        parts.append(part)
    section = Section(
        title="KẾT QUẢ THỰC HIỆN CÁC NHIỆM VỤ, GIẢI PHÁP", tables=[everything], subsections=parts
    )
    fold = folded_duties_table(state, folded, sheet=TASKS_SHEET)
    if fold is not None:
        parts.append(Section(title="Nhiệm vụ thường xuyên chưa có báo cáo mới", tables=[fold]))
    return section


def not_reported_section(state: ProgrammeState, work, period: ReportingPeriod | None) -> Section:
    table = Table(
        "Chưa báo cáo",
        f"Cơ quan chưa gửi báo cáo {period.name}" if period else "Cơ quan chưa gửi báo cáo",
        [Column("TT", 8, numeric=True), Column("Cơ quan", 62), Column("Số nhiệm vụ", 30, True)],
    )
    section = Section(title="CƠ QUAN CHƯA GỬI BÁO CÁO", tables=[table])
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
    without_values = []
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
        if not row.actuals:
            # A chart of no values draws only the path to the target: the line below says it.
            without_values.append(target.name)
            continue
        unit = f" (đơn vị: {target.unit.strip()})" if target.unit.strip() else ""
        charts.append(
            (
                f"{target.name}{unit}",
                indicator_chart(
                    row.spec, row.actuals, assessment, title=target.name, width=520, height=200
                ),
            )
        )
    section = Section(
        title="TIẾN ĐỘ THỰC HIỆN CÁC CHỈ TIÊU",
        paragraphs=[
            "Mỗi chỉ tiêu được đánh giá theo giá trị thực hiện mới nhất đã được Văn phòng Tỉnh ủy "
            "chấp nhận, so với lộ trình thẳng từ năm gốc đến mục tiêu; chỉ tiêu tốc độ tăng "
            "trưởng được đánh giá theo tốc độ tăng bình quân của các năm đã qua."
        ],
        tables=[table, rules],
        charts=charts,
    )
    if without_values:
        section.paragraphs.append(
            f"Chưa có giá trị thực hiện được chấp nhận của {len(without_values)} chỉ tiêu nên "
            f"chưa vẽ biểu đồ cho các chỉ tiêu này."
            if charts
            else "Chưa có giá trị thực hiện được chấp nhận của chỉ tiêu nào nên chưa vẽ biểu đồ."
        )
    return section


# Each sender's words: the opening, and the recipients.
SENDERS = {
    GeneratedReportKind.STANDING_COMMITTEE: {
        "opening": "Văn phòng Tỉnh ủy báo cáo Ban Thường vụ Tỉnh ủy tình hình, kết quả thực hiện "
        "{subject} như sau:",
        "recipients": [
            "Các đồng chí Ủy viên Ban Thường vụ Tỉnh ủy (để báo cáo),",
            "Lưu Văn phòng Tỉnh ủy.",
        ],
    },
    GeneratedReportKind.UPWARD: {
        "opening": "Ban Thường vụ Tỉnh ủy Khánh Hòa báo cáo Bộ Chính trị, Ban Bí thư tình hình, "
        "kết quả thực hiện {subject} như sau:",
        "recipients": [
            "Bộ Chính trị (để báo cáo),",
            "Ban Bí thư (để báo cáo),",
            "Văn phòng Trung ương Đảng,",
            "Lưu Văn phòng Tỉnh ủy.",
        ],
    },
}


def programme_report(
    *,
    kind: str,
    state: ProgrammeState,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    issued_on: date,
    signature: SignatureBlock,
) -> ReportDocument:
    """The report of `kind` (the Office's to the Standing Committee, or the Standing
    Committee's upward), for the period or, as of a date, for the period whose reports were
    last due by then. A handful of queries beyond the state: the targets with their values
    and the zones' figures as of the moment."""
    programme = state.programme
    period = period or state.period_before(state.today)
    work = state.work()
    sums: list[SumCheck] = []
    overdue = overdue_table(state, work, sheet="Quá hạn")
    sender = SENDERS[kind]
    subject = programme_subject(programme)
    return ReportDocument(
        letterhead=letterhead_for(kind, None),
        issued_on=issued_on,
        subject=f"tình hình, kết quả thực hiện {subject}",
        subject_note=scope_note(period=period, as_of_date=as_of_date),
        opening=sender["opening"].format(subject=subject),
        sections=[
            summary_section(state, work, sums),
            reporting_section(
                state,
                period,
                owing=state.owing(period) if period else [],
                by_group=True,
                label="Toàn bộ chương trình",
                sums=sums,
            ),
            task_sections(state, work, period),
            Section(
                title="NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
                tables=[overdue],
                empty="" if overdue.rows else "Không có nhiệm vụ quá hạn.",
            ),
            not_reported_section(state, work, period),
            targets_section(state),
            Section(
                title="KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT",
                tables=difficulties_tables(state, work, period, sheet="Khó khăn, kiến nghị"),
            ),
        ],
        recipients=list(sender["recipients"]),
        signature=signature,
        sums=sums,
    )
