"""Bulk steps on the assignment list: one deadline set on many assignments, a period opened or
closed from a selection; all or nothing, each change in its own history record, and only for
the Party Office.

Pages are read in English (the language cookie) where they are matched on labels."""

import re
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from tasks.models import Assignment, DeadlineKind, ReportingPeriod
from tasks.services.assignments import assignment_set_deadline
from tasks.services.extensions import extension_request

DEADLINE_URL = reverse("assignment_bulk_deadline")
PERIOD_URL = reverse("assignment_bulk_period")
REMIND_URL = reverse("reminder_send_now")
REASON = "Theo Kết luận của Ban Thường vụ"


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def as_user(client, user):
    client.force_login(user)
    return client


def open_assignments(count: int) -> list[Assignment]:
    rows = list(
        Assignment.objects.filter(completed_on__isnull=True, cancelled_on__isnull=True).order_by(
            "pk"
        )[:count]
    )
    assert len(rows) == count
    return rows


def confirmation_form(response) -> dict[str, list[str]]:
    """The hidden fields of the confirmation page's POST form, as the browser would send
    them."""
    markup = response.content.decode()
    start = markup.index('<form method="post" id="bulk-confirm"')
    form = markup[start : markup.index("</form>", start)]
    data: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form):
        data.setdefault(name, []).append(value)
    return data


def preview(client, rows, **fields):
    return client.get(
        DEADLINE_URL,
        {"ids": [a.pk for a in rows], "kind": "fixed", "reason": REASON, **fields},
    )


def test_it_sets_one_deadline_on_20_assignments_with_20_history_records(english, cast, text_of):
    reviewer = cast["reviewer"]
    rows = open_assignments(20)
    client = as_user(english, reviewer)

    page = preview(client, rows, deadline="2027-06-30")
    done = client.post(DEADLINE_URL, confirmation_form(page), follow=True)

    assert page.status_code == 200
    listed = text_of(page)
    assert "20 assignments selected" in listed
    assert listed.count("→ 30/06/2027") == 20
    assert "Set the deadline on 20 assignments" in listed
    assert done.status_code == 200
    assert "The deadline was set on 20 assignments." in text_of(done)
    for assignment in rows:
        assignment.refresh_from_db()
        assert (assignment.deadline_kind, assignment.deadline) == ("fixed", date(2027, 6, 30))
        record = assignment.history.order_by("-history_date", "-history_id").first()
        assert (record.history_change_reason, record.history_user_id) == (REASON, reviewer.pk)
        assert record.deadline == date(2027, 6, 30)
    assert (
        Assignment.history.filter(
            id__in=[a.pk for a in rows], history_change_reason=REASON, history_user=reviewer
        ).count()
        == 20
    )


def test_it_lists_the_old_and_the_new_deadline_of_each_row(english, cast, text_of):
    reviewer = cast["reviewer"]
    first, second = open_assignments(2)
    assignment_set_deadline(
        assignment=first,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Theo kế hoạch",
    )

    page = text_of(preview(as_user(english, reviewer), [first, second], deadline="2027-03-31"))

    assert "31/12/2026 → 31/03/2027" in page
    assert f"{second.body.display_name}" in page


def test_it_changes_nothing_when_one_row_may_not_be_changed(english, cast, text_of):
    reviewer = cast["reviewer"]
    rows = open_assignments(5)
    closed = rows[2]
    Assignment.objects.filter(pk=closed.pk).update(completed_on=date(2026, 1, 5))
    records = Assignment.history.count()
    client = as_user(english, reviewer)

    page = preview(client, rows, deadline="2027-06-30")
    posted = client.post(
        DEADLINE_URL,
        {
            "ids": [a.pk for a in rows],
            "kind": "fixed",
            "deadline": "2027-06-30",
            "reason": REASON,
            "seen": [f"{a.pk}:{a.deadline_kind}::" for a in rows],
        },
    )

    for response in (page, posted):
        assert response.status_code == 400
        text = text_of(response)
        assert "1 selected assignment may not be changed, so nothing will be" in text
        assert "A completed or cancelled assignment keeps its deadline." in text
        assert f'data-refused="{closed.pk}"' in response.content.decode()
    assert 'id="bulk-confirm"' not in page.content.decode()
    assert Assignment.history.count() == records
    assert not Assignment.objects.filter(pk__in=[a.pk for a in rows], deadline=date(2027, 6, 30))


