"""The REST API under /api/: the endpoints, the schema and its documentation page, and each
person's token page. Names are in the "api" namespace; api/tests/test_permission_matrix.py
holds every route to every role."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView
from rest_framework.routers import SimpleRouter

from . import pages, views

app_name = "api"

router = SimpleRouter()
router.register("programmes", views.ProgrammeViewSet, basename="programme")
router.register("bodies", views.BodyViewSet, basename="body")
router.register("periods", views.PeriodViewSet, basename="period")
router.register("assignments", views.AssignmentViewSet, basename="assignment")
router.register("reports", views.ReportViewSet, basename="report")
router.register("figures", views.FigureViewSet, basename="figure")
router.register("generated-reports", views.GeneratedReportViewSet, basename="generated-report")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs"), name="root"),
    # A token reads the schema too (no sign-in redirect); it answers 401 to no one at all.
    path("schema/", login_not_required(SpectacularAPIView.as_view()), name="schema"),
    path("docs/", pages.api_docs, name="docs"),
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
    *router.urls,
]
