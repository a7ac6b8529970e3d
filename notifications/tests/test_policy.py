"""The reminder policy's date arithmetic, over a table of days around a deadline."""

from datetime import date, timedelta

import pytest

from notifications.policy import StepRule, due_steps, lookahead_days

DEFAULTS = [
    StepRule(1, "7-ngay-truoc", -7, None, "responsible"),
    StepRule(2, "1-ngay-truoc", -1, None, "responsible"),
    StepRule(3, "dung-han", 0, None, "responsible"),
    StepRule(4, "qua-han", 7, 7, "responsible"),
    StepRule(5, "bao-cao-vuot-cap", 14, None, "escalation"),
]
DEADLINE = date(2027, 3, 15)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-30, []),
        (-8, []),
        (-7, [("responsible", "7-ngay-truoc", 0)]),
        (-2, [("responsible", "7-ngay-truoc", 0)]),
        (-1, [("responsible", "1-ngay-truoc", 0)]),
        (0, [("responsible", "dung-han", 0)]),
        (6, [("responsible", "dung-han", 0)]),
        (7, [("responsible", "qua-han", 0)]),
        (13, [("responsible", "qua-han", 0)]),
        (14, [("escalation", "bao-cao-vuot-cap", 0), ("responsible", "qua-han", 1)]),
        (20, [("escalation", "bao-cao-vuot-cap", 0), ("responsible", "qua-han", 1)]),
        (21, [("escalation", "bao-cao-vuot-cap", 0), ("responsible", "qua-han", 2)]),
        (365, [("escalation", "bao-cao-vuot-cap", 0), ("responsible", "qua-han", 51)]),
    ],
)
def test_it_picks_the_latest_step_due_for_each_audience(days, expected):
    today = DEADLINE + timedelta(days=days)
    due = due_steps(DEFAULTS, deadline=DEADLINE, today=today)
    assert [(d.step.audience, d.step.code, d.occurrence) for d in due] == expected


def test_it_sends_no_burst_after_downtime():
    # Nothing ran for three weeks: on the day, only the on-the-day reminder is due.
    due = due_steps(DEFAULTS, deadline=DEADLINE, today=DEADLINE)
    assert [d.step.code for d in due] == ["dung-han"]


def test_an_administrators_policy_is_followed():
    policy = [
        StepRule(1, "3-ngay-truoc", -3, None, "responsible"),
        StepRule(2, "hang-ngay", 1, 1, "responsible"),
        StepRule(3, "vuot-cap", 3, 3, "escalation"),
    ]
    assert due_steps(policy, deadline=DEADLINE, today=DEADLINE - timedelta(days=4)) == []
    due = due_steps(policy, deadline=DEADLINE, today=DEADLINE + timedelta(days=6))
    assert [(d.step.code, d.occurrence, d.offset) for d in due] == [
        ("vuot-cap", 1, 6),
        ("hang-ngay", 5, 6),
    ]
    assert lookahead_days(policy) == 3
    assert lookahead_days(DEFAULTS) == 7
    assert lookahead_days([]) == 0
