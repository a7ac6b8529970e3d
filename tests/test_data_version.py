"""The data version moves with every write to the content, in the writing transaction and
after its commit, and never for what pages do not show."""

import pytest
from django.core.cache import cache
from django.db import connection, transaction

from accounts.models import Body, SecurityEvent
from versions.data import data_changed, data_version, fragment_cached, fragment_key

pytestmark = pytest.mark.database


def _body(code="vp-test"):
    return Body.objects.create(code=code, name="Cơ quan thử", kind=Body.Kind.DEPARTMENT)


@pytest.mark.django_db
def test_a_save_and_a_delete_move_the_version_seen_by_the_writer():
    before = data_version()
    body = _body()
    after_save = data_version()
    assert after_save > before
    body.name = "Cơ quan đã đổi tên"
    body.save()
    after_change = data_version()
    assert after_change > after_save
    body.delete()
    assert data_version() > after_change


@pytest.mark.django_db
def test_writes_not_shown_on_pages_leave_it():
    before = data_version()
    SecurityEvent.objects.create(kind=SecurityEvent.Kind.SIGN_IN_FAILED, detail="x")
    assert data_version() == before


@pytest.mark.django_db
def test_several_writes_unread_in_between_move_it_once_more_each_time_it_was_read():
    with transaction.atomic():
        start = data_version()
        _body("a")
        first = data_version()
        _body("b")
        _body("c")
        second = data_version()
    assert start < first < second


@pytest.mark.django_db(transaction=True)
def test_it_moves_again_once_the_transaction_commits():
    """A reader elsewhere that read the old data after the write's first move, before the
    commit, cached it under a key that the commit leaves behind."""
    with transaction.atomic():
        _body()
        during = data_version()
    assert data_version() > during


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_write_schedules_nothing_and_the_next_commit_still_moves_it():
    with pytest.raises(RuntimeError), transaction.atomic():
        _body("gone")
        raise RuntimeError
    assert not connection.run_on_commit
    with transaction.atomic():
        _body("kept")
        during = data_version()
    assert data_version() > during


@pytest.mark.django_db
def test_data_changed_moves_it_for_writes_that_send_no_signal():
    body = _body()
    before = data_version()
    Body.objects.filter(pk=body.pk).update(name="Đổi không qua tín hiệu")
    data_changed()
    assert data_version() > before


@pytest.mark.django_db
def test_a_fragment_is_recomputed_after_a_write_and_varies_on_its_parts():
    cache.clear()
    calls = []

    def compute(label):
        def inner():
            calls.append(label)
            return f"{label}:{Body.objects.count()}"

        return inner

    first = fragment_cached("t", ("all",), compute("all"))
    assert fragment_cached("t", ("all",), compute("all")) == first
    assert calls == ["all"]
    # Another visibility never shares the entry.
    fragment_cached("t", ("bodies:1",), compute("b1"))
    assert calls == ["all", "b1"]
    _body()
    assert fragment_cached("t", ("all",), compute("all")) != first
    assert calls == ["all", "b1", "all"]


@pytest.mark.django_db
def test_the_key_holds_the_language(settings):
    from django.utils import translation

    with translation.override("vi"):
        vietnamese = fragment_key("t", "x")
    with translation.override("en"):
        english = fragment_key("t", "x")
    assert vietnamese != english


def test_the_key_follows_the_code_that_renders(tmp_path, settings):
    """A release that changes a template never serves HTML cached by the one before."""
    from versions.data import code_version

    (tmp_path / "templates").mkdir()
    page = tmp_path / "templates" / "page.html"
    page.write_text("<p>cũ</p>", encoding="utf-8")
    settings.BASE_DIR = tmp_path
    settings.DATA_VERSION_CODE = ()
    code_version.cache_clear()
    try:
        old = code_version()
        page.write_text("<p>mới</p>", encoding="utf-8")
        code_version.cache_clear()
        assert code_version() != old
    finally:
        code_version.cache_clear()
