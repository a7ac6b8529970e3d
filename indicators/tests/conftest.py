"""A world for the indicator tests: the cast of conftest.py, with Thành ủy Nha Trang made the
body responsible for one share indicator (baseline 30% in 2018, target above 40% in 2030) and
for two industrial clusters with their leasable land recorded."""

from decimal import Decimal
from types import SimpleNamespace

import pytest

from accounts.models import Body
from indicators.models import IndustrialArea
from programme.models import Target
from tasks.services.common import tracked_save


def make_responsible(target_or_area, body: Body, **fields) -> None:
    target_or_area.responsible_body = body
    for name, value in fields.items():
        setattr(target_or_area, name, value)
    tracked_save(target_or_area, acting_user=None, reason="test")


@pytest.fixture
def world(cast):
    nha_trang = Body.objects.get(code="thanh-uy-nha-trang")
    share = Target.objects.get(code="ty-trong-cong-nghiep-grdp")
    make_responsible(share, nha_trang, baseline_year=2018, baseline_value=Decimal("30"))
    growth = Target.objects.get(code="tang-truong-gtgt-cong-nghiep")
    make_responsible(growth, nha_trang, baseline_year=2018, baseline_value=Decimal("7"))
    occupancy = Target.objects.get(code="ty-le-lap-day-khu-cum-cong-nghiep")
    cluster = IndustrialArea.objects.get(code="ccn-cam-thinh-dong")
    make_responsible(
        cluster, nha_trang, planned_area_ha=Decimal("120"), leasable_area_ha=Decimal("100")
    )
    other = IndustrialArea.objects.get(code="ccn-dien-tho")
    make_responsible(
        other, nha_trang, planned_area_ha=Decimal("60"), leasable_area_ha=Decimal("50")
    )
    return SimpleNamespace(
        users=cast,
        share=share,
        growth=growth,
        occupancy=occupancy,
        cluster=cluster,
        other=other,
        nha_trang=nha_trang,
    )


@pytest.fixture
def accepted(world):
    """Returns a function that takes a figure through the whole workflow to accepted."""
    from indicators.services import FigureData, figure_accept, figure_create, figure_submit

    def accept(subject, year: int, value: str, source: str = "Niên giám thống kê"):
        figure = figure_create(
            subject=subject,
            data=FigureData(year=year, value=Decimal(value), source=source),
            acting_user=world.users["officer"],
        )
        figure_submit(figure=figure, acting_user=world.users["leader"])
        return figure_accept(figure=figure, acting_user=world.users["reviewer"])

    return accept
