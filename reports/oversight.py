"""A supervising body's oversight report: what it supervises, with status, the evidence the
reports cite, and its own recorded findings."""

from datetime import date

from accounts.models import Body
from programme.citations import cite_key
from tasks.models import Assignment, ReportingPeriod

from .as_of import ProgrammeState, evidence_as_of, findings_as_of
from .charts import legend, status_bars
from .dates import short_date
from .document import (
    ASSIGNMENT_COLUMNS,
    ReportDocument,
    Section,
    assignment_cells,
    folded_duties_table,
    is_unchanged_duty,
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
    counts_row,
    counts_table,
    quote,
    status_label,
    task_status,
)

TASKS_SHEET = "Nhiệm vụ giám sát"


def oversight_report(
    *,
    state: ProgrammeState,
    body: Body,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    issued_on: date,
    signature: SignatureBlock,
) -> ReportDocument:
    """The report of `body` on the tasks it supervises, under its own letterhead: what
    matters in a few pages, with the unchanged ongoing duties folded into a count per body
    and listed in the workbook. Three queries beyond the state."""
    period = period or state.period_before(state.today)
    supervisions = [
        a
        for a in state.assignments
        if a.body_id == body.pk and a.role == Assignment.Role.SUPERVISE and a.cancelled_on is None
    ]
    supervisions.sort(key=lambda a: state.items[a.item_id].sequence)
    items = {a.item_id for a in supervisions}
    work = [a for a in state.work() if a.item_id in items]

    sums: list[SumCheck] = []
    overall = counts_row("Các nhiệm vụ được giám sát", "", [state.status(a) for a in work])
    sums.extend(overall.checks())
    summary = Section(
        title="TÌNH HÌNH CHUNG",
        paragraphs=[
            summary_paragraph(
                f"{body.name} giám sát {len(supervisions)} nhiệm vụ của Chương trình, với",
                overall,
                state.today,
            )
        ],
        tables=[
            counts_table(
                sheet="Tổng hợp",
                title="Số lượt phân công theo tình trạng thực hiện",
                first="Phạm vi",
                overall=overall,
                rows=[],
            )
        ],
        chart=status_bars([overall]) if work else "",
        legend=legend() if work else [],
    )

    everything = Table(
        TASKS_SHEET, "Nhiệm vụ được giám sát", list(ASSIGNMENT_COLUMNS), in_pdf=False
    )
    tasks = Table(
        TASKS_SHEET, "Nhiệm vụ được giám sát", list(ASSIGNMENT_COLUMNS), in_workbook=False
    )
    folded = []
    by_item: dict[int, list] = {}
    for assignment in work:
        by_item.setdefault(assignment.item_id, []).append(assignment)
    for supervision in supervisions:
        rows = by_item.get(supervision.item_id, [])
        heading = task_heading(state, supervision.item_id, status_label(task_status(state, rows)))
        everything.add(heading, heading=True)
        for assignment in rows:
            everything.add(*assignment_cells(state, assignment))
        told = [a for a in rows if not is_unchanged_duty(state, a, period)]
        folded.extend(a for a in rows if is_unchanged_duty(state, a, period))
        if told:
            tasks.add(heading, heading=True)
            for assignment in told:
                tasks.add(*assignment_cells(state, assignment))
    fold = folded_duties_table(state, folded, sheet=TASKS_SHEET)
    supervised = Section(
        title="NHIỆM VỤ ĐƯỢC GIÁM SÁT",
        tables=[t for t in (tasks if tasks.rows else None, fold, everything) if t is not None],
    )
    if not supervisions:
        supervised.empty = "Cơ quan không được giao giám sát nhiệm vụ nào."
    elif not tasks.rows:
        supervised.paragraphs.append(
            "Các nhiệm vụ được giám sát đều là nhiệm vụ thường xuyên chưa có báo cáo mới."
        )

    work_ids = {a.id for a in work}
    reports = {r.id: r for r in state.reports if r.assignment_id in work_ids}
    documents, attachments = evidence_as_of(report_ids=list(reports), moment=state.moment)
    evidence = Table(
        "Căn cứ",
        "Văn bản, tài liệu được viện dẫn trong các báo cáo",
        [Column("Nhiệm vụ", 18), Column("Cơ quan", 24), Column("Kỳ", 18), Column("Căn cứ", 40)],
    )
    assignments = {a.id: a for a in work}
    lines = []
    for document in documents:
        issuer = f" của {document['issuer']}" if document["issuer"] else ""
        title = f": {document['title']}" if document["title"] else ""
        lines.append(
            (
                document["report_id"],
                f"Văn bản số {document['number']} ngày {short_date(document['issued_on'])}"
                f"{issuer}{title}",
            )
        )
    for attachment in attachments:
        lines.append((attachment["report_id"], f"Tệp đính kèm: {attachment['original_name']}"))
    lines.sort(
        key=lambda line: (
            state.items[assignments[reports[line[0]].assignment_id].item_id].sequence,
            line[0],
            line[1],
        )
    )
    for report_id, text in lines:
        report = reports[report_id]
        assignment = assignments[report.assignment_id]
        evidence.add(
            cite_key(state.items[assignment.item_id].key),
            state.bodies[assignment.body_id].name,
            state.periods[report.period_id].name,
            text,
        )

    findings_table = Table(
        "Ý kiến giám sát",
        "Ý kiến giám sát đã ghi nhận",
        [
            Column("Nhiệm vụ", 16),
            Column("Kỳ", 16),
            Column("Ý kiến giám sát", 38),
            Column("Kiến nghị", 30),
        ],
    )
    by_supervision = {a.id: a for a in supervisions}
    findings = findings_as_of(supervision_ids=list(by_supervision), moment=state.moment)
    findings.sort(key=lambda f: (f["recorded_at"], f["id"]))
    for finding in findings:
        supervision = by_supervision[finding["supervision_id"]]
        findings_table.add(
            cite_key(state.items[supervision.item_id].key),
            state.periods[finding["period_id"]].name if finding["period_id"] else "",
            quote(finding["text"]),
            quote(finding["recommendation"]),
        )

    return ReportDocument(
        letterhead=letterhead_for(GeneratedReportKind.OVERSIGHT, body),
        issued_on=issued_on,
        subject=f"kết quả giám sát việc thực hiện {programme_subject(state.programme)}",
        subject_note=scope_note(period=period, as_of_date=as_of_date),
        opening=(
            f"{body.name} báo cáo kết quả giám sát việc thực hiện "
            f"{programme_subject(state.programme)} như sau:"
        ),
        sections=[
            summary,
            reporting_section(
                state,
                period,
                owing=[a for a in state.owing(period) if a.item_id in items] if period else [],
                by_group=False,
                label="Các nhiệm vụ được giám sát",
                sums=sums,
            ),
            supervised,
            Section(
                title="CĂN CỨ, TÀI LIỆU",
                tables=[evidence],
                empty="" if evidence.rows else "Các báo cáo chưa viện dẫn văn bản, tài liệu.",
            ),
            Section(
                title="Ý KIẾN GIÁM SÁT",
                tables=[findings_table],
                empty="" if findings_table.rows else "Chưa ghi nhận ý kiến giám sát.",
            ),
        ],
        recipients=["Thường trực Tỉnh ủy (để báo cáo),", "Văn phòng Tỉnh ủy,", "Lưu."],
        signature=signature,
        sums=sums,
    )
