"""Errors as the API's callers read them: a 400 names each field it refuses, in the caller's
language (Accept-Language, or the language chosen on the pages); a report saved by someone
else since it was read is a 409; too many requests a 429 with Retry-After. A refusal of the
workflow (a Django ValidationError from a service) comes back as the same field-by-field 400."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from review.services import Stale

NON_FIELD = "non_field_errors"


def service_errors(error: DjangoValidationError) -> dict[str, list[str]]:
    """A service's refusal as {field: [messages]}, messages not tied to a field under
    non_field_errors."""
    if hasattr(error, "error_dict"):
        return {
            (NON_FIELD if field == "__all__" else field): [str(m) for m in messages]
            for field, messages in error.message_dict.items()
        }
    return {NON_FIELD: [str(m) for m in error.messages]}


def exception_handler(exc, context):
    if isinstance(exc, Stale):
        return Response(
            {"detail": " ".join(str(m) for m in exc.messages), "code": "stale"},
            status=status.HTTP_409_CONFLICT,
        )
    if isinstance(exc, DjangoValidationError):
        return Response(service_errors(exc), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, exceptions.Throttled) and exc.wait is not None:
        seconds = max(1, int(exc.wait + 0.999))
        exc = exceptions.Throttled(
            wait=exc.wait,
            detail=ngettext(
                "Too many requests. Try again in %(seconds)d second.",
                "Too many requests. Try again in %(seconds)d seconds.",
                seconds,
            )
            % {"seconds": seconds},
        )
    if isinstance(exc, DjangoPermissionDenied):
        # The policy's own words name the row and the action for the security log; the caller
        # is told in theirs.
        exc = exceptions.PermissionDenied(_("You may not take this step on this row."))
    if isinstance(exc, exceptions.NotAuthenticated):
        exc = exceptions.NotAuthenticated(
            _("Sign in, or send a personal API token as “Authorization: Bearer <token>”.")
        )
    return drf_exception_handler(exc, context)
