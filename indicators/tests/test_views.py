"""The indicator pages: the overview a Party Office reviewer reads on one page, the charts,
the forms and their refusals (4xx, never 5xx), and list pages whose query count does not grow
with their rows."""

import xml.etree.ElementTree as ET
from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from indicators.assessment import Spec, assess
from indicators.charts import indicator_chart
from indicators.models import FigureState, IndustrialArea, YearlyFigure
from indicators.services import explanation_request
from programme.models import Target

pytestmark = [pytest.mark.django_db, pytest.mark.database]
SVG = "{http://www.w3.org/2000/svg}"


def svgs(markup: str) -> list[ET.Element]:
    """The indicator charts of a page, parsed."""
    found, start = [], 0
    while (
        start := markup.find('<svg xmlns="http://www.w3.org/2000/svg" class="chart', start)
    ) != -1:
        end = markup.index("</svg>", start) + len("</svg>")
        found.append(ET.fromstring(markup[start:end]))
        start = end
    return found


def points(svg: ET.Element) -> dict[int, Decimal]:
    return {
        int(c.get("data-year")): Decimal(c.get("data-value"))
        for c in svg.iter(f"{SVG}circle")
        if c.get("class") == "chart-value"
    }


def test_the_overview_shows_every_indicator_with_its_verdict_and_chart(
    client, world, accepted, text_of
):
    accepted(world.share, 2022, "31")
    accepted(world.share, 2024, "36")
    accepted(world.growth, 2019, "6")
    client.force_login(world.users["reviewer"])

    response = client.get(reverse("indicator_overview", args=["nq23"]))

    assert response.status_code == 200
    markup = response.content.decode()
    assert markup.count("<tr data-indicator=") == Target.objects.count() == 8
    assert f'data-indicator="{world.share.code}" data-verdict="on_track"' in markup
    assert f'data-indicator="{world.growth.code}" data-verdict="at_risk"' in markup
    assert 'data-verdict="no_data"' in markup
    charts = svgs(markup)
    assert len(charts) == 8
    assert {2022: Decimal("31"), 2024: Decimal("36")} in [points(svg) for svg in charts]
    assert "style=" not in markup.split("<main", 1)[1]


def test_a_chart_parses_and_holds_the_points_the_path_and_the_target():
    spec = Spec(
        measure="level",
        comparator="range",
        value=Decimal("46"),
        value_max=Decimal("47"),
        target_year=2030,
        first_year=2018,
        unit="%",
        baseline_year=2018,
        baseline_value=Decimal("40"),
    )
    actuals = {2020: Decimal("41.5"), 2023: Decimal("43"), 2025: Decimal("44.2")}

    svg = ET.fromstring(indicator_chart(spec, actuals, assess(spec, actuals), title="A & B"))

    assert svg.find(f"{SVG}title").text == "A & B"
    assert points(svg) == actuals
    path = next(e for e in svg.iter(f"{SVG}line") if e.get("class") == "chart-path")
    assert (path.get("data-baseline-year"), path.get("data-baseline")) == ("2018", "40")
    band = next(e for e in svg.iter(f"{SVG}rect") if e.get("class") == "chart-target")
    assert (band.get("data-value"), band.get("data-value-max")) == ("46", "47")
    polyline = next(svg.iter(f"{SVG}polyline"))
    assert len(polyline.get("points").split()) == 3
    assert all("style" not in e.attrib for e in svg.iter())


def test_the_detail_page_shows_chart_values_history_and_explanations(
    client, world, accepted, text_of
):
    accepted(world.share, 2024, "31")
    explanation_request(
        target=world.share,
        question="Vì sao chậm?",
        due_on=timezone.localdate() + timedelta(days=5),
        acting_user=world.users["reviewer"],
    )
    client.force_login(world.users["standing_member"])

    response = client.get(reverse("indicator_detail", args=[world.share.pk]))

    text = text_of(response)
    assert response.status_code == 200
    assert points(svgs(response.content.decode())[0]) == {2024: Decimal("31")}
    assert "Niên giám thống kê" in text
    assert "Chệch hướng" in text or "Off track" in text
    assert reverse("explanation_detail", args=[world.share.explanation_requests.get().pk]) in (
        response.content.decode()
    )


def _post_figure(client, world, **fields):
    data = {"year": 2024, "value": "35", "source": "Cục Thống kê", "note": ""} | fields
    return client.post(reverse("figure_create", args=[world.share.pk]), data)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"value": "150"}, "must be from 0 to 100"),
        ({"value": "abc"}, "Enter a number"),
        ({"year": "2040"}, "outside it"),
        ({"year": "1850"}, "greater than or equal to 1990"),
        ({"source": ""}, "This field is required"),
    ],
)
def test_a_bad_figure_is_refused_on_the_form(client, world, in_english, fields, message):
    client.force_login(world.users["officer"])
    client.post(reverse("set_language"), {"language": "en"})

    response = _post_figure(client, world, **fields)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not YearlyFigure.objects.exists()


