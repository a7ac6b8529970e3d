"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

import os

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_ACCOUNTS_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Processes a test starts (send_reminders, qcluster) send over SMTP to the test's own server.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend"
)
# Tests sign in with force_login; the lockout tests turn django-axes back on.
AXES_ENABLED = False
ATTACHMENTS_ROOT = BASE_DIR / "var" / "test-attachments"  # noqa: F405
STORAGES["attachments"]["OPTIONS"]["location"] = ATTACHMENTS_ROOT  # noqa: F405
REPORTS_ROOT = BASE_DIR / "var" / "test-reports"  # noqa: F405
STORAGES["reports"]["OPTIONS"]["location"] = REPORTS_ROOT  # noqa: F405

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A test database in a file, not in memory, so that the processes a test starts can open
    # it; one per test run, since several runs may share a checkout.
    (BASE_DIR / "var").mkdir(exist_ok=True)  # noqa: F405
    DATABASES["default"]["TEST"] = {  # noqa: F405
        "NAME": str(BASE_DIR / "var" / f"test-db-{os.getpid()}.sqlite3")  # noqa: F405
    }
    # WAL, the busy timeout and immediate transactions come from the base settings, as for
    # `make run`: the processes a test starts wait for the write lock as the real ones do.
