"""The demo story, as a chronological list of dated steps.

From September 2024, when the tracking goes into use, to 3 December 2026 ("today"): five
reporting periods (2024-nam, 2025-6t, 2025-nam and 2026-6t, closed; 2026-nam, open and due on
30/11/2026) with reports accepted on time, accepted late, returned and revised, waiting for
review, returned and not yet revised, drafts never sent, and many owed and never sent
(reporting.py); fixed deadlines met, missed and extended (one extension refused, one waiting
for a decision); a part delegated to a department; supervision findings; explanations asked
of two overdue tasks (one answered, one open); indicator figures for past years (figures.py);
and the Party Office's status report.

Everything in it is invented for the demonstration: people, texts, document numbers and
figures ("số liệu minh họa"). The bodies are those of the 2018 document; the reorganisation
that takes effect on 1/7/2025 has its place among the steps (`reorganisation_2025`).
"""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings

from accounts.models import Role
from indicators.models import ExplanationRequest
from indicators.services import explanation_answer, explanation_request
from reorganisation.plan import plan_read
from reorganisation.services import reorganisation_apply
from reports.models import GeneratedReportKind, GeneratedReportState
from reports.permissions import generated_report_policy
from reports.services import generated_report_build, generated_report_record
from tasks.models import DeadlineKind, ExtensionRequest, ProgressReport
from tasks.services.assignments import assignment_delegate, assignment_set_deadline
from tasks.services.extensions import extension_decide, extension_request
from tasks.services.findings import finding_record

from .cast import CONG_THUONG, LEADER, SET_UP, UBND, reviewer, set_up
from .figures import FIGURES, figure_steps
from .reporting import (
    CR1,
    CTD,
    KH,
    NT1,
    PERIODS,
    U1,
    U2,
    U3,
    U4,
    period_rows,
    period_steps,
    periods_not_yet_opened,
)
from .telling import PROGRAMME, DemoStoryOutcome, Step, Story, StoryError, WorkKey, at, tell

# Deadlines, extensions, delegation.


def _set_deadline(key: WorkKey, deadline: date, reason: str) -> Callable[[Story], object]:
    def act(story: Story):
        return assignment_set_deadline(
            assignment=story.work(key),
            kind=DeadlineKind.FIXED,
            deadline=deadline,
            acting_user=reviewer(story),
            reason=reason,
        )

    return act


def _ask_extension(key: WorkKey, proposed: date, reason: str) -> Callable[[Story], object]:
    def act(story: Story):
        return extension_request(
            assignment=story.work(key),
            proposed_deadline=proposed,
            reason=reason,
            acting_user=story.doer(key, LEADER),
        )

    return act


def _decide_extension(key: WorkKey, approve: bool, note: str) -> Callable[[Story], object]:
    def act(story: Story):
        request = ExtensionRequest.objects.get(
            assignment=story.work(key), state=ExtensionRequest.State.PENDING
        )
        return extension_decide(
            request=request, approve=approve, note=note, acting_user=reviewer(story)
        )

    return act


def delegate_quality_standards(story: Story) -> None:
    lead = story.work(WorkKey(CTD.key.item, UBND, "lead"))
    assignment_delegate(
        assignment=lead,
        body=story.body(CONG_THUONG),
        note="Sở Công Thương chủ trì hướng dẫn doanh nghiệp áp dụng tiêu chuẩn quản lý chất "
        "lượng; báo cáo kết quả theo kỳ.",
        acting_user=story.doer(WorkKey(CTD.key.item, UBND, "lead"), LEADER),
    )


def _finding(item: str, body: str, period_code: str, text: str, recommendation: str):
    key = WorkKey(item, body, "supervise")

    def act(story: Story):
        return finding_record(
            supervision=story.work(key),
            period=story.period(period_code),
            text=text,
            recommendation=recommendation,
            acting_user=story.doer(key, Role.SUPERVISOR),
        )

    return act


def _ask_explanation(key: WorkKey, question: str, due_on: date):
    def act(story: Story):
        return explanation_request(
            question=question,
            due_on=due_on,
            acting_user=reviewer(story),
            assignment=story.work(key),
        )

    return act


def _answer_explanation(key: WorkKey, answer: str):
    def act(story: Story):
        request = ExplanationRequest.objects.get(assignment=story.work(key))
        return explanation_answer(
            request=request, answer=answer, acting_user=story.doer(key, LEADER)
        )

    return act


# 1/7/2025.


def reorganisation_2025(story: Story) -> None:
    """The reorganisation effective 1/7/2025, as the administrator applies it on the day: the
    plan of fixtures/reorganisations/ (public sources only), through the reorganisation app's
    service. Each ended body's open work passes to its successor; the steps after this one name
    bodies by their 2018 codes and reach the successor of one that has ended (Story.body,
    Story.member). The bodies the sources do not settle are left for the administrator, as the
    plan says."""
    text = (Path(settings.FIXTURES_DIR) / "reorganisations" / "2025-khanh-hoa.json").read_text(
        encoding="utf-8"
    )
    reorganisation_apply(plan=plan_read(text), acting_user=story.user("quantri"))


