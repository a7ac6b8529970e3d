"""Assignments as the pages show them: who leads, coordinates, implements, supervises and
receives reports on each task."""

import html
import re
from datetime import date

from django.urls import reverse

OVERVIEW = reverse("programme_detail", args=["nq23"])

REGIONS = {
    "III.1.b1.s1": ["Thị ủy Ninh Hòa", "Huyện ủy Vạn Ninh"],
    "III.1.b1.s2": ["Thành ủy Nha Trang", "Huyện ủy Diên Khánh"],
    "III.1.b1.s3": ["Thành ủy Cam Ranh", "Huyện ủy Cam Lâm"],
}


def task_box(markup: str, key: str) -> str:
    """The markup of the assignments box of one task on the overview."""
    start = markup.index(f'id="item-{key}"')
    box = markup.index('<div class="task-box">', start)
    return markup[box : markup.index("</details>", box)]


def role_groups(markup: str) -> dict[str, list[str]]:
    """Role label -> body names, read from the first list of role groups on the page."""
    block = markup[markup.index('<dl class="role-groups">') :]
    block = block[: block.index("</dl>")]
    groups = {}
    for label, bodies in re.findall(
        r'<dt class="role-group__label">(.*?)</dt>\s*<dd>(.*?)</dd>', block, re.S
    ):
        groups[html.unescape(label.strip())] = [
            html.unescape(name.strip())
            for name in re.findall(r'<a href="/bodies/[^"]+/">(.*?)</a>', bodies, re.S)
        ]
    return groups


def test_it_shows_each_regions_localities_as_implementers(signed_in_client, text_of):
    markup = signed_in_client.get(OVERVIEW).content.decode()

    for key, localities in REGIONS.items():
        box = text_of(task_box(markup, key))
        assert f"Triển khai tại địa phương {' '.join(localities)}" in box, key


def test_it_orders_the_roles_from_lead_to_receive_reports(signed_in_client):
    markup = signed_in_client.get(
        reverse("item_detail", args=["nq23", "III.1.b1.s1"])
    ).content.decode()

    groups = role_groups(markup)
    assert list(groups) == [
        "Chủ trì",
        "Phối hợp",
        "Triển khai tại địa phương",
        "Giám sát",
        "Nhận báo cáo",
    ]
    assert groups["Chủ trì"] == ["Ban Cán sự đảng UBND tỉnh"]
    assert groups["Triển khai tại địa phương"] == REGIONS["III.1.b1.s1"]
    assert groups["Nhận báo cáo"] == ["Ban Thường vụ Tỉnh ủy"]
    assert "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh" in groups["Giám sát"]


def test_it_leaves_out_a_cancelled_assignment(signed_in_client, text_of):
    from tasks.models import Assignment

    assignment = Assignment.objects.get(
        item__key="III.3.b2", body__code="so-ke-hoach-va-dau-tu", role="coordinate"
    )
    assignment.cancelled_on = date(2025, 7, 1)
    assignment.save()

    item_page = signed_in_client.get(reverse("item_detail", args=["nq23", "III.3.b2"]))
    body_page = signed_in_client.get(reverse("body_detail", args=["so-ke-hoach-va-dau-tu"]))

    assert "Sở Kế hoạch và Đầu tư" not in role_groups(item_page.content.decode())["Phối hợp"]
    assert "III.3, gạch đầu dòng thứ 2" not in text_of(body_page.content.decode())


def test_it_lists_a_bodys_tasks_under_each_of_its_roles(signed_in_client, text_of):
    from tasks.models import Assignment

    response = signed_in_client.get(reverse("body_detail", args=["ban-can-su-dang-ubnd-tinh"]))

    tasks = Assignment.objects.filter(body__code="ban-can-su-dang-ubnd-tinh")
    led = tasks.filter(role=Assignment.Role.LEAD).count()
    page = text_of(response)
    assert f"Được giao {tasks.values('item').distinct().count()} nhiệm vụ" in page
    assert f"Chủ trì ({led})" in page
    first, last = (
        page.index("III.1, gạch đầu dòng thứ 1 Thực hiện phân bố không gian"),
        page.index("III.10, gạch đầu dòng thứ 2 Tăng cường hiệu lực, hiệu quả quản lý"),
    )
    assert first < last


def test_it_says_when_a_body_has_no_task(signed_in_client, text_of):
    page = text_of(
        signed_in_client.get(reverse("body_detail", args=["bo-chinh-tri"])).content.decode()
    )

    assert "Cơ quan này chưa được giao nhiệm vụ nào." in page