def test_occupied_land_above_the_leasable_land_is_refused_on_the_form(client, world):
    client.force_login(world.users["officer"])
    client.post(reverse("set_language"), {"language": "en"})
    url = reverse("area_figure_create", args=[world.cluster.pk])

    too_much = client.post(url, {"year": 2024, "value": "120", "source": "BQL"})
    negative = client.post(url, {"year": 2024, "value": "-3", "source": "BQL"})

    assert too_much.status_code == 400
    assert "occupancy would be above 100%" in too_much.content.decode()
    assert negative.status_code == 400
    assert "An area cannot be negative" in negative.content.decode()


def test_the_workflow_through_the_pages(client, world):
    users = world.users
    client.force_login(users["officer"])
    created = _post_figure(client, world, value="35,5")  # the Vietnamese decimal comma
    figure = YearlyFigure.objects.get()
    assert created.status_code == 302
    assert figure.value == Decimal("35.5")

    client.force_login(users["leader"])
    assert client.post(reverse("figure_submit", args=[figure.pk])).status_code == 302
    client.force_login(users["reviewer"])
    returned = client.post(reverse("figure_return", args=[figure.pk]), {"reason": "Ghi nguồn."})
    assert returned.status_code == 302
    client.force_login(users["officer"])
    edited = client.post(
        reverse("figure_edit", args=[figure.pk]),
        {"year": 2024, "value": "35,7", "source": "Niên giám 2024", "version": 1},
    )
    assert edited.status_code == 302
    client.force_login(users["leader"])
    client.post(reverse("figure_submit", args=[figure.pk]))
    client.force_login(users["reviewer"])
    client.post(reverse("figure_accept", args=[figure.pk]))

    figure.refresh_from_db()
    assert (figure.state, figure.value) == (FigureState.ACCEPTED, Decimal("35.7"))
    page = client.get(reverse("figure_detail", args=[figure.pk])).content.decode()
    assert page.count("timeline__entry--") == 6


def test_the_explanation_pages_take_an_answer_and_a_closing(client, world, accepted):
    accepted(world.share, 2024, "31")
    client.force_login(world.users["reviewer"])
    asked = client.post(
        reverse("indicator_explanation_create", args=[world.share.pk]),
        {"question": "Vì sao chậm?", "due_on": (timezone.localdate() + timedelta(3)).isoformat()},
    )
    request = world.share.explanation_requests.get()
    assert asked.status_code == 302
    client.force_login(world.users["officer"])
    empty = client.post(reverse("explanation_answer", args=[request.pk]), {"answer": " "})
    answered = client.post(reverse("explanation_answer", args=[request.pk]), {"answer": "Vì..."})
    client.force_login(world.users["reviewer"])
    closed = client.post(reverse("explanation_close", args=[request.pk]), {"note": "Rõ."})

    assert empty.status_code == 400
    assert (answered.status_code, closed.status_code) == (302, 302)
    request.refresh_from_db()
    assert (request.state, request.answer) == ("closed", "Vì...")


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def _more_rows(world, accepted, start: int) -> None:
    for year in range(start, start + 3):
        accepted(world.share, year, "30")
        accepted(world.growth, year, "1")
        accepted(world.cluster, year, "40")
        accepted(world.other, year, "20")
    for n in range(3):
        IndustrialArea.objects.create(
            code=f"ccn-them-{start}-{n}",
            name=f"Cụm công nghiệp thêm {start}-{n}",
            kind="cluster",
            responsible_body=world.nha_trang,
        )
        explanation_request(
            target=world.share if n else world.growth,
            question=f"Giải trình {start}-{n}",
            due_on=timezone.localdate() + timedelta(days=n),
            acting_user=world.users["reviewer"],
        )


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("indicator_overview", lambda w: ["nq23"]),
        ("indicator_detail", lambda w: [w.share.pk]),
        ("area_list", lambda w: []),
        ("area_detail", lambda w: [w.cluster.pk]),
        ("explanation_list", lambda w: []),
    ],
)
def test_a_list_page_costs_the_same_queries_however_many_rows(
    client, world, accepted, django_assert_num_queries, name, args
):
    # Off track first, so that explanations may be asked.
    accepted(world.share, 2019, "30")
    accepted(world.growth, 2018, "1")
    client.force_login(world.users["reviewer"])
    url = reverse(name, args=args(world))
    _more_rows(world, accepted, 2020)
    client.get(url)  # warms the caches: the count is of the steady state
    few = _queries(client, url)

    _more_rows(world, accepted, 2023)

    with django_assert_num_queries(few):
        assert client.get(url).status_code == 200
    assert few <= 12, few
