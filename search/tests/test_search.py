"""Search as people use it: ranked, tone-insensitive, across the programme, cited documents,
bodies, progress reports and findings, within what the user may see. Runs on SQLite (the
folding fallback) and on PostgreSQL (full-text search with unaccent): the same test set."""

from datetime import date

import pytest
from django.urls import reverse

from accounts.models import Body
from conftest import make_member
from tasks.models import Assignment, ReportingPeriod
from tasks.services.findings import finding_record
from tasks.services.reports import ReportData, document_cite, report_create, report_submit

pytestmark = pytest.mark.database


@pytest.fixture(scope="module")
def scene(reference_data, django_db_blocker):
    """Reports, cited documents and findings of three bodies, written through the services,
    once for the module (the reference data's transaction rolls them back)."""
    with django_db_blocker.unblock():
        users = {
            key: make_member(key)
            for key in ("officer", "leader", "other_officer", "reviewer", "supervisor")
        }
        period = ReportingPeriod.objects.get(code="2026-nam")

        def assignment(key, body, role):
            return Assignment.objects.get(item__key=key, body__code=body, role=role)

        nha_trang = assignment("III.1.b1.s2", "thanh-uy-nha-trang", "implement_locally")
        cam_ranh = assignment("III.1.b1.s3", "thanh-uy-cam-ranh", "implement_locally")
        sent = report_create(
            assignment=nha_trang,
            period=period,
            data=ReportData(
                result="Khu công nghiệp Suối Dầu đã lấp đầy 90% diện tích; thu hút thêm "
                "hai dự án công nghiệp hỗ trợ ngành cơ khí.",
                difficulties="Giải phóng mặt bằng cụm công nghiệp Diên Phú còn chậm.",
                percent_complete=60,
            ),
            acting_user=users["officer"],
        )
        document_cite(
            report=sent,
            number="45-KH/TU",
            issued_on=date(2026, 3, 2),
            issuer="Thành ủy Nha Trang",
            title="Kế hoạch phát triển công nghiệp",
            acting_user=users["officer"],
        )
        report_submit(report=sent, acting_user=users["leader"])
        other_draft = report_create(
            assignment=cam_ranh,
            period=period,
            data=ReportData(
                result="Dự thảo: nhà máy đóng tàu Ba Ngòi mở rộng công nghiệp hỗ trợ.",
                percent_complete=10,
            ),
            acting_user=users["other_officer"],
        )
        document_cite(
            report=other_draft,
            number="99-KH/TU",
            issued_on=date(2026, 4, 1),
            issuer="Thành ủy Cam Ranh",
            title="",
            acting_user=users["other_officer"],
        )
        finding_on = {
            key: assignment(key, "uy-ban-mttq-tinh", "supervise")
            for key in ("III.1.b1.s2", "III.5.b5")
        }
        finding_record(
            supervision=finding_on["III.1.b1.s2"],
            period=period,
            text="Việc giải phóng mặt bằng ở Nha Trang còn chậm so với kế hoạch.",
            recommendation="Đề nghị đẩy nhanh tiến độ bồi thường.",
            acting_user=users["supervisor"],
        )
        finding_record(
            supervision=finding_on["III.5.b5"],
            period=period,
            text="Chương trình đào tạo nghề chưa gắn với nhu cầu doanh nghiệp.",
            recommendation="",
            acting_user=users["supervisor"],
        )
    yield {"users": users, "sent": sent, "other_draft": other_draft}


@pytest.fixture(autouse=True)
def _each_test_in_a_savepoint(db):
    """The scene stays; what a test writes is rolled back."""


def search(client, user, q):
    client.force_login(user)
    return client.get(reverse("search"), {"q": q})


def first_keys(results, n):
    return [hit.object.key for hit in results["items"].hits[:n]]


# The test set: a query, the kind searched, and its expected first results, as a set when
# several rows share the first rank (within a tier, PostgreSQL breaks ties by ts_rank and
# SQLite by document order), or the single first result.
ITEM_QUERIES = [
    # A phrase first: four items hold "công nghiệp hỗ trợ", nine more all four words.
    ("cong nghiep ho tro", {"III.1.b1.s1", "III.2.b3", "III.3.b3", "III.8.b1"}),
    ("công nghiệp hỗ trợ", {"III.1.b1.s1", "III.2.b3", "III.3.b3", "III.8.b1"}),
    ("CÔNG NGHIỆP, HỖ TRỢ", {"III.1.b1.s1", "III.2.b3", "III.3.b3", "III.8.b1"}),
    ("nang luong tai tao", {"III.2.b1"}),
    ("năng lượng tái tạo", {"III.2.b1"}),
    ("dao tao nguon nhan luc", {"III.5.b5"}),
    ("đào tạo nguồn nhân lực", {"III.5.b5"}),
    ("cam ranh", {"III.1.b1.s3"}),
    ("van phong", {"I.b4", "III.1.b1.s1"}),
    # All words, none as a phrase.
    ("hoa duoc", {"III.6.b1"}),
    ("chuyen doi so", {"III.4.b4", "III.5.b2"}),
    # A resolution's number reads as its words.
    ("23-NQ/TW", {"I.b1", "IV.1"}),
]


