"""With the demo story loaded, as `make run` loads it, each demo account's home shows its
queue, and one click from it reaches each item: every link in the queues answers the person
who follows it. Cross-app: the desk read over the operations app's demo."""

import json
import re
import sys
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

# The morning after the story's last day.
LOOKED_AT = datetime(2026, 12, 4, 8, tzinfo=ZoneInfo("Asia/Ho_Chi_Minh"))
ACCOUNTS = json.loads((settings.FIXTURES_DIR / "demo-accounts.json").read_text())
# What each role's desk must hold, by the markup the queues carry.
QUEUES = {
    "administrator": ['data-role="administrator"'],
    "reviewer": ['<tr data-report="', 'data-count="overdue_reports"'],
    "standing_member": ['data-segment="', 'data-indicator="', 'data-generated-report="'],
    "supervisor": ['data-role="supervisor"', 'data-count="overdue_reports"'],
    "officer": ['id="attention-heading"'],
    "leader": ['id="attention-heading"'],
}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The story loaded once for the module, without its PDF reports, inside a transaction
    rolled back after it."""
    from operations.demo import demo_story_load

    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(DEBUG=True):
                demo_story_load(with_status_reports=False)
            _status_report_kept()
        except BaseException:
            atomic.__exit__(*sys.exc_info())
            raise
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def _status_report_kept() -> None:
    from tests.reports_support import kept_report

    kept_report("standing_committee")


def queue_links(markup: str) -> list[str]:
    """The links of the queues' rows: each entry's way to where the person acts."""
    main = markup[markup.index("<main") : markup.index("</main>")]
    links = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", main, re.S):
        links += re.findall(r'<a href="(/[^"#?]*)"', row)
    return list(dict.fromkeys(links))


@pytest.mark.parametrize("account", ACCOUNTS, ids=[a["username"] for a in ACCOUNTS])
def test_each_demo_accounts_home_shows_its_queue_one_click_from_each_item(
    demo, db, client, account
):
    from accounts.models import User

    user = User.objects.get(username=account["username"])
    with time_machine.travel(LOOKED_AT, tick=False):
        client.force_login(user)
        response = client.get(reverse("home"))
        assert response.status_code == 200
        markup = response.content.decode()
        for mark in QUEUES[account["role"]]:
            assert mark in markup, (account["username"], mark)
        links = queue_links(markup)
        if account["role"] != "administrator":
            assert links, account["username"]
        for link in links:
            assert client.get(link).status_code == 200, (account["username"], link)
