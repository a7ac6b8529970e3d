from django.apps import AppConfig
from django.db.models.signals import post_save
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Reminders and notifications")

    def ready(self) -> None:
        # Connecting receivers only: no database work here.
        from indicators.models import ExplanationRequest
        from review.signals import workflow_step
        from tasks.models import Assignment, ReportingPeriod

        from . import receivers

        workflow_step.connect(receivers.on_workflow_step, dispatch_uid="notifications.notices")
        post_save.connect(
            receivers.on_assignment_saved,
            sender=Assignment,
            dispatch_uid="notifications.supersede.assignment",
        )
        post_save.connect(
            receivers.on_period_saved,
            sender=ReportingPeriod,
            dispatch_uid="notifications.supersede.period",
        )
        post_save.connect(
            receivers.on_explanation_saved,
            sender=ExplanationRequest,
            dispatch_uid="notifications.supersede.explanation",
        )
