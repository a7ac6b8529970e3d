"""Settings shared by every environment; each value can be set from the environment."""

import ipaddress
import os
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
DEBUG = env_bool("DJANGO_DEBUG", False)
ALLOWED_HOSTS = [h for h in os.environ.get("DJANGO_ALLOWED_HOSTS", "").split(",") if h]

# Demo accounts with a published password must never exist where real data lives.
DEMO_ACCOUNTS_ALLOWED = False

INSTALLED_APPS = [
    "config.apps.ProductAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "guardian",
    "simple_history",
    "django_q",
    "axes",
    "csp",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "accounts",
    "programme",
    "review",
    "tasks",
    "discussion",
    "notifications",
    "indicators",
    "reports",
    "reorganisation",
    "desk",
    "feeds",
    "api",
    "search",
    "operations",
    "versions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "config.middleware.ChosenLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # After messages, so that signing an idle user out can say why.
    "accounts.middleware.SessionIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    # Last, as django-axes requires: it turns a lockout into the lockout page.
    "axes.middleware.AxesMiddleware",
]

# Behind a reverse proxy (several web machines behind one address): trust the Host it passes
# on in X-Forwarded-Host only when told to; production.py also trusts its X-Forwarded-Proto.
USE_X_FORWARDED_HOST = env_bool("DJANGO_USE_X_FORWARDED_HOST", False)
CSRF_TRUSTED_ORIGINS = [
    o for o in os.environ.get("DJANGO_CSRF_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
ASGI_APPLICATION = "config.asgi.application"

# Django's form rendering, with selects of hundreds of options written fast (config/forms.py).
FORM_RENDERER = "config.forms.FormRenderer"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

# Connections are kept for a minute and checked before reuse: a gunicorn worker or a task
# cluster process (the ORM broker polls the database several times a second) would otherwise
# open a new connection for every request or job. DATABASE_CONN_MAX_AGE=0 closes them each time.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL's JIT compiles a query whose estimated cost is high; the dashboards' counts
    # with one subplan per period cost it 2 s of compiling for 0.13 s of work. Page queries
    # are short, so the compiler never pays for itself here.
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # The web process and the task cluster write to one file (`make run`). In WAL mode readers
    # and the writer do not block each other; a writer waits for the other's commit (up to the
    # timeout, in seconds) instead of failing at once; and a transaction takes the write lock
    # when it begins, since one that read first would be refused when it came to write while
    # the other commits ("database is locked" at once, whatever the timeout). Commits stay
    # synced to disk (synchronous left at FULL): a saved report survives a power cut.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        init_command="PRAGMA journal_mode=WAL",
        timeout=30,
        transaction_mode="IMMEDIATE",
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    # First, so a locked-out account is refused before its password is checked.
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackend",
    "guardian.backends.ObjectPermissionBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Sign-in guessing: a handful of failures for one user name from one address locks that pair
# for a while. Locking the pair, not the user name or the address alone, keeps a guesser from
# locking out the person they guess at (who signs in from elsewhere) or everyone behind the
# same proxy or office network.
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = float(os.environ.get("AXES_COOLOFF_HOURS", "0.5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# A refused attempt is not counted, so a lockout ends when the page says it does, and the
# lockout list can say when it began; refused attempts check no password, so counting them
# would stop no guessing.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# The second line (accounts/lockouts.py): an address with this many failed sign-ins within
# the window is refused whatever user name it tries, until its failures age out of the window
# or an administrator lifts it. Axes' failure log is the counter, kept for the window only.
AXES_HANDLER = "accounts.lockouts.LockoutHandler"
AXES_ENABLE_ACCESS_FAILURE_LOG = True
SIGN_IN_ADDRESS_FAILURE_LIMIT = int(os.environ.get("SIGN_IN_ADDRESS_FAILURE_LIMIT", "50"))
SIGN_IN_ADDRESS_WINDOW_HOURS = float(os.environ.get("SIGN_IN_ADDRESS_WINDOW_HOURS", "1"))
# The client's address, for lockouts and the security log alike (accounts/security.py).
AXES_CLIENT_IP_CALLABLE = "accounts.security.client_ip"
AXES_USERNAME_CALLABLE = "accounts.security.attempted_username"
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_VERBOSE = False
# Reverse proxies (addresses or networks, comma-separated) whose X-Forwarded-For is believed:
# behind them the client is the nearest address in that header that is not one of them.
# None by default: the header is ignored, since any client can send it.
TRUSTED_PROXIES = [
    str(ipaddress.ip_network(proxy.strip(), strict=False))
    for proxy in os.environ.get("TRUSTED_PROXIES", "").split(",")
    if proxy.strip()
]

# Signed out after this many minutes without a request; the last activity is written to the
# session at most once a minute, so most requests write nothing.
SESSION_IDLE_TIMEOUT_MINUTES = int(os.environ.get("SESSION_IDLE_TIMEOUT_MINUTES", "30"))
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True

# Headers every response carries (SecurityMiddleware, XFrameOptionsMiddleware, django-csp).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
# Pages load nothing but the project's own static files: no inline script or style anywhere.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", _("Vietnamese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
# One way of writing a date-time, "02/12/2026 21:04", in both languages.
FORMAT_MODULE_PATH = ["config.formats"]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("DJANGO_STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_ROOT = Path(os.environ.get("DJANGO_MEDIA_ROOT", BASE_DIR / "media"))
# Report attachments live outside the static files and MEDIA_URL: only the permission policy,
# through the download view, hands them out.
ATTACHMENTS_ROOT = Path(os.environ.get("DJANGO_ATTACHMENTS_ROOT", BASE_DIR / "var" / "attachments"))
# Generated reports (PDF and xlsx) likewise: handed out only through the permission policy.
REPORTS_ROOT = Path(os.environ.get("DJANGO_REPORTS_ROOT", BASE_DIR / "var" / "reports"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "attachments": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": ATTACHMENTS_ROOT, "base_url": None},
    },
    "reports": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": REPORTS_ROOT, "base_url": None},
    },
}
# Several web and task-cluster machines must see the same files: either the two folders above
# on a shared file system (NFS), or, with STORAGE_BACKEND=s3, a bucket of S3 or an S3-compatible
# store (MinIO, Ceph) through django-storages. Files stay private: no public ACL, and the
# download views read them through the storage, so the permission policy still decides.
# Credentials come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the machine's role).
STORAGE_BACKEND = os.environ.get("STORAGE_BACKEND", "filesystem")
if STORAGE_BACKEND == "s3":
    for alias in ("attachments", "reports"):
        STORAGES[alias] = {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": os.environ.get("AWS_STORAGE_BUCKET_NAME", ""),
                "location": alias,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "default_acl": None,
                "querystring_auth": True,
                # Names are chosen by the services; never overwrite a kept file silently.
                "file_overwrite": False,
            },
        }
elif STORAGE_BACKEND != "filesystem":
    raise ValueError(f"STORAGE_BACKEND must be 'filesystem' or 's3', not {STORAGE_BACKEND!r}")
ATTACHMENT_MAX_BYTES = int(os.environ.get("ATTACHMENT_MAX_BYTES", str(10 * 1024 * 1024)))

# Seconds a report may take to build: the job's time limit in the task cluster; a report still
# "running" after it shows as failed.
REPORT_BUILD_TIMEOUT = int(os.environ.get("REPORT_BUILD_TIMEOUT", "240"))
# Builds one person may have queued or building at once; an identical request joins its twin.
REPORT_BUILDS_IN_FLIGHT_MAX = int(os.environ.get("REPORT_BUILDS_IN_FLIGHT_MAX", "3"))
# Digital signatures on generated reports (reports/signing.py): the PKCS#12 file holding the
# certificate and key, and its password. Signing is off while no file is set.
REPORT_SIGNING_PKCS12 = os.environ.get("REPORT_SIGNING_PKCS12", "")
REPORT_SIGNING_PASSWORD = os.environ.get("REPORT_SIGNING_PASSWORD", "")
# A report whose markup is at least this long (about 30 pages) is cut into this many parts,
# each starting on a new page, laid out by child processes at once (reports/rendering.py).
REPORT_PDF_PARTS = int(os.environ.get("REPORT_PDF_PARTS", "2"))
REPORT_PDF_SPLIT_CHARS = int(os.environ.get("REPORT_PDF_SPLIT_CHARS", "100000"))

# "Sắp đến hạn": an unfinished assignment due within this many days.
DUE_SOON_DAYS = int(os.environ.get("DUE_SOON_DAYS", "7"))

# The REST API (api/, docs/api.md). Every API view sets these through api.views.ApiView; the
# defaults only keep a DRF view that forgot from answering anyone.
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "api.authentication.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
}
# Requests one token (or one signed-in person) may make: "<number>/<second|minute|hour|day>".
API_THROTTLE_RATE = os.environ.get("API_THROTTLE_RATE", "300/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "NQ 23-NQ/TW tracking API",
    "DESCRIPTION": "Theo dõi thực hiện Chương trình hành động NQ 23-NQ/TW — Tỉnh ủy Khánh Hòa.",
    "VERSION": "1",
    # 3.1: its schemas are JSON Schema, so a test checks answers against them as they are.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    # Uploads are multipart: a request body of its own, apart from the answer's.
    "COMPONENT_SPLIT_REQUEST": True,
    # The documentation page loads Swagger UI from the project's static files, never a CDN.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a "state": each choice set gets its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "ReviewStateEnum": "review.models.ReviewState",
        "PeriodStateEnum": "tasks.models.periods.PeriodState",
        "GeneratedReportStateEnum": "reports.models.GeneratedReportState",
    },
}

FIXTURES_DIR = BASE_DIR / "fixtures"
# Backups dump the data as JSON that keeps times to the microsecond (config/serializers.py).
SERIALIZATION_MODULES = {"exactjson": "config.serializers"}

# Mail: SMTP configured from the environment; local settings write it to files instead.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.smtp.EmailBackend"
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "20"))
EMAIL_FILE_PATH = Path(os.environ.get("EMAIL_FILE_PATH", BASE_DIR / "var" / "mail"))
DEFAULT_FROM_EMAIL = os.environ.get(
    "DEFAULT_FROM_EMAIL", "Theo dõi NQ23 - Tỉnh ủy Khánh Hòa <theodoi-nq23@localhost>"
)
# Links in emails point here.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Reminders: how often the sweep runs, and how failed emails are retried (5 minutes, then
# three times longer each time, given up after the last attempt).
REMINDER_SWEEP_MINUTES = int(os.environ.get("REMINDER_SWEEP_MINUTES", "60"))
REMINDER_EMAIL_RETRY_MINUTES = int(os.environ.get("REMINDER_EMAIL_RETRY_MINUTES", "5"))
REMINDER_EMAIL_RETRY_SECONDS = int(os.environ.get("REMINDER_EMAIL_RETRY_SECONDS", "300"))
REMINDER_EMAIL_MAX_ATTEMPTS = int(os.environ.get("REMINDER_EMAIL_MAX_ATTEMPTS", "6"))

