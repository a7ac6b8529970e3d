"""Pages about the programme's targets: indicators, yearly figures, industrial zones and
clusters, explanation requests."""

from django.urls import path

from . import views

urlpatterns = [
    path(
        "programmes/<slug:code>/indicators/",
        views.indicator_overview,
        name="indicator_overview",
    ),
    path("indicators/<int:pk>/", views.indicator_detail, name="indicator_detail"),
    path("indicators/<int:pk>/figures/new/", views.figure_create, name="figure_create"),
    path(
        "indicators/<int:pk>/explanations/new/",
        views.indicator_explanation_create,
        name="indicator_explanation_create",
    ),
    path("figures/<int:pk>/", views.figure_detail, name="figure_detail"),
    path("figures/<int:pk>/edit/", views.figure_edit, name="figure_edit"),
    path("figures/<int:pk>/submit/", views.figure_submit, name="figure_submit"),
    path("figures/<int:pk>/accept/", views.figure_accept, name="figure_accept"),
    path("figures/<int:pk>/return/", views.figure_return, name="figure_return"),
    path("industrial-areas/", views.area_list, name="area_list"),
    path("industrial-areas/<int:pk>/", views.area_detail, name="area_detail"),
    path(
        "industrial-areas/<int:pk>/figures/new/",
        views.area_figure_create,
        name="area_figure_create",
    ),
    path("explanations/", views.explanation_list, name="explanation_list"),
    path(
        "assignments/<int:pk>/explanations/new/",
        views.assignment_explanation_create,
        name="assignment_explanation_create",
    ),
    path("explanations/<int:pk>/", views.explanation_detail, name="explanation_detail"),
    path("explanations/<int:pk>/answer/", views.explanation_answer, name="explanation_answer"),
    path("explanations/<int:pk>/close/", views.explanation_close, name="explanation_close"),
]
