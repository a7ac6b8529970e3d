"""A body's own report: its assignments and their results for a period, ready to send up."""

from datetime import date

from accounts.models import Body
from programme.citations import cite_key
from tasks.models import ReportingPeriod, ReportState

from .as_of import ProgrammeState
from .document import (
    ReportDocument,
    Section,
    difficulties_tables,
    overdue_table,
    programme_subject,
    scope_note,
    summary_paragraph,
)
from .figures import SumCheck
from .letterheads import SignatureBlock, letterhead_for
from .models import GeneratedReportKind
from .tables import (
    Column,
    Table,
    counts_row,
    counts_table,
    deadline_text,
    quote,
    status_label,
)

REPORT_STATES = {
    ReportState.SUBMITTED: "đã gửi, chờ xem xét",
    ReportState.ACCEPTED: "đã được chấp nhận",
}


def body_report(
    *,
    state: ProgrammeState,
    body: Body,
    period: ReportingPeriod | None,
    as_of_date: date | None,
    issued_on: date,
    signature: SignatureBlock,
) -> ReportDocument:
    """The report of `body` on its own work, under its own letterhead. No query beyond the
    state."""
    period = period or state.period_before(state.today)
    work = [a for a in state.work() if a.body_id == body.pk]
    overall = counts_row(body.name, "", [state.status(a) for a in work])
    sums: list[SumCheck] = overall.checks()
    tasks = Table(
        "Nhiệm vụ",
        "Nhiệm vụ được giao và kết quả thực hiện",
        [
            Column("TT", 5, numeric=True),
            Column("Nhiệm vụ", 27),
            Column("Vai trò", 12),
            Column("Thời hạn", 15),
            Column("Tình trạng", 13),
            Column("Kết quả trong kỳ", 28),
        ],
    )
    for number, assignment in enumerate(work, start=1):
        item = state.items[assignment.item_id]
        report = state.report_for(assignment, period) if period else None
        if report is not None and report.state in REPORT_STATES:
            result = (
                f"“{quote(report.result)}” ({report.percent_complete}%; "
                f"{REPORT_STATES[report.state]})"
            )
        else:
            result = "Chưa gửi báo cáo kỳ này."
        tasks.add(
            number,
            f"{cite_key(item.key)}: {quote(item.text, 300)}",
            assignment.role_label,
            deadline_text(assignment),
            status_label(state.status(assignment)),
            result,
        )
    overdue = overdue_table(state, work, sheet="Quá hạn")
    return ReportDocument(
        letterhead=letterhead_for(GeneratedReportKind.BODY, body),
        issued_on=issued_on,
        subject=f"kết quả thực hiện {programme_subject(state.programme)}",
        subject_note=scope_note(period=period, as_of_date=as_of_date),
        opening=(
            f"{body.name} báo cáo kết quả thực hiện các nhiệm vụ được giao trong "
            f"{programme_subject(state.programme)} như sau:"
        ),
        sections=[
            Section(
                title="TÌNH HÌNH CHUNG",
                paragraphs=[
                    summary_paragraph(
                        f"{body.name} được giao", overall, state.today, whose="nhiệm vụ"
                    )
                ],
                tables=[
                    counts_table(
                        sheet="Tổng hợp",
                        title="Số nhiệm vụ theo tình trạng thực hiện",
                        first="Cơ quan",
                        overall=overall,
                        rows=[],
                    )
                ],
            ),
            Section(
                title="KẾT QUẢ THỰC HIỆN",
                tables=[tasks],
                empty="" if work else "Cơ quan không được giao nhiệm vụ nào.",
            ),
            Section(
                title="NHIỆM VỤ CHƯA HOÀN THÀNH, QUÁ HẠN",
                tables=[overdue],
                empty="" if overdue.rows else "Không có nhiệm vụ quá hạn.",
            ),
            Section(
                title="KHÓ KHĂN, VƯỚNG MẮC VÀ KIẾN NGHỊ, ĐỀ XUẤT",
                tables=difficulties_tables(state, work, period, sheet="Khó khăn, kiến nghị"),
            ),
        ],
        recipients=["Văn phòng Tỉnh ủy (để tổng hợp),", "Lưu."],
        signature=signature,
        sums=sums,
    )
