"""A date-time is written one way everywhere: day/month/year, then the hour ("02/12/2026 21:04").

Django's own Vietnamese formats put the hour first; templates that pass an explicit format use
the same "d/m/Y H:i" (tests/test_datetime_format.py checks that no other order is left).
"""

DATETIME_FORMAT = "d/m/Y H:i"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
