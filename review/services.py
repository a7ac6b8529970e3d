"""The review workflow's steps, written once for every kind a body sends for review.

Each kind describes itself in a `Flow`: its model, its permission policy, how to read a row
for update, and its own words. The steps check the policy themselves, hold the row while they
change it, record who and why in its history, and announce what happened through the
`workflow_step` signal once the change is committed, so notices hang on one place.
"""

import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import BasePermissionPolicy

from .models import Reviewable, ReviewState
from .signals import workflow_step

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


class ReviewAction:
    """The policy actions the workflow asks about; every reviewed kind's policy answers them."""

    VIEW = "view"
    DRAFT = "draft"
    SUBMIT = "submit"
    REVIEW = "review"


class ReviewStep:
    """What the `workflow_step` signal announces."""

    SUBMITTED = "submitted"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"
    RETURNED = "returned"


class Stale(ValidationError):
    """Someone saved the row after this form was opened."""


def clean_text(text: str) -> str:
    """NFC, without control characters other than line breaks and tabs, trimmed."""
    return _CONTROL.sub("", unicodedata.normalize("NFC", text or "")).strip()


def tracked_save(instance: models.Model, *, acting_user, reason: str, **kwargs) -> None:
    """Save a history-tracked row with the acting user and the reason on its history record."""
    instance._history_user = acting_user
    instance._change_reason = reason
    instance.save(**kwargs)


def ensure(policy: BasePermissionPolicy, user, action: str, instance) -> None:
    """Services check the policy too, so no path around a view can skip it."""
    if not policy.user_has_permission_for_instance(user, action, instance):
        raise PermissionDenied(f"{action} {instance._meta.label_lower} #{instance.pk}")


def step_announce(instance: models.Model, step: str, acting_user) -> None:
    """Tell listeners (the notices) of a step once it is committed; a rolled-back step says
    nothing."""
    transaction.on_commit(
        lambda: workflow_step.send(
            sender=type(instance), instance=instance, step=step, acting_user=acting_user
        )
    )


@dataclass(frozen=True)
class Flow:
    """One kind of reviewed row and its own words.

    `stale_message` may name `%(user)s`, `%(time)s` and `%(changed)s`; `content_fields` are the
    fields whose change it names.
    """

    model: type[Reviewable]
    policy: BasePermissionPolicy
    stale_error: type[Stale]
    stale_message: str
    return_reason_missing: str
    # What the pages say: before a step that locks the row, and once a step is taken.
    submit_warning: str
    accept_label: str
    accept_warning: str
    submitted: str
    accepted: str
    returned: str
    content_fields: tuple[str, ...] = ()
    related: tuple[str, ...] = field(default=())
    # Refuses, with a ValidationError, a row that may not be sent yet.
    check_sendable: Callable[[Reviewable], None] | None = None
    # What else acceptance does, in the same transaction: (row, acting_user).
    on_accept: Callable[[Reviewable, object], None] | None = None

    def locked(self, instance: Reviewable) -> Reviewable:
        """The row read afresh and held until the transaction ends. Only non-null joins may
        be followed: PostgreSQL locks no row on the nullable side of an outer join."""
        return (
            self.model.objects.select_for_update().select_related(*self.related).get(pk=instance.pk)
        )


def _changed_since(flow: Flow, instance: Reviewable, version: int) -> list[str]:
    seen = instance.history.filter(version=version).order_by("-history_date").first()
    if seen is None:
        return []
    return [
        str(flow.model._meta.get_field(f).verbose_name)
        for f in flow.content_fields
        if getattr(seen, f) != getattr(instance, f)
    ]


@transaction.atomic
def review_update(
    flow: Flow,
    instance: Reviewable,
    *,
    expected_version: int,
    acting_user,
    apply: Callable[[Reviewable], None],
) -> Reviewable:
    """Revise a draft or a returned row. A save from a form opened before someone else's save
    is refused, naming who saved, when and what they changed, so neither edit is silently
    lost."""
    instance = flow.locked(instance)
    ensure(flow.policy, acting_user, ReviewAction.DRAFT, instance)
    if instance.version != expected_version:
        last = instance.history.first()
        changed = ", ".join(_changed_since(flow, instance, expected_version))
        raise flow.stale_error(
            flow.stale_message
            % {
                "user": last.history_user if last and last.history_user else _("Someone"),
                "time": timezone.localtime(last.history_date).strftime("%d/%m/%Y %H:%M")
                if last
                else "",
                "changed": changed or str(flow.model._meta.verbose_name),
            }
        )
    apply(instance)
    instance.version += 1
    tracked_save(instance, acting_user=acting_user, reason=_("Draft revised"))
    return instance


@transaction.atomic
def review_submit(flow: Flow, instance: Reviewable, *, acting_user) -> Reviewable:
    """The body's leader submits (or resubmits) the row to the Party Office, if the kind's
    check lets it go. The first submission's time is kept through returns."""
    instance = flow.locked(instance)
    ensure(flow.policy, acting_user, ReviewAction.SUBMIT, instance)
    if flow.check_sendable is not None:
        flow.check_sendable(instance)
    resubmission = instance.state == ReviewState.RETURNED
    now = timezone.now()
    instance.state = ReviewState.SUBMITTED
    instance.submitted_by = acting_user
    instance.submitted_at = now
    if instance.first_submitted_at is None:
        instance.first_submitted_at = now
    tracked_save(
        instance,
        acting_user=acting_user,
        reason=_("Resubmitted") if resubmission else _("Submitted"),
    )
    step_announce(
        instance, ReviewStep.RESUBMITTED if resubmission else ReviewStep.SUBMITTED, acting_user
    )
    return instance


@transaction.atomic
def review_accept(flow: Flow, instance: Reviewable, *, acting_user) -> Reviewable:
    """The Party Office accepts the row, which locks it, and the kind does what else acceptance
    means for it."""
    instance = flow.locked(instance)
    ensure(flow.policy, acting_user, ReviewAction.REVIEW, instance)
    instance.state = ReviewState.ACCEPTED
    instance.reviewed_by = acting_user
    instance.reviewed_at = timezone.now()
    tracked_save(instance, acting_user=acting_user, reason=_("Accepted"))
    if flow.on_accept is not None:
        flow.on_accept(instance, acting_user)
    step_announce(instance, ReviewStep.ACCEPTED, acting_user)
    return instance


@transaction.atomic
def review_return(flow: Flow, instance: Reviewable, *, reason: str, acting_user) -> Reviewable:
    """The Party Office returns the row to the body with its reasons."""
    instance = flow.locked(instance)
    ensure(flow.policy, acting_user, ReviewAction.REVIEW, instance)
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": flow.return_reason_missing})
    instance.state = ReviewState.RETURNED
    instance.return_reason = reason
    instance.reviewed_by = acting_user
    instance.reviewed_at = timezone.now()
    tracked_save(
        instance,
        acting_user=acting_user,
        reason=_("Returned: %(reason)s") % {"reason": reason[:80]},
    )
    step_announce(instance, ReviewStep.RETURNED, acting_user)
    return instance
