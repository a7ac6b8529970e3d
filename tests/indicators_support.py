"""The indicators' part of the cross-app worlds (the permission matrix, the smoke test): built
through the services, like the rest of those worlds."""

from datetime import timedelta
from decimal import Decimal
from types import SimpleNamespace

from django.utils import timezone

from accounts.models import Body
from indicators.models import IndustrialArea
from indicators.services import (
    FigureData,
    explanation_request,
    figure_accept,
    figure_create,
    figure_submit,
)
from programme.models import Target
from tasks.services.common import tracked_save


def indicator_world(users) -> SimpleNamespace:
    """Nha Trang made responsible for a share indicator and a cluster: a draft figure (2023)
    and a submitted one (2024) of the indicator, an accepted figure of the cluster, and an
    explanation request about the indicator."""
    nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
    share = Target.objects.get(code="ty-trong-cong-nghiep-grdp")
    share.responsible_body = nha_trang
    tracked_save(share, acting_user=None, reason="test")
    cluster = IndustrialArea.objects.get(code="ccn-cam-thinh-dong")
    cluster.responsible_body, cluster.leasable_area_ha = nha_trang, Decimal("100")
    tracked_save(cluster, acting_user=None, reason="test")
    officer, leader, reviewer = users["officer"], users["leader"], users["reviewer"]
    draft_figure = figure_create(
        subject=share, data=FigureData(2023, Decimal("33"), "Cục Thống kê"), acting_user=officer
    )
    submitted_figure = figure_create(
        subject=share, data=FigureData(2024, Decimal("34"), "Cục Thống kê"), acting_user=officer
    )
    figure_submit(figure=submitted_figure, acting_user=leader)
    area_figure = figure_create(
        subject=cluster, data=FigureData(2024, Decimal("40"), "Sở Công Thương"), acting_user=officer
    )
    figure_submit(figure=area_figure, acting_user=leader)
    figure_accept(figure=area_figure, acting_user=reviewer)
    explanation = explanation_request(
        target=share,
        question="Vì sao chưa có số liệu?",
        due_on=timezone.localdate() + timedelta(days=10),
        acting_user=reviewer,
    )
    return SimpleNamespace(
        share=share,
        occupancy=Target.objects.get(code="ty-le-lap-day-khu-cum-cong-nghiep"),
        cluster=cluster,
        draft_figure=draft_figure,
        submitted_figure=submitted_figure,
        area_figure=area_figure,
        explanation=explanation,
    )