# The final step: what the Party Office builds for the Standing Committee.


def status_reports(story: Story) -> None:
    """The Party Office's status report to the Standing Committee on the open period, and the
    Fatherland Front's oversight report, built now (not queued), as the build_report command
    builds them, by people who may ask for them."""
    period = story.period("2026-nam")
    front = story.body("uy-ban-mttq-tinh")
    for kind, user, body in (
        (GeneratedReportKind.STANDING_COMMITTEE, reviewer(story), None),
        (GeneratedReportKind.OVERSIGHT, story.member(front, Role.SUPERVISOR), front),
    ):
        if not generated_report_policy.may_request(user, kind, body.pk if body else None):
            raise StoryError(f"{user} may not ask for a {kind} report")
        report = generated_report_record(
            kind=kind, programme=period.programme, period=period, body=body, requested_by=user
        )
        built = generated_report_build(report_id=report.pk)
        if built.state != GeneratedReportState.DONE:
            raise StoryError(built.error or f"the {kind} report was not built")


def story_steps() -> list[Step]:
    """The whole story, in date order."""
    periods = {p.code: p for p in period_rows()}
    steps = [
        Step(SET_UP, "the tracking goes into use", set_up),
        Step(SET_UP + timedelta(minutes=30), "periods not yet opened", periods_not_yet_opened),
        # Fixed deadlines, set by the Party Office with its reasons.
        Step(
            at("2024-09-10 09:00"),
            f"deadline {U2.key}",
            _set_deadline(
                U2.key,
                date(2025, 6, 30),
                "Theo Kế hoạch cải cách hành chính năm 2025: hoàn thành quy trình rút ngắn "
                "thời gian giải quyết hồ sơ trước 30/6/2025.",
            ),
        ),
        Step(
            at("2024-09-10 09:10"),
            f"deadline {KH.key}",
            _set_deadline(
                KH.key,
                date(2025, 12, 31),
                "Ban hành đề án đổi mới xúc tiến đầu tư FDI vào công nghiệp trong năm 2025.",
            ),
        ),
        Step(
            at("2024-09-10 09:20"),
            f"deadline {NT1.key}",
            _set_deadline(
                NT1.key,
                date(2026, 3, 31),
                "Hoàn thành di dời các cơ sở gây ô nhiễm ra khỏi nội thành trước 31/3/2026.",
            ),
        ),
        Step(
            at("2024-09-10 09:30"),
            f"deadline {U3.key}",
            _set_deadline(
                U3.key,
                date(2026, 6, 30),
                "Ban hành kế hoạch di dời và cơ chế hỗ trợ doanh nghiệp trước 30/6/2026.",
            ),
        ),
        Step(
            at("2025-03-10 10:00"),
            f"delegate {CTD.key.item} to {CONG_THUONG}",
            delegate_quality_standards,
        ),
        Step(
            at("2025-01-08 10:00"),
            "finding of the People's Council delegation",
            _finding(
                "III.1.b1",
                "dang-doan-hdnd-tinh",
                "2024-nam",
                "Qua giám sát, việc phân bố không gian công nghiệp theo 3 vùng có chuyển biến, "
                "nhưng quỹ đất sạch tại khu vực vịnh Cam Ranh còn ít; nhiều cụm công nghiệp chưa "
                "có nhà đầu tư hạ tầng.",
                "Đề nghị UBND tỉnh chỉ đạo đẩy nhanh giải phóng mặt bằng, ưu tiên vốn đầu tư hạ "
                "tầng cụm công nghiệp.",
            ),
        ),
        Step(at("2025-07-01 08:00"), "the 2025 reorganisation takes effect", reorganisation_2025),
        Step(
            at("2025-10-15 09:00"),
            f"deadline {CR1.key}",
            _set_deadline(
                CR1.key,
                date(2026, 9, 30),
                "Hoàn thành giải phóng mặt bằng cụm công nghiệp trước 30/9/2026.",
            ),
        ),
        Step(
            at("2025-12-15 10:00"),
            "finding of the Fatherland Front on relocation",
            _finding(
                "III.9.b4",
                "uy-ban-mttq-tinh",
                "2025-nam",
                "Nhân dân khu vực có cơ sở sản xuất gây ô nhiễm phản ánh việc di dời còn chậm; "
                "một số cơ sở vẫn hoạt động gây tiếng ồn, khói bụi.",
                "Đề nghị công khai lộ trình di dời và kết quả xử lý phản ánh của nhân dân.",
            ),
        ),
        Step(
            at("2026-01-20 09:00"),
            f"explanation asked of {KH.key}",
            _ask_explanation(
                KH.key,
                "Đề án đổi mới xúc tiến đầu tư FDI chưa được ban hành đúng hạn 31/12/2025. Đề "
                "nghị giải trình nguyên nhân và thời gian hoàn thành.",
                date(2026, 2, 10),
            ),
        ),
        Step(
            at("2026-02-06 15:00"),
            f"explanation given by {KH.key.body}",
            _answer_explanation(
                KH.key,
                "Dự thảo đề án phải lấy ý kiến bổ sung của các bộ, ngành trung ương về ưu đãi "
                "đầu tư; Sở dự kiến trình ban hành trong quý II/2026.",
            ),
        ),
        Step(
            at("2026-06-01 09:00"),
            f"extension asked for {U3.key}",
            _ask_extension(
                U3.key,
                date(2026, 11, 30),
                "Cơ chế hỗ trợ di dời cần chờ Nghị quyết của HĐND tỉnh về mức hỗ trợ, dự kiến "
                "thông qua tại kỳ họp cuối năm.",
            ),
        ),
        Step(
            at("2026-06-04 14:00"),
            f"extension approved for {U3.key}",
            _decide_extension(
                U3.key, True, "Đồng ý gia hạn đến 30/11/2026 theo đề nghị của UBND tỉnh."
            ),
        ),
        Step(
            at("2026-07-20 10:00"),
            "finding of the Fatherland Front on dissemination",
            _finding(
                "III.10.b1",
                "uy-ban-mttq-tinh",
                "2026-6t",
                "Việc quán triệt chính sách công nghiệp ở cơ sở còn hình thức tại một số nơi; "
                "đoàn viên, hội viên ít được thông tin về các dự án công nghiệp trên địa bàn.",
                "Đề nghị các cấp ủy phối hợp với Mặt trận tổ chức đối thoại với nhân dân về dự "
                "án công nghiệp.",
            ),
        ),
        Step(
            at("2026-09-10 09:00"),
            f"extension asked for {CR1.key}",
            _ask_extension(
                CR1.key,
                date(2026, 12, 31),
                "Còn 12 hộ dân chưa đồng ý phương án bồi thường.",
            ),
        ),
        Step(
            at("2026-09-14 14:00"),
            f"extension refused for {CR1.key}",
            _decide_extension(
                CR1.key,
                False,
                "Không đồng ý gia hạn: đề nghị Thành ủy tập trung chỉ đạo dứt điểm, báo cáo "
                "vướng mắc cụ thể để tỉnh hỗ trợ.",
            ),
        ),
        Step(
            at("2026-10-05 09:00"),
            f"deadline {U4.key}",
            _set_deadline(
                U4.key,
                date(2026, 12, 10),
                "Trình HĐND tỉnh chính sách phát triển nhân lực chất lượng cao tại kỳ họp cuối "
                "năm 2026.",
            ),
        ),
        Step(
            at("2026-11-05 09:00"),
            f"explanation asked of {CR1.key}",
            _ask_explanation(
                CR1.key,
                "Việc giải phóng mặt bằng cụm công nghiệp quá hạn 30/9/2026. Đề nghị giải trình "
                "nguyên nhân, trách nhiệm và thời gian hoàn thành.",
                date(2026, 12, 10),
            ),
        ),
        Step(
            at("2026-11-28 10:00"),
            "finding of the People's Council delegation on relocation",
            _finding(
                "III.9.b4",
                "dang-doan-hdnd-tinh",
                "2026-nam",
                "Kế hoạch di dời đã được ban hành trong thời hạn gia hạn; cần theo dõi việc bố "
                "trí kinh phí hỗ trợ doanh nghiệp.",
                "Đề nghị bố trí kinh phí hỗ trợ di dời trong dự toán ngân sách năm 2027.",
            ),
        ),
        Step(
            at("2026-12-02 16:00"),
            f"extension asked for {U4.key}",
            _ask_extension(
                U4.key,
                date(2027, 1, 31),
                LAST_EXTENSION_REASON,
            ),
        ),
        Step(at("2026-12-03 07:30"), "the Party Office's status report", status_reports),
    ]
    for period_plan in PERIODS:
        steps += period_steps(period_plan, periods)
    for plan in FIGURES:
        steps += figure_steps(plan)
    return steps


