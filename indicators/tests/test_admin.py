"""The register of industrial areas in the admin: the leasable land may not shrink below what
a sent figure reports as let, and a draft's unsent value neither blocks it nor shows."""

from decimal import Decimal

from indicators.admin import IndustrialAreaForm
from indicators.services import FigureData, figure_create, figure_submit


def shrink(area, hectares: str) -> IndustrialAreaForm:
    fields = {name: getattr(area, name) for name in IndustrialAreaForm.Meta.fields}
    fields["responsible_body"] = area.responsible_body_id
    fields["leasable_area_ha"] = Decimal(hectares)
    return IndustrialAreaForm(data=fields, instance=area)


def draft(world, hectares: str):
    return figure_create(
        subject=world.cluster,
        data=FigureData(year=2025, value=Decimal(hectares), source="Báo cáo của Ban quản lý"),
        acting_user=world.users["officer"],
    )


def test_a_drafts_value_neither_blocks_the_change_nor_shows(world):
    draft(world, "87.5")
    form = shrink(world.cluster, "60")
    assert form.is_valid(), form.errors
    assert "87" not in str(form.errors)


def test_a_sent_figure_holds_the_leasable_land_at_or_above_it(world):
    figure_submit(figure=draft(world, "87.5"), acting_user=world.users["leader"])
    form = shrink(world.cluster, "60")
    assert not form.is_valid()
    assert "87,5" in str(form.errors) or "87.5" in str(form.errors)
    assert shrink(world.cluster, "90").is_valid()
