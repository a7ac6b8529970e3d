"""Work queued on the django-q2 task cluster. Jobs take ids and call a service."""

from .services import generated_report_build


def report_build(report_id: int) -> None:
    """Build a requested report (queued by generated_report_request, with the cluster's time
    limit REPORT_BUILD_TIMEOUT)."""
    generated_report_build(report_id=report_id)