def test_it_refuses_a_row_with_a_pending_extension(english, cast, text_of):
    reviewer = cast["reviewer"]
    nha_trang = Assignment.objects.get(
        item__key="III.1.b1.s2", body__code="thanh-uy-nha-trang", role="implement_locally"
    )
    assignment_set_deadline(
        assignment=nha_trang,
        kind="fixed",
        deadline=date(2026, 12, 31),
        acting_user=reviewer,
        reason="Theo kế hoạch",
    )
    extension_request(
        assignment=nha_trang,
        proposed_deadline=date(2027, 6, 30),
        reason="Chờ vốn",
        acting_user=cast["leader"],
    )

    page = preview(
        as_user(english, reviewer), [nha_trang, *open_assignments(2)], deadline="2027-01-31"
    )

    assert page.status_code == 400
    assert "Decide the pending extension request first." in text_of(page)


def test_it_refuses_a_deadline_changed_since_the_page_was_opened(english, cast, text_of):
    reviewer = cast["reviewer"]
    rows = open_assignments(3)
    client = as_user(english, reviewer)
    page = preview(client, rows, deadline="2027-06-30")
    # Someone else changes one of them before the confirmation is pressed.
    assignment_set_deadline(
        assignment=rows[1],
        kind="fixed",
        deadline=date(2027, 1, 15),
        acting_user=reviewer,
        reason="Sửa theo văn bản mới",
    )

    posted = client.post(DEADLINE_URL, confirmation_form(page))

    assert posted.status_code == 400
    assert "Its deadline was changed by someone else since the page was opened." in text_of(posted)
    deadlines = set(
        Assignment.objects.filter(pk__in=[a.pk for a in rows]).values_list("deadline", flat=True)
    )
    assert date(2027, 6, 30) not in deadlines
    rows[1].refresh_from_db()
    assert rows[1].deadline == date(2027, 1, 15)


def test_it_asks_to_confirm_a_deadline_already_past(english, cast, text_of):
    reviewer = cast["reviewer"]
    rows = open_assignments(3)
    past = timezone.localdate() - timedelta(days=10)
    client = as_user(english, reviewer)

    unconfirmed = preview(client, rows, deadline=past.isoformat())
    confirmed = preview(client, rows, deadline=past.isoformat(), confirm_past="on")
    done = client.post(DEADLINE_URL, confirmation_form(confirmed))

    assert unconfirmed.status_code == 400
    assert "has already passed" in text_of(unconfirmed)
    assert 'type="checkbox" name="confirm_past"' in unconfirmed.content.decode()
    assert confirmed.status_code == 200
    assert done.status_code == 302
    assert set(
        Assignment.objects.filter(pk__in=[a.pk for a in rows]).values_list("deadline", flat=True)
    ) == {past}


def test_it_sets_a_recurring_duty_on_several_rows(english, cast, text_of):
    rows = open_assignments(4)
    client = as_user(english, cast["reviewer"])

    page = client.get(
        DEADLINE_URL, {"ids": [a.pk for a in rows], "kind": "recurring", "reason": REASON}
    )
    client.post(DEADLINE_URL, confirmation_form(page))

    assert text_of(page).count("→ Recurring duty") == 4
    assert set(
        Assignment.objects.filter(pk__in=[a.pk for a in rows]).values_list(
            "deadline_kind", "deadline"
        )
    ) == {(DeadlineKind.RECURRING, None)}


def test_it_answers_a_bad_selection_with_400(english, cast, text_of):
    client = as_user(english, cast["reviewer"])

    empty = client.get(DEADLINE_URL)
    garbage = client.get(DEADLINE_URL, {"ids": ["x1"]})
    missing = client.get(
        DEADLINE_URL, {"ids": [999999], "kind": "fixed", "reason": REASON, "deadline": "2027-01-01"}
    )

    assert empty.status_code == garbage.status_code == missing.status_code == 400
    assert "Select at least one assignment on the list." in text_of(empty)
    assert "The selection is not a list of assignments." in text_of(garbage)
    assert "This assignment does not exist." in text_of(missing)


