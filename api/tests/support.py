"""What the API's tests share: a token for a cast member, a client that sends it, and the
schema's answer checker."""

import json

from django.test import Client
from jsonschema import Draft202012Validator

from api.services import api_token_create

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def token_for(user, *, read_only: bool = False, name: str = "Hệ thống văn bản") -> str:
    return api_token_create(name=name, read_only=read_only, acting_user=user)[1]


def token_client(token: str, language: str = "vi") -> Client:
    """A client as an agency's system is: no cookie, no CSRF token, just the bearer token."""
    return Client(
        enforce_csrf_checks=True,
        HTTP_AUTHORIZATION=f"Bearer {token}",
        HTTP_ACCEPT_LANGUAGE=language,
    )


def body_of(response):
    return json.loads(response.content) if response.content else None


class SchemaChecker:
    """Checks an answer against what the OpenAPI schema says the operation answers."""

    def __init__(self, schema: dict):
        self.schema = schema
        self.operations = {
            operation["operationId"]: (path, method, operation)
            for path, methods in schema["paths"].items()
            for method, operation in methods.items()
        }

    def response_schema(self, operation_id: str, status: int) -> dict | None:
        _path, _method, operation = self.operations[operation_id]
        answer = operation["responses"].get(str(status))
        assert answer is not None, f"{operation_id} does not document status {status}"
        content = answer.get("content", {}).get("application/json")
        return content["schema"] if content else None

    def check(self, operation_id: str, response) -> None:
        schema = self.response_schema(operation_id, response.status_code)
        if schema is None:
            return
        validator = Draft202012Validator(
            {**schema, "components": self.schema["components"]},
            format_checker=Draft202012Validator.FORMAT_CHECKER,
        )
        errors = sorted(validator.iter_errors(body_of(response)), key=str)
        assert errors == [], f"{operation_id}: {errors[0].message} at {list(errors[0].path)}"
