"""Pages about how the work stands: dashboards, assignments, reports and periods."""

from django.urls import path

from .views import assignment_page, assignments, bulk, dashboards, directory, periods, reports

urlpatterns = [
    # The document and the bodies with their tracking
    path("programmes/<slug:code>/", directory.programme_detail, name="programme_detail"),
    # Keys hold dots ("III.3.b2"), never slashes.
    path("programmes/<slug:code>/items/<str:key>/", directory.item_detail, name="item_detail"),
    path("bodies/", directory.body_list, name="body_list"),
    path("bodies/<slug:code>/", directory.body_detail, name="body_detail"),
    # Dashboards and lists
    path("my-work/", dashboards.agency_home, name="agency_home"),
    path("compliance/", dashboards.compliance_overview, name="compliance_overview"),
    path("supervision/", dashboards.supervision_overview, name="supervision_overview"),
    path("assignments/", dashboards.assignment_list, name="assignment_list"),
    # Bulk steps on the assignments ticked on the list
    path(
        "assignments/bulk/deadline/", bulk.assignment_bulk_deadline, name="assignment_bulk_deadline"
    ),
    path("assignments/bulk/period/", bulk.assignment_bulk_period, name="assignment_bulk_period"),
    path("progress-reports/", dashboards.progress_report_list, name="progress_report_list"),
    path("periods/", periods.period_list, name="period_list"),
    path("periods/<int:pk>/", periods.period_detail, name="period_detail"),
    path("periods/<int:pk>/open/", periods.period_open, name="period_open"),
    path("periods/<int:pk>/close/", periods.period_close, name="period_close"),
    # An assignment and what hangs under it
    path("assignments/<int:pk>/", assignment_page.assignment_detail, name="assignment_detail"),
    path(
        "assignments/<int:pk>/history/", assignments.assignment_history, name="assignment_history"
    ),
    path(
        "assignments/<int:pk>/deadline/",
        assignments.assignment_deadline,
        name="assignment_deadline",
    ),
    path(
        "assignments/<int:pk>/extension/",
        assignments.extension_request_create,
        name="extension_request_create",
    ),
    path("extensions/<int:pk>/decide/", assignments.extension_decide, name="extension_decide"),
    path(
        "assignments/<int:pk>/delegate/",
        assignments.assignment_delegate,
        name="assignment_delegate",
    ),
    path("assignments/<int:pk>/findings/new/", assignments.finding_create, name="finding_create"),
    # Progress reports
    path("assignments/<int:pk>/reports/new/", reports.report_create, name="report_create"),
    path("reports/<int:pk>/", reports.report_detail, name="report_detail"),
    path("reports/<int:pk>/edit/", reports.report_edit, name="report_edit"),
    path("reports/<int:pk>/submit/", reports.report_submit, name="report_submit"),
    path("reports/<int:pk>/accept/", reports.report_accept, name="report_accept"),
    path("reports/<int:pk>/return/", reports.report_return, name="report_return"),
    path("reports/<int:pk>/history/", reports.report_history, name="report_history"),
    path("reports/<int:pk>/documents/new/", reports.document_create, name="document_create"),
    path("documents/<int:pk>/delete/", reports.document_delete, name="document_delete"),
    path("reports/<int:pk>/attachments/new/", reports.attachment_create, name="attachment_create"),
    path("attachments/<int:pk>/", reports.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", reports.attachment_delete, name="attachment_delete"),
]
