"""Signing in and out, changing one's password (Django's own views) and sign-in lockouts."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import views

urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("accounts/lockouts/", views.lockout_list, name="lockout_list"),
    path("accounts/lockouts/lift/", views.lockout_lift, name="lockout_lift"),
    path("accounts/security-log/", views.security_event_list, name="security_event_list"),
    # The bodies' pages show the tasks given to them: tasks/urls.py.
]