@pytest.mark.parametrize(
    "role", ["officer", "leader", "supervisor", "standing_member", "administrator"]
)
def test_only_the_party_office_sees_tick_boxes_and_may_use_the_bulk_urls(english, cast, role):
    rows = open_assignments(2)
    ids = {"ids": [a.pk for a in rows]}
    client = as_user(english, cast[role])

    listing = client.get(reverse("assignment_list")).content.decode()

    assert 'name="ids"' not in listing
    for url in (DEADLINE_URL, PERIOD_URL, REMIND_URL):
        assert client.get(url, ids).status_code == 403, url
        assert (
            client.post(
                url, {**ids, "kind": "fixed", "deadline": "2027-01-01", "reason": "x"}
            ).status_code
            == 403
        ), url
    assert not Assignment.objects.filter(deadline=date(2027, 1, 1)).exists()


def test_the_reviewer_sees_a_tick_box_on_each_row_and_the_steps(english, cast):
    listing = as_user(english, cast["reviewer"]).get(reverse("assignment_list")).content.decode()

    rows = listing.count('<tr data-assignment="')
    assert rows > 0
    assert listing.count('type="checkbox" name="ids"') == rows
    for url in (DEADLINE_URL, PERIOD_URL, REMIND_URL):
        assert f'formaction="{url}"' in listing


def test_it_opens_a_period_for_the_bodies_of_a_selection(english, cast, text_of):
    reviewer = cast["reviewer"]
    period = (
        ReportingPeriod.objects.filter(state=ReportingPeriod.State.PLANNED)
        .order_by("due_on")
        .first()
    )
    rows = open_assignments(3)
    client = as_user(english, reviewer)

    page = client.get(
        PERIOD_URL, {"ids": [a.pk for a in rows], "period": period.pk, "change": "open"}
    )
    done = client.post(PERIOD_URL, confirmation_form(page), follow=True)

    assert page.status_code == 200
    text = text_of(page)
    assert f"{period.name}: " in text and "bodies report in it" in text
    assert "have no selected assignment: the change applies to them too." in text
    assert "The period was opened." in text_of(done)
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.OPEN
    record = period.history.order_by("-history_date", "-history_id").first()
    assert (record.state, record.history_user_id) == ("open", reviewer.pk)


def test_it_refuses_to_close_a_period_that_is_not_open(english, cast, text_of):
    period = ReportingPeriod.objects.filter(state=ReportingPeriod.State.PLANNED).first()
    rows = open_assignments(2)
    client = as_user(english, cast["reviewer"])

    page = client.get(
        PERIOD_URL, {"ids": [a.pk for a in rows], "period": period.pk, "change": "close"}
    )
    posted = client.post(
        PERIOD_URL, {"ids": [a.pk for a in rows], "period": period.pk, "change": "close"}
    )

    assert page.status_code == posted.status_code == 400
    assert "Only an open period can be closed." in text_of(page)
    assert "Only an open period can be closed." in text_of(posted)
    period.refresh_from_db()
    assert period.state == ReportingPeriod.State.PLANNED


def test_a_tampered_confirmation_changes_nothing_and_never_fails(english, cast, text_of):
    rows = open_assignments(2)
    client = as_user(english, cast["reviewer"])
    data = confirmation_form(preview(client, rows, deadline="2027-06-30"))

    forged = client.post(DEADLINE_URL, {**data, "seen": [f"{rows[0].pk}:fixed:2027-02-30:"]})
    unseen = client.post(DEADLINE_URL, {**data, "seen": []})

    for response in (forged, unseen):
        assert response.status_code == 400
        assert "changed by someone else since the page was opened" in text_of(response)
    assert not Assignment.objects.filter(deadline=date(2027, 6, 30)).exists()