@pytest.mark.parametrize(("query", "expected"), ITEM_QUERIES)
def test_it_ranks_the_programme_text_phrase_first(client, scene, query, expected):
    response = search(client, scene["users"]["reviewer"], query)

    results = response.context["results"]
    assert set(first_keys(results, len(expected))) == expected
    hits = results["items"].hits
    if len(hits) > len(expected):
        assert hits[len(expected) - 1].tier > hits[len(expected)].tier


def test_it_finds_the_same_whatever_the_tone_placement(client, scene):
    reviewer = scene["users"]["reviewer"]
    found = [
        first_keys(search(client, reviewer, q).context["results"], 20)
        for q in ("hiện đại hóa", "hiện đại hoá", "hien dai hoa")
    ]

    assert found[0] == found[1] == found[2]
    assert "III.5.b4" in found[0]


OTHER_QUERIES = [
    # A cited document by its number, whatever the case and the "/".
    ("45-KH/TU", "documents", "45-KH/TU"),
    ("45-kh/tu", "documents", "45-KH/TU"),
    ("45-KHTU", "documents", "45-KH/TU"),
    ("kế hoạch 45-kh/tu", "documents", "45-KH/TU"),
    # Bodies, by name, with or without diacritics.
    ("thanh uy nha trang", "bodies", "thanh-uy-nha-trang"),
    ("Sở Công Thương", "bodies", "so-cong-thuong"),
    ("mttq", "bodies", "uy-ban-mttq-tinh"),
    # The text of a progress report, its difficulties too.
    ("suoi dau", "reports", "sent"),
    ("cum cong nghiep Dien Phu", "reports", "sent"),
    # Findings and their recommendations.
    ("giai phong mat bang", "findings", "Việc giải phóng mặt bằng"),
    ("boi thuong", "findings", "Việc giải phóng mặt bằng"),
]


def identify(kind, obj, scene):
    if kind == "documents":
        return obj.number
    if kind == "bodies":
        return obj.code
    if kind == "reports":
        return next((name for name in ("sent",) if scene[name].pk == obj.pk), obj.pk)
    return obj.text


@pytest.mark.parametrize(("query", "kind", "expected"), OTHER_QUERIES)
def test_it_finds_documents_bodies_reports_and_findings(client, scene, query, kind, expected):
    response = search(client, scene["users"]["reviewer"], query)

    hits = response.context["results"][kind].hits
    assert hits, query
    assert str(identify(kind, hits[0].object, scene)).startswith(expected)


def test_it_groups_the_results_by_kind_with_counts(client, scene, text_of):
    response = search(client, scene["users"]["officer"], "công nghiệp hỗ trợ")

    page = text_of(response)
    results = response.context["results"]
    assert results["items"].total == 56
    assert results["reports"].total == 1
    assert f"Văn bản chương trình: {results['items'].total}" in page
    assert "Báo cáo tiến độ: 1" in page
    assert "Văn bản dẫn chứng: 0" in page
    assert "Khu công nghiệp Suối Dầu" in page


def test_an_officer_finds_nothing_of_another_bodys_draft_not_even_a_count(client, scene, text_of):
    for user in ("officer", "reviewer", "supervisor"):
        for query in ("Ba Ngoi", "nhà máy đóng tàu Ba Ngòi", "99-KH/TU"):
            response = search(client, scene["users"][user], query)

            results = response.context["results"]
            assert results["reports"].total == 0, (user, query)
            assert results["documents"].total == 0, (user, query)
            page = response.content.decode()
            assert "Dự thảo:" not in page and "Thành ủy Cam Ranh" not in page
            assert reverse("report_detail", args=[scene["other_draft"].pk]) not in page
        assert "0 kết quả với “99-KH/TU”" in text_of(response)


def test_the_drafting_body_finds_its_own_draft(client, scene):
    response = search(client, scene["users"]["other_officer"], "99-KH/TU Ba Ngoi")

    results = response.context["results"]
    assert results["documents"].total == 1
    assert results["reports"].hits[0].object.pk == scene["other_draft"].pk


def test_a_body_sees_the_findings_on_its_tasks_only(client, scene):
    officer, supervisor = scene["users"]["officer"], scene["users"]["supervisor"]

    def findings(user):
        results = search(client, user, "giai phong mat bang dao tao nghe").context["results"]
        return sorted(hit.object.supervision.item.key for hit in results["findings"].hits)

    assert findings(supervisor) == ["III.1.b1.s2", "III.5.b5"]
    assert findings(officer) == ["III.1.b1.s2"]
    # Nor does Cam Ranh's officer see Nha Trang's sent report.
    other = search(client, scene["users"]["other_officer"], "suoi dau").context["results"]
    assert other["reports"].total == 0


