"""The programme pages as a signed-in user reads them, in Vietnamese unless switched."""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

pytestmark = pytest.mark.database

# Session, user, the user's memberships and unread notifications for the header, then the
# page's own queries.
HOME_QUERIES = 4 + 1
OVERVIEW_QUERIES = 4 + 5  # programme, items, assignments, targets, recipients

OVERVIEW = reverse("programme_detail", args=["nq23"])


def fragment_of(response, element_id: str) -> str:
    """The markup from the element with this id up to the next item of the document."""
    markup = response.content.decode()
    start = markup.index(f'id="{element_id}"')
    end = markup.find('class="doc-item doc-item--', start)
    return markup[start : end if end > 0 else None]


def breadcrumb_of(response) -> list[str]:
    markup = response.content.decode()
    nav = markup[markup.index('<nav class="breadcrumb"') :]
    nav = nav[: nav.index("</nav>")]
    return [
        " ".join(re.sub(r"<[^>]+>", " ", li).split())
        for li in re.findall(r"<li.*?</li>", nav, re.S)
    ]


# Home


def test_it_lists_the_programme_with_its_counts_on_the_home_page(
    signed_in_client, text_of, django_assert_num_queries
):
    with django_assert_num_queries(HOME_QUERIES):
        response = signed_in_client.get(reverse("programme_list"))

    page = text_of(response)
    assert "Các chương trình hành động" in page
    assert (
        "Chương trình hành động thực hiện Nghị quyết 23-NQ/TW CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA BAN CHẤP"
        " HÀNH ĐẢNG BỘ TỈNH thực hiện Nghị quyết số 23-NQ/TW" in page
    )
    assert "Nghị quyết Số 23-NQ/TW ngày 22/03/2018 của Bộ Chính trị" in page
    assert "Nhóm nhiệm vụ 10" in page
    assert "Nhiệm vụ 42" in page
    assert f'href="{OVERVIEW}"' in response.content.decode()


# Overview


def test_it_shows_the_document_headings_in_order(signed_in_client, text_of):
    response = signed_in_client.get(OVERVIEW)

    page = text_of(response)
    document = page[page.index("CHƯƠNG TRÌNH HÀNH ĐỘNG CỦA BAN CHẤP HÀNH ĐẢNG BỘ TỈNH") :]
    headings = [
        "Nhằm quán triệt và triển khai thực hiện có hiệu quả",
        "I- QUAN ĐIỂM",
        "II- MỤC TIÊU",
        "1. Mục tiêu tổng quát",
        "2. Mục tiêu cụ thể",
        "III- NHIỆM VỤ, GIẢI PHÁP",
        "3. Tạo lập môi trường đầu tư, kinh doanh thuận lợi cho phát triển công nghiệp",
        "10. Nâng cao năng lực lãnh đạo của Đảng",
        "IV- TỔ CHỨC THỰC HIỆN",
        "Nơi nhận:",
    ]
    positions = [document.index(heading) for heading in headings]
    assert positions == sorted(positions)
    assert '<h2 class="doc-part__heading" id="heading-III">III- NHIỆM VỤ, GIẢI PHÁP</h2>' in (
        response.content.decode()
    )


def test_it_shows_every_item_in_full_with_sentences_mended(signed_in_client, text_of):
    page = text_of(signed_in_client.get(OVERVIEW))

    assert (
        "thu hút các nhà đầu tư có năng lực, có công nghệ cao sản xuất sản phẩm và hàng hóa"
        " xuất khẩu." in page
    )
    assert "Khu kinh tế Vân Phong: Tập trung thu hút đầu tư một số dự án lớn" in page
    assert "Khu vực thành phố Nha Trang và vùng phụ cận: Tập trung phát triển" in page
    assert "Khu vực vịnh Cam Ranh: Tập trung phát triển phát triển công nghiệp đóng tàu" in page
    assert "4. Giao Ban Cán sự đảng UBND tỉnh chỉ đạo xây dựng kế hoạch" in page


