"""The OpenAPI schema: it is valid, served at /api/schema/ to a token, and every operation it
documents, called as the role that takes it, answers what it says."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from tests.test_smoke import world  # noqa: F401  (world is a fixture)

from .support import PDF, SchemaChecker, body_of, token_client, token_for

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def test_the_schema_is_valid_openapi(schema):
    validate_schema(schema)

    assert schema["openapi"].startswith("3.1")
    assert schema["components"]["securitySchemes"]["personalToken"]["scheme"] == "bearer"


def test_it_is_served_to_a_token_and_refused_to_no_one(world, client):  # noqa: F811
    api = token_client(token_for(world.users["officer"]))

    served = api.get(reverse("api:schema"), HTTP_ACCEPT="application/vnd.oai.openapi+json")
    anonymous = client.get(reverse("api:schema"))

    assert served.status_code == 200
    assert body_of(served)["paths"]["/api/reports/{id}/submit/"]["post"]
    assert anonymous.status_code == 401


# Each documented operation: who takes it, and the request (path arguments, body, format).
CALLS = {
    "programmes_list": ("officer", None, None),
    "programmes_retrieve": ("officer", lambda w: w.a.item.programme_id, None),
    "bodies_list": ("officer", None, None),
    "bodies_retrieve": ("officer", lambda w: w.a.body_id, None),
    "periods_list": ("officer", None, None),
    "periods_retrieve": ("officer", lambda w: w.period.pk, None),
    "assignments_list": ("reviewer", None, None),
    "assignments_retrieve": ("officer", lambda w: w.a.pk, None),
    "reports_list": ("officer", None, None),
    "reports_retrieve": ("officer", lambda w: w.draft.pk, None),
    "reports_create": (
        "other_officer",
        None,
        lambda w: {
            "assignment": w.late.pk,
            "period": w.period.pk,
            "result": "Đã ban hành kế hoạch thực hiện.",
            "percent_complete": 30,
        },
    ),
    "reports_partial_update": (
        "officer",
        lambda w: w.draft.pk,
        lambda w: {"version": w.draft.version, "percent_complete": 35},
    ),
    "reports_attachments_create": (
        "officer",
        lambda w: w.draft.pk,
        lambda w: {"file": SimpleUploadedFile("bien-ban.pdf", PDF)},
    ),
    "reports_documents_create": (
        "officer",
        lambda w: w.draft.pk,
        lambda w: {"number": "15-CTr/TU", "issued_on": "2026-01-15", "issuer": "Thành ủy"},
    ),
    "reports_submit_create": ("leader", lambda w: w.draft.pk, None),
    "reports_accept_create": ("reviewer", lambda w: w.submitted.pk, None),
    "reports_return_create": (
        "reviewer",
        lambda w: w.submitted.pk,
        lambda w: {"reason": "Bổ sung số liệu."},
    ),
    "figures_list": ("officer", None, None),
    "figures_retrieve": ("officer", lambda w: w.draft_figure.pk, None),
    "generated_reports_list": ("reviewer", None, None),
    "generated_reports_retrieve": ("reviewer", lambda w: w.standing_committee_report.pk, None),
}
SUCCESS = {"post": {201, 200}, "patch": {200}, "get": {200}}


def test_every_documented_operation_is_called(schema):
    assert set(SchemaChecker(schema).operations) == set(CALLS)


@pytest.mark.parametrize("operation_id", CALLS)
def test_each_operation_answers_as_documented(world, schema, settings, tmp_path, operation_id):  # noqa: F811
    settings.ATTACHMENTS_ROOT = tmp_path
    checker = SchemaChecker(schema)
    path, method, _operation = checker.operations[operation_id]
    role, pk, data = CALLS[operation_id]
    api = token_client(token_for(world.users[role]))
    url = path.replace("{id}", str(pk(world))) if pk else path
    payload = data(world) if data else None
    if method == "get":
        response = api.get(url)
    elif payload is not None and any(hasattr(v, "read") for v in payload.values()):
        response = api.post(url, payload)  # multipart, as documented
    else:
        response = getattr(api, method)(url, payload, content_type="application/json")

    assert response.status_code in SUCCESS[method], (
        operation_id,
        response.status_code,
        body_of(response),
    )
    checker.check(operation_id, response)
    if operation_id.endswith("_list"):
        assert body_of(response)["results"], f"{operation_id} listed nothing to check"