def test_it_marks_the_matched_words_and_escapes_the_rest(client, scene):
    markup = search(client, scene["users"]["reviewer"], "suoi dau").content.decode()

    assert "Khu công nghiệp <mark>Suối</mark> <mark>Dầu</mark> đã lấp đầy" in markup


@pytest.mark.parametrize(
    "query", ["%", "_", "'", '"', "%%%", "a%b_c", "!!!", "' OR 1=1 --", "\\", "<b>x</b>"]
)
def test_it_answers_odd_input_with_a_page(client, scene, query):
    response = search(client, scene["users"]["officer"], query)

    assert response.status_code == 200
    assert "<b>x</b>" not in response.content.decode()


def test_it_refuses_a_nul_and_an_overlong_query_with_a_form_error(client, scene, text_of):
    nul = search(client, scene["users"]["officer"], "công\x00nghiệp")
    long = search(client, scene["users"]["officer"], "công nghiệp " * 20)

    assert nul.status_code == long.status_code == 200
    assert nul.context["results"] is None and long.context["results"] is None
    assert "Chỉ nhập tối đa 200 ký tự; nội dung tìm kiếm có 239 ký tự." in text_of(long)


def test_it_says_when_nothing_is_found(client, scene, text_of):
    page = text_of(search(client, scene["users"]["officer"], "quasar xyzzy"))

    assert "0 kết quả với “quasar xyzzy”" in page
    assert "Không có nội dung nào đồng chí được xem chứa các từ này." in page


def test_it_shows_only_the_form_for_an_empty_query(client, scene, text_of):
    response = search(client, scene["users"]["officer"], "   ")

    assert response.context["results"] is None
    assert "kết quả" not in text_of(response)


def test_it_searches_in_a_constant_number_of_queries(
    client, scene, grow_programme, django_assert_max_num_queries
):
    reviewer = scene["users"]["reviewer"]
    client.force_login(reviewer)
    client.get(reverse("search"), {"q": "khanh hoa"})  # the per-user caches, warm as in use
    with django_assert_max_num_queries(12) as few:
        first = client.get(reverse("search"), {"q": "khanh hoa 45-KH/TU"})

    grow_programme(bullets=30)
    Body.objects.filter(code="so-cong-thuong").update(name="Sở Công Thương tỉnh Khánh Hòa")

    with django_assert_max_num_queries(12) as many:
        second = client.get(reverse("search"), {"q": "khanh hoa 45-KH/TU"})
    assert len(many.captured_queries) == len(few.captured_queries)
    grown = second.context["results"]
    assert grown["items"].total == first.context["results"]["items"].total + 33
    assert grown["documents"].total == 1


def test_it_escapes_the_text_it_marks(client, scene):
    supervisor = scene["users"]["supervisor"]
    finding_record(
        supervision=Assignment.objects.get(
            item__key="III.1.b1.s2", body__code="uy-ban-mttq-tinh", role="supervise"
        ),
        period=None,
        text='<script>alert("x")</script> Chưa bồi hoàn đủ cho các hộ dân.',
        recommendation="",
        acting_user=supervisor,
    )

    markup = search(client, supervisor, "boi hoan").content.decode()

    assert (
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; Chưa <mark>bồi</mark> <mark>hoàn</mark>"
        in markup
    )
    assert '<script>alert("x")' not in markup


def test_the_stored_vectors_are_the_ones_a_search_would_build(scene):
    """On PostgreSQL the large tables keep their searched text as an indexed tsvector
    (search/vectors.py): it must equal the vector the engine builds from the text, for every
    row, after an edit too; SQLite has no such column and folds the text per query."""
    from django.db import connection

    from search.vectors import COLUMN, STORED_VECTORS, vector_sql
    from tasks.models import ProgressReport

    report = ProgressReport.objects.filter(result__contains="Suối Dầu").get()
    report.result = "Khu công nghiệp Ninh Thủy/Vân Phong mở rộng_giai đoạn 2."
    report.save()
    with connection.cursor() as cursor:
        for table, fields in STORED_VECTORS.items():
            columns = [
                c.name for c in connection.introspection.get_table_description(cursor, table)
            ]
            if connection.vendor != "postgresql":
                assert COLUMN not in columns
                continue
            assert COLUMN in columns
            cursor.execute(
                f'SELECT count(*), count(*) FILTER (WHERE "{COLUMN}" = {vector_sql(fields)}) '
                f'FROM "{table}"'
            )
            rows, equal = cursor.fetchone()
            assert rows == equal
            cursor.execute(
                "SELECT indexdef FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
                [table, f"%gin ({COLUMN})%"],
            )
            assert cursor.fetchone()
    # The edited text is found by its new words, as on SQLite.
    from search.engine import Matcher

    found = Matcher.of("ninh thuy van phong").ranked(
        ProgressReport.objects.all(), ["result", "difficulties", "proposals"], ["pk"]
    )
    assert [r.pk for r in found] == [report.pk]
