from django.urls import path

from . import views

urlpatterns = [
    path("notifications/", views.notification_list, name="notification_list"),
    path("notifications/read-all/", views.notification_read_all, name="notification_read_all"),
    path("notifications/<int:pk>/read/", views.notification_read, name="notification_read"),
    path("assignments/bulk/remind/", views.reminder_send_now, name="reminder_send_now"),
    path("notifications/settings/", views.notice_preferences, name="notice_preferences"),
]