# Whether the story is there: its first report, and its last step before the status reports
# (which are left out where PDFs cannot be built, or need not be).

LAST_EXTENSION_REASON = "Kỳ họp HĐND tỉnh cuối năm lùi sang đầu tháng 01/2027."


def _first_report_exists() -> bool:
    return ProgressReport.objects.filter(
        assignment__item__programme__code=PROGRAMME,
        assignment__item__key=U1.key.item,
        assignment__body__code=U1.key.body,
        assignment__role=U1.key.role,
        period__code=PERIODS[0].code,
    ).exists()


def _last_step_done() -> bool:
    return ExtensionRequest.objects.filter(
        assignment__item__programme__code=PROGRAMME,
        assignment__item__key=U4.key.item,
        reason=LAST_EXTENSION_REASON,
    ).exists()


def demo_story_load(
    *, say: Callable[[str], None] | None = None, with_status_reports: bool = True
) -> DemoStoryOutcome:
    """Load the demo story on a developer's machine (see operations.demo.telling.tell);
    `with_status_reports` builds the PDF reports of its last day."""
    steps = story_steps()
    if not with_status_reports:
        steps = [step for step in steps if step.act is not status_reports]
    return tell(steps=steps, is_told=_last_step_done, is_begun=_first_report_exists, say=say)