def test_it_shows_recipients_and_the_signature(signed_in_client, text_of):
    page = text_of(signed_in_client.get(OVERVIEW))

    assert "Nơi nhận: Bộ Chính trị, Ban Bí thư Trung ương Đảng," in page
    assert "Lưu Văn phòng Tỉnh ủy." in page
    assert "T/M BAN CHẤP HÀNH BÍ THƯ (Đã ký) Lê Thanh Quang" in page


def test_it_shows_the_targets_of_part_ii_as_a_table(signed_in_client, text_of):
    response = signed_in_client.get(OVERVIEW)

    rows = [
        text_of(row)
        for row in re.findall(r"<tr>(.*?)</tr>", fragment_of(response, "item-II.2.b1"), re.S)
    ]
    assert "Tỷ trọng công nghiệp - xây dựng trong GRDP của tỉnh trong khoảng 46 - 47% 2030" in rows
    assert "Tỷ trọng công nghiệp trong GRDP trên 40% 2030" in rows
    growth = text_of(fragment_of(response, "item-II.2.b3"))
    assert "Tốc độ tăng năng suất lao động công nghiệp tối thiểu 7,5%/năm 2030" in growth


def test_it_shows_each_tasks_bodies_by_role_and_links_to_it(signed_in_client, text_of):
    response = signed_in_client.get(OVERVIEW)

    vanphong = text_of(fragment_of(response, "item-III.1.b1.s1"))
    assert "Triển khai tại địa phương Thị ủy Ninh Hòa Huyện ủy Vạn Ninh" in vanphong
    assert "Chủ trì Ban Cán sự đảng UBND tỉnh" in vanphong
    assert "Nhận báo cáo Ban Thường vụ Tỉnh ủy" in vanphong
    markup = response.content.decode()
    assert reverse("item_detail", args=["nq23", "III.3.b2"]) in markup
    assert reverse("body_detail", args=["huyen-uy-van-ninh"]) in markup
    assert "Nhiệm vụ III.3, gạch đầu dòng thứ 2" in text_of(response)


def test_it_offers_no_task_box_outside_the_tasks_part(signed_in_client):
    response = signed_in_client.get(OVERVIEW)

    assert "task-box" in fragment_of(response, "item-III.3.b2")
    assert "task-box" not in fragment_of(response, "item-I.b1")
    assert "task-box" not in fragment_of(response, "item-II.2.b1")
    assert "task-box" not in fragment_of(response, "item-IV.4")


def test_it_builds_the_overview_in_a_constant_number_of_queries(
    signed_in_client, text_of, grow_programme, django_assert_num_queries
):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        signed_in_client.get(OVERVIEW)

    grow_programme(bullets=30)

    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = signed_in_client.get(OVERVIEW)
    page = text_of(response)
    assert "11. Nhóm nhiệm vụ bổ sung của tỉnh Khánh Hòa" in page
    assert "Nhiệm vụ bổ sung số 30 về công nghiệp hoá tỉnh Khánh Hòa." in page
    assert "Chỉ tiêu bổ sung trên 12,5% 2030" in page
    assert "Lưu hồ sơ bổ sung." in page


def test_it_answers_404_for_an_unknown_programme(signed_in_client):
    assert signed_in_client.get(reverse("programme_detail", args=["khong-co"])).status_code == 404


# Task detail


def test_it_cites_a_task_and_shows_its_place_and_text(signed_in_client, text_of):
    response = signed_in_client.get(reverse("item_detail", args=["nq23", "III.3.b2"]))

    assert re.search(r"<h1>\s*III.3, gạch đầu dòng thứ 2\s*</h1>", response.content.decode())
    assert breadcrumb_of(response) == [
        "Chương trình hành động thực hiện Nghị quyết 23-NQ/TW",
        "III- NHIỆM VỤ, GIẢI PHÁP",
        "3. Tạo lập môi trường đầu tư, kinh doanh thuận lợi cho phát tr…",
        "III.3, gạch đầu dòng thứ 2",
    ]
    page = text_of(response)
    assert "Toàn văn - Cải thiện môi trường đầu tư, tạo điều kiện thuận lợi" in page
    assert "có công nghệ cao sản xuất sản phẩm và hàng hóa xuất khẩu" in page