# django-q2: the ORM broker needs nothing else running; retry must exceed timeout.
Q_CLUSTER = {
    "name": "nq23",
    "orm": "default",
    "workers": int(os.environ.get("Q_WORKERS", "2")),
    "timeout": 300,
    "retry": 360,
    "catch_up": False,
    "label": "Django Q2",
    # The ORM broker takes up to this many queued jobs per poll of the database, and polls
    # again after this many seconds when the queue was empty: one job per poll (the default)
    # caps a cluster at a few dozen short jobs a second.
    "bulk": int(os.environ.get("Q_BULK", "10")),
    "poll": float(os.environ.get("Q_POLL", "0.2")),
    # Successful results kept (older ones are pruned); 0 keeps them all.
    "save_limit": int(os.environ.get("Q_SAVE_LIMIT", "250")),
}
# With REDIS_URL set (several machines), Redis is the broker, and Django's cache (django-q2's
# cluster statistics among what it holds) is shared there too rather than in each process.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    Q_CLUSTER.pop("orm")
    Q_CLUSTER["redis"] = REDIS_URL
    CACHES = {
        "default": {
            "BACKEND": "config.cache.SharedClientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "nq23",
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

GUARDIAN_RAISE_403 = False
# History is a record, never edited: no reverting to an old version from the admin.
SIMPLE_HISTORY_REVERT_DISABLED = True
# Reasons quote what people typed (a return reason, a deadline change), so no length cap.
SIMPLE_HISTORY_HISTORY_CHANGE_REASON_USE_TEXT_FIELD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "INFO")},
    # WeasyPrint narrates every rendering step, and fontTools every font it subsets, at INFO;
    # their warnings (a refused fetch) remain.
    "loggers": {"weasyprint": {"level": "WARNING"}, "fontTools": {"level": "WARNING"}},
}

# Sessions and the signed-in user from the cache, only where the cache is shared by every
# process (Redis): a per-process cache would keep a session that another process signed out,
# or a user row another process changed. Without Redis, sessions stay in the database and the
# user row is read on each request (it carries the versions of the per-user caches, so those
# stay right in any cache: accounts/access.py, notifications/bell.py).
USER_CACHE = env_bool("DJANGO_USER_CACHE", bool(REDIS_URL))
SESSION_ENGINE = (
    "django.contrib.sessions.backends.cached_db"
    if USER_CACHE
    else "django.contrib.sessions.backends.db"
)

# The data version (versions/data.py) moves with every save or delete of these apps' models:
# the content pages show. What is left out changes no page cached under it.
DATA_VERSION_APPS = (
    "accounts",
    "programme",
    "review",
    "tasks",
    "discussion",
    "indicators",
    "reports",
    "reorganisation",
)
DATA_VERSION_IGNORED = ("accounts.securityevent",)
# The folders of the code that renders cached pages (versions.data.code_version).
DATA_VERSION_CODE = (
    "accounts",
    "api",
    "config",
    "desk",
    "discussion",
    "indicators",
    "notifications",
    "programme",
    "reorganisation",
    "reports",
    "review",
    "search",
    "tasks",
)
