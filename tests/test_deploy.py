"""Production settings pass Django's deployment checklist with no warning, refuse to start
without a secret key, and every page carries the security headers and a Content Security
Policy with no inline script or style."""

import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.urls import reverse

BASE_DIR = settings.BASE_DIR
SECRET = "k7#Qx9!vTz2@pLm4$Rw8^Yn3&Bc6*Hd1(Jf5)Gs0-Ua_Ei+Oo=Pq"


def production_env(**overrides: str) -> dict[str, str]:
    """What an operator's environment file holds for a real deployment behind a TLS proxy."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=SECRET,
        DJANGO_ALLOWED_HOSTS="theodoi.khanhhoa.dcs.vn",
        DJANGO_SECURE_PROXY_SSL_HEADER="1",
        DATABASE_URL="postgres://nq23@127.0.0.1:5432/nq23",
    )
    env.update(overrides)
    return {k: v for k, v in env.items() if v is not None}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(BASE_DIR / "manage.py"), *args],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings():
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
    assert "WARNING" not in done.stderr + done.stdout


def test_production_settings_are_the_hardened_ones():
    code = (
        "from django.conf import settings as s; print(s.DEBUG, s.SESSION_COOKIE_SECURE, "
        "s.SESSION_COOKIE_HTTPONLY, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS >= 31536000, "
        "s.SECURE_SSL_REDIRECT, s.SECURE_PROXY_SSL_HEADER, s.SECURE_REFERRER_POLICY, "
        "s.X_FRAME_OPTIONS, s.SECURE_CONTENT_TYPE_NOSNIFF, s.SECRET_KEY == " + repr(SECRET) + ")"
    )
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        env=production_env(),
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [
        "False",
        "True",
        "True",
        "True",
        "True",
        "True",
        "('HTTP_X_FORWARDED_PROTO',",
        "'https')",
        "same-origin",
        "DENY",
        "True",
        "True",
    ]


def test_production_settings_refuse_to_start_without_a_secret_key():
    done = manage("check", env=production_env(DJANGO_SECRET_KEY=None))

    assert done.returncode != 0
    assert "DJANGO_SECRET_KEY must be set in production." in done.stderr


def test_a_weak_secret_key_is_reported():
    done = manage("check", "--deploy", env=production_env(DJANGO_SECRET_KEY="short"))

    assert "security.W009" in done.stderr + done.stdout


@pytest.mark.django_db
def test_a_page_carries_the_content_security_policy_and_security_headers(client, officer):
    client.force_login(officer)

    response = client.get(reverse("home"))

    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1)
        for directive in response["Content-Security-Policy"].split(";")
    )
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_sign_in_page_carries_the_policy_too(client):
    response = client.get(reverse("login"))

    assert "default-src 'self'" in response["Content-Security-Policy"]
