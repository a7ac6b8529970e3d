"""An API list of 50 assignments keeps within the page query budget (12), and costs the same
for 5 rows as for 50."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tasks.models import ReportingPeriod
from tasks.services.grants import assignment_grants_sync

from .support import body_of, token_client, token_for

pytestmark = [pytest.mark.django_db, pytest.mark.database]

BUDGET = 12


def queries_for(api, url, params) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        answer = api.get(url, params)
    assert answer.status_code == 200
    return len(queries), len(body_of(answer)["results"])


@pytest.mark.parametrize("role", ["reviewer", "officer"])
def test_a_list_of_50_assignments_is_within_budget_whatever_the_rows(cast, grow_programme, role):
    grow_programme(bullets=60)
    assignment_grants_sync()  # Nha Trang's new tasks are the officer's too
    api = token_client(token_for(cast[role]))
    url = reverse("api:assignment-list")
    period = ReportingPeriod.objects.get(code="2026-nam")
    api.get(url)  # the token's last use is written once a minute: not counted below

    fifty, rows = queries_for(api, url, {"page_size": 50})
    five, few = queries_for(api, url, {"page_size": 5})
    filtered, _ = queries_for(
        api, url, {"page_size": 50, "period": period.pk, "report": "not_submitted"}
    )

    assert rows == 50 and few == 5
    assert fifty <= BUDGET, fifty
    assert fifty == five
    assert filtered <= BUDGET
