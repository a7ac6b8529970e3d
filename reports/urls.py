"""Pages of the generated reports (PDF and workbook)."""

from django.urls import path

from . import views

urlpatterns = [
    path("status-reports/", views.generated_report_list, name="generated_report_list"),
    path("status-reports/new/", views.generated_report_create, name="generated_report_create"),
    path("status-reports/<int:pk>/", views.generated_report_detail, name="generated_report_detail"),
    path("status-reports/<int:pk>/pdf/", views.generated_report_pdf, name="generated_report_pdf"),
    path(
        "status-reports/<int:pk>/xlsx/", views.generated_report_xlsx, name="generated_report_xlsx"
    ),
]
