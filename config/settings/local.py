"""Settings for a developer's machine: `make run` uses these."""

import os

from .base import *  # noqa: F403
from .base import env_bool

DEBUG = env_bool("DJANGO_DEBUG", True)
SECRET_KEY = SECRET_KEY or "local-development-only-not-secret"  # noqa: F405
ALLOWED_HOSTS = ALLOWED_HOSTS or ["127.0.0.1", "localhost"]  # noqa: F405
DEMO_ACCOUNTS_ALLOWED = True
# Mail goes to files under var/mail/ (EMAIL_FILE_PATH), one per sending connection; set
# DJANGO_EMAIL_BACKEND to django.core.mail.backends.console.EmailBackend to see it in the
# terminal, or to the SMTP backend with EMAIL_HOST to send it.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.filebased.EmailBackend"
)

# A sweep every 5 minutes on a developer's machine, so a reminder shows soon after starting;
# production sweeps hourly. Either way nothing is sent twice.
REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "5"))
