"""Settings for more than one machine come from the environment: with REDIS_URL, Redis is both
the task queue's broker and Django's cache; with STORAGE_BACKEND=s3, attachments and generated
reports live in a private bucket; connections to the database are kept and checked. Production
settings still pass the deployment checklist that way."""

import json
import subprocess
import sys

from django.conf import settings

from tests.test_deploy import manage, production_env

BASE_DIR = settings.BASE_DIR
SCALED = {
    "REDIS_URL": "redis://cache.internal:6379/3",
    "STORAGE_BACKEND": "s3",
    "AWS_STORAGE_BUCKET_NAME": "nq23-files",
    "AWS_S3_ENDPOINT_URL": "https://s3.internal:9000",
    "AWS_S3_REGION_NAME": "vn-south-1",
    "AWS_ACCESS_KEY_ID": "test-only-key",
    "AWS_SECRET_ACCESS_KEY": "test-only-secret",
}
PRINT = """
import json
import django
django.setup()
from django.conf import settings as s
from django.core.files.storage import storages
from django.core.cache import caches
print(json.dumps({
    "cache": s.CACHES["default"],
    "cache_class": type(caches["default"]).__name__,
    "q": s.Q_CLUSTER,
    "attachments": s.STORAGES["attachments"],
    "reports": s.STORAGES["reports"],
    "attachments_class": type(storages["attachments"]).__name__,
    "reports_location": storages["reports"].location,
    "db": {k: s.DATABASES["default"][k] for k in ("CONN_MAX_AGE", "CONN_HEALTH_CHECKS")},
}, default=str))
"""


def settings_under(env: dict[str, str]) -> dict:
    done = subprocess.run(
        [sys.executable, "-c", PRINT],
        env=env,
        cwd=BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_it_takes_the_cache_the_broker_and_s3_storage_from_the_environment():
    found = settings_under(production_env(**SCALED))

    # Django's Redis cache, keeping one client per connection pool (config/cache.py).
    assert found["cache"]["BACKEND"] == "config.cache.SharedClientRedisCache"
    assert found["cache"]["LOCATION"] == SCALED["REDIS_URL"]
    assert found["cache_class"] == "SharedClientRedisCache"
    assert found["q"]["redis"] == SCALED["REDIS_URL"]
    assert "orm" not in found["q"]
    assert found["attachments_class"] == "S3Storage"
    for alias in ("attachments", "reports"):
        options = found[alias]["OPTIONS"]
        assert found[alias]["BACKEND"] == "storages.backends.s3.S3Storage"
        assert options["bucket_name"] == "nq23-files"
        assert options["location"] == alias
        assert options["endpoint_url"] == "https://s3.internal:9000"
        assert options["region_name"] == "vn-south-1"
        # Private files: no public ACL, links signed, nothing overwritten.
        assert options["default_acl"] is None
        assert options["querystring_auth"] is True
        assert options["file_overwrite"] is False
    assert found["reports_location"] == "reports"
    assert found["db"] == {"CONN_MAX_AGE": 60, "CONN_HEALTH_CHECKS": True}


def test_without_them_it_runs_on_one_machine():
    found = settings_under(production_env(REDIS_URL=None, STORAGE_BACKEND=None))

    assert found["cache"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert found["q"]["orm"] == "default"
    assert "redis" not in found["q"]
    assert found["q"]["bulk"] > 1
    assert found["attachments"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["reports"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert found["db"]["CONN_MAX_AGE"] == 60


def test_connection_age_can_be_set_or_turned_off():
    found = settings_under(production_env(DATABASE_CONN_MAX_AGE="0"))

    assert found["db"] == {"CONN_MAX_AGE": 0, "CONN_HEALTH_CHECKS": True}


def test_an_unknown_storage_backend_is_refused():
    done = manage("check", env=production_env(STORAGE_BACKEND="ftp"))

    assert done.returncode != 0
    assert "STORAGE_BACKEND must be 'filesystem' or 's3'" in done.stderr


def test_check_deploy_is_clean_with_redis_and_s3():
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(**SCALED))

    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout
