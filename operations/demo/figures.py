"""Indicator figures for past years: accepted, one waiting for review, one returned."""

from dataclasses import dataclass
from decimal import Decimal

from indicators.models import YearlyFigure
from indicators.services import (
    FigureData,
    figure_accept,
    figure_create,
    figure_return,
    figure_submit,
)
from programme.models import Target

from .cast import CONG_THUONG, LEADER, OFFICER, THONG_KE, reviewer
from .telling import PROGRAMME, Step, Story, at

FIGURE_SOURCE = "Niên giám thống kê tỉnh Khánh Hòa %s (số liệu minh họa)"


@dataclass(frozen=True)
class FigurePlan:
    target: str
    year: int
    value: str
    body: str
    # "accepted", "submitted" (waiting for review) or "returned"
    how: str
    drafted: str
    submitted: str
    reviewed: str | None = None
    reason: str = ""


FIGURES = (
    FigurePlan("ty-trong-cong-nghiep-xay-dung-grdp", 2023, "31.8", THONG_KE, "accepted",
               "2024-09-16 09:00", "2024-09-20 10:00", "2024-09-25 15:00"),
    FigurePlan("ty-trong-cong-nghiep-grdp", 2023, "24.6", THONG_KE, "accepted",
               "2024-09-16 09:10", "2024-09-20 10:10", "2024-09-25 15:10"),
    FigurePlan("tang-truong-gtgt-cong-nghiep", 2023, "6.2", THONG_KE, "accepted",
               "2024-09-16 09:20", "2024-09-20 10:20", "2024-09-25 15:20"),
    FigurePlan("ty-trong-cong-nghiep-xay-dung-grdp", 2024, "32.5", THONG_KE, "accepted",
               "2025-03-10 09:00", "2025-03-14 10:00", "2025-03-20 15:00"),
    FigurePlan("ty-trong-cong-nghiep-grdp", 2024, "25.3", THONG_KE, "accepted",
               "2025-03-10 09:10", "2025-03-14 10:10", "2025-03-20 15:10"),
    FigurePlan("tang-truong-gtgt-cong-nghiep", 2024, "8.9", THONG_KE, "accepted",
               "2025-03-10 09:20", "2025-03-14 10:20", "2025-03-20 15:20"),
    FigurePlan("ty-trong-cong-nghiep-xay-dung-grdp", 2025, "33.1", THONG_KE, "accepted",
               "2026-03-09 09:00", "2026-03-13 10:00", "2026-03-19 15:00"),
    FigurePlan("tang-truong-gtgt-cong-nghiep", 2025, "9.4", THONG_KE, "accepted",
               "2026-03-09 09:20", "2026-03-13 10:20", "2026-03-19 15:20"),
    FigurePlan("ty-le-san-pham-cong-nghe-cao", 2025, "18.5", CONG_THUONG, "returned",
               "2026-04-06 09:00", "2026-04-10 10:00", "2026-04-15 15:00",
               "Số liệu lấy từ báo cáo ước tính; đề nghị gửi số liệu chính thức của Sở."),
    FigurePlan("tang-nang-suat-lao-dong-cong-nghiep", 2025, "6.8", THONG_KE, "submitted",
               "2026-11-16 09:00", "2026-11-20 10:00"),
)  # fmt: skip


def figure_steps(plan: FigurePlan) -> list[Step]:
    label = f"figure {plan.target} {plan.year}"

    def draft(story: Story):
        figure_create(
            subject=Target.objects.get(programme__code=PROGRAMME, code=plan.target),
            data=FigureData(
                year=plan.year, value=Decimal(plan.value), source=FIGURE_SOURCE % plan.year
            ),
            acting_user=story.member(plan.body, OFFICER),
        )

    def figure(story: Story) -> YearlyFigure:
        return YearlyFigure.objects.get(target__code=plan.target, year=plan.year)

    def submit(story: Story):
        figure_submit(figure=figure(story), acting_user=story.member(plan.body, LEADER))

    def review(story: Story):
        if plan.how == "accepted":
            figure_accept(figure=figure(story), acting_user=reviewer(story))
        else:
            figure_return(figure=figure(story), reason=plan.reason, acting_user=reviewer(story))

    steps = [
        Step(at(plan.drafted), f"{label}: draft", draft),
        Step(at(plan.submitted), f"{label}: submit", submit),
    ]
    if plan.reviewed:
        steps.append(Step(at(plan.reviewed), f"{label}: {plan.how}", review))
    return steps