def test_it_shows_a_tasks_assignments_by_role_with_their_basis(signed_in_client, text_of):
    response = signed_in_client.get(reverse("item_detail", args=["nq23", "III.3.b2"]))

    page = text_of(response)
    lead = page.index("Chủ trì Ban Cán sự đảng UBND tỉnh (căn cứ: IV.4)")
    coordinate = page.index("Phối hợp Sở Kế hoạch và Đầu tư (căn cứ: IV.4)")
    supervise = page.index("Giám sát Đảng đoàn HĐND tỉnh (căn cứ: IV.3)")
    receive = page.index("Nhận báo cáo Ban Thường vụ Tỉnh ủy")
    assert lead < coordinate < supervise < receive
    markup = response.content.decode()
    assert reverse("body_detail", args=["ban-can-su-dang-ubnd-tinh"]) in markup
    assert reverse("item_detail", args=["nq23", "IV.4"]) in markup


def test_it_shows_a_sub_items_parent_bullet_and_region(signed_in_client, text_of):
    page = text_of(signed_in_client.get(reverse("item_detail", args=["nq23", "III.1.b1.s1"])))

    assert "III.1, gạch đầu dòng thứ 1, ý thứ 1" in page
    assert "Thuộc III.1, gạch đầu dòng thứ 1: Thực hiện phân bố không gian" in page
    assert "Vùng Khu kinh tế Vân Phong — địa bàn: Thị ủy Ninh Hòa, Huyện ủy Vạn Ninh" in page
    assert "Triển khai tại địa phương Thị ủy Ninh Hòa" in page


def test_it_lists_a_bullets_sub_items(signed_in_client, text_of):
    page = text_of(signed_in_client.get(reverse("item_detail", args=["nq23", "III.1.b1"])))

    assert "Các ý III.1, gạch đầu dòng thứ 1, ý thứ 1 Khu kinh tế Vân Phong" in page
    assert "III.1, gạch đầu dòng thứ 1, ý thứ 3 Khu vực vịnh Cam Ranh" in page


def test_it_shows_the_change_history_newest_first_in_local_time(
    signed_in_client, text_of, reviewer
):
    from programme.models import Item

    item = Item.objects.get(programme__code="nq23", key="III.3.b2")
    item.history.update(history_date=datetime(2025, 12, 31, 18, 30, tzinfo=UTC))
    item.text = item.text.replace("Australia", "Úc")
    item._change_reason = "Sửa theo bản gốc"
    item._history_user = reviewer
    item.save()

    page = text_of(signed_in_client.get(reverse("item_detail", args=["nq23", "III.3.b2"])))

    changed = page.index(f"Sửa đổi {reviewer.full_name} Sửa theo bản gốc")
    created = page.index("01/01/2026 01:30 Tạo mới Hệ thống test")
    assert changed < created


def test_it_answers_404_for_an_unknown_item(signed_in_client):
    response = signed_in_client.get(reverse("item_detail", args=["nq23", "III.99.b1"]))

    assert response.status_code == 404


# Search is its own app now: search/tests/test_search.py.


# Language


def test_it_speaks_english_after_switching_language(signed_in_client, text_of):
    task = reverse("item_detail", args=["nq23", "III.3.b2"])
    assert "Chủ trì" in text_of(signed_in_client.get(task))

    response = signed_in_client.post(
        reverse("set_language"), {"language": "en", "next": task}, follow=True
    )

    page = text_of(response)
    assert '<html lang="en">' in response.content.decode()
    assert "III.3, bullet 2" in page
    assert "Lead Party civil-affairs committee of the Provincial People's Committee" in page
    assert "Receive reports" in page
    assert "Chủ trì" not in page


def test_it_shows_the_overview_to_every_role(client, text_of, cast):
    for user in cast.values():
        client.force_login(user)

        assert "III- NHIỆM VỤ, GIẢI PHÁP" in text_of(client.get(OVERVIEW)), user.username
