"""Settings for the test suite: SQLite by default, PostgreSQL when DATABASE_URL is set."""

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-not-secret"
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
DEMO_ACCOUNTS_ALLOWED = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests sign in with force_login; the lockout tests turn django-axes back on.
AXES_ENABLED = False
ATTACHMENTS_ROOT = BASE_DIR / "var" / "test-attachments"  # noqa: F405
STORAGES["attachments"]["OPTIONS"]["location"] = ATTACHMENTS_ROOT  # noqa: F405
REPORTS_ROOT = BASE_DIR / "var" / "test-reports"  # noqa: F405
STORAGES["reports"]["OPTIONS"]["location"] = REPORTS_ROOT  # noqa: F405
