"""The tracking of the programme: assignments, reporting periods, progress reports, review.

Glossary:
- assignment: phân công; lead: chủ trì; coordinate: phối hợp; implement locally: triển khai
  tại địa phương; supervise: giám sát; receive reports: nhận báo cáo
- delegation: giao lại (a sub-assignment to a subordinate body)
- deadline: thời hạn; extension: gia hạn; recurring duty: nhiệm vụ thường xuyên
- reporting period: kỳ báo cáo (sơ kết 6 tháng, tổng kết năm, sơ kết giữa kỳ, tổng kết)
- progress report: báo cáo tiến độ; result: kết quả thực hiện; difficulties: khó khăn,
  vướng mắc; proposals: kiến nghị, đề xuất
- draft: dự thảo; submit: trình/gửi; accept: chấp nhận; return: trả lại
- evidence: căn cứ (cited document: văn bản; attachment: tệp đính kèm)
- finding: ý kiến giám sát (a supervising body's recorded finding)
"""

from .assignments import Assignment, AssignmentRole, DeadlineKind
from .periods import PeriodKind, PeriodState, ReportingPeriod
from .permissions import AssignmentGroupObjectPermission, AssignmentUserObjectPermission
from .reports import (
    Attachment,
    CitedDocument,
    ExtensionRequest,
    ExtensionState,
    Finding,
    ProgressReport,
    ReportState,
)

__all__ = [
    "Assignment",
    "AssignmentGroupObjectPermission",
    "AssignmentRole",
    "AssignmentUserObjectPermission",
    "Attachment",
    "CitedDocument",
    "DeadlineKind",
    "ExtensionRequest",
    "ExtensionState",
    "Finding",
    "PeriodKind",
    "PeriodState",
    "ProgressReport",
    "ReportState",
    "ReportingPeriod",
]
