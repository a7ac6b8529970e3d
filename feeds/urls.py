"""Calendar feeds: the .ics a calendar program subscribes to, and its settings page."""

from django.urls import path

from . import views

urlpatterns = [
    path("calendar/", views.calendar_feed_settings, name="calendar_feed_settings"),
    path("calendar/reset/", views.calendar_feed_reset, name="calendar_feed_reset"),
    path("calendar/stop/", views.calendar_feed_stop, name="calendar_feed_stop"),
    path("calendar/<slug:token>.ics", views.calendar_feed, name="calendar_feed"),
]
