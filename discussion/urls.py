from django.urls import path

from . import views

urlpatterns = [
    path("assignments/<int:pk>/discussion/", views.thread, name="discussion_thread"),
    path(
        "discussion/messages/<int:pk>/edit/",
        views.message_edit_view,
        name="discussion_message_edit",
    ),
    path(
        "discussion/messages/<int:pk>/withdraw/",
        views.message_withdraw_view,
        name="discussion_message_withdraw",
    ),
    path(
        "discussion/files/<int:pk>/",
        views.attachment_download,
        name="discussion_attachment_download",
    ),
]
