"""The responsible bodies' pages: the bodies by kind with their task counts, and a body with
its tasks by role, each in a constant number of queries."""

import re
from datetime import date

import pytest
from django.urls import reverse

pytestmark = pytest.mark.database

# Session and user (the header's memberships and unread count from the warm caches), then
# the page's own.
BODY_LIST_QUERIES = 2 + 1  # bodies with their task counts
# The body, its children and predecessors, its assignments, and those it succeeded or that
# succeeded it across a reorganisation.
BODY_DETAIL_QUERIES = 2 + 4


def test_it_lists_bodies_by_kind_with_their_task_counts(signed_in_client, text_of):
    from tasks.models import Assignment

    response = signed_in_client.get(reverse("body_list"))

    page = text_of(response)
    kinds = [
        "Cơ quan Trung ương",
        "Ban Chấp hành Đảng bộ tỉnh",
        "Sở, ban, ngành tỉnh",
        "Huyện ủy, thị ủy, thành ủy",
        "Tổ chức chính trị - xã hội",
    ]
    positions = [page.index(f"{kind} (") for kind in kinds]
    assert positions == sorted(positions)
    tasks_of_the_office = (
        Assignment.objects.filter(body__code="ban-can-su-dang-ubnd-tinh")
        .values("item")
        .distinct()
        .count()
    )
    assert re.search(
        rf"Ban Cán sự đảng UBND tỉnh UBND tỉnh Ban Chấp hành Đảng bộ tỉnh Đang hoạt động "
        rf"{tasks_of_the_office} ",
        page,
    )
    assert reverse("body_detail", args=["thanh-uy-nha-trang"]) in response.content.decode()


def test_it_shows_a_retired_body_with_its_dates_and_successor(signed_in_client, text_of):
    from accounts.models import Body

    old = Body.objects.get(code="huyen-uy-truong-sa")
    old.valid_from = date(2010, 1, 1)
    old.valid_to = date(2025, 6, 30)
    old.successor = Body.objects.get(code="thanh-uy-cam-ranh")
    old.save()

    listed = text_of(signed_in_client.get(reverse("body_list")))
    detail = text_of(signed_in_client.get(reverse("body_detail", args=["huyen-uy-truong-sa"])))
    successor = text_of(signed_in_client.get(reverse("body_detail", args=["thanh-uy-cam-ranh"])))

    expected = "Ngừng hoạt động từ 01/01/2010 đến 30/06/2025 cơ quan kế thừa: Thành ủy Cam Ranh"
    assert expected in listed
    assert expected in detail
    assert "Kế thừa từ Huyện ủy Trường Sa" in successor


def test_it_builds_the_body_list_in_a_constant_number_of_queries(
    signed_in_client, grow_programme, django_assert_num_queries, text_of
):
    signed_in_client.get(reverse("body_list"))  # warms the caches: the count is of the steady state
    with django_assert_num_queries(BODY_LIST_QUERIES):
        signed_in_client.get(reverse("body_list"))

    grow_programme(bullets=30)

    signed_in_client.get(reverse("body_list"))  # warms the caches: the count is of the steady state
    with django_assert_num_queries(BODY_LIST_QUERIES):
        response = signed_in_client.get(reverse("body_list"))
    page = text_of(response)
    assert "Cơ quan mới 1 tỉnh Khánh Hòa Cơ quan mới 1 — Đang hoạt động 16 " in page
    assert "Cơ quan mới 3 tỉnh Khánh Hòa Cơ quan mới 3 Thành ủy Nha Trang Đang hoạt động 32 " in (
        page
    )


def test_it_shows_a_body_and_its_tasks_by_role(signed_in_client, text_of):
    response = signed_in_client.get(reverse("body_detail", args=["thanh-uy-nha-trang"]))

    page = text_of(response)
    assert re.search(r"<h1>\s*Thành ủy Nha Trang\s*</h1>", response.content.decode())
    assert "Loại cơ quan Huyện ủy, thị ủy, thành ủy" in page
    assert "Cơ quan cấp trên Ban Chấp hành Đảng bộ tỉnh" in page
    assert "Tên tiếng Anh Nha Trang City Party Committee" in page
    assert "Triển khai tại địa phương (" in page
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 2 Khu vực thành phố Nha Trang và vùng phụ cận" in (
        page
    )
    assert reverse("item_detail", args=["nq23", "III.1.b1.s2"]) in response.content.decode()


def test_it_shows_a_parent_bodys_children(signed_in_client, text_of):
    page = text_of(signed_in_client.get(reverse("body_detail", args=["ban-can-su-dang-ubnd-tinh"])))

    assert "Cơ quan trực thuộc Sở Công Thương Sở Kế hoạch và Đầu tư" in page
    assert "Chủ trì (" in page


def test_it_builds_a_body_page_in_a_constant_number_of_queries(
    signed_in_client, grow_programme, django_assert_num_queries, text_of
):
    url = reverse("body_detail", args=["thanh-uy-nha-trang"])
    signed_in_client.get(url)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(BODY_DETAIL_QUERIES):
        signed_in_client.get(url)

    grow_programme(bullets=30)

    signed_in_client.get(url)  # warms the caches: the count is of the steady state
    with django_assert_num_queries(BODY_DETAIL_QUERIES):
        response = signed_in_client.get(url)
    page = text_of(response)
    assert "Cơ quan trực thuộc Cơ quan mới 3 tỉnh Khánh Hòa" in page
    assert "III.11, gạch đầu dòng thứ 30" in page


def test_it_answers_404_for_an_unknown_body(signed_in_client):
    assert signed_in_client.get(reverse("body_detail", args=["khong-co"])).status_code == 404
