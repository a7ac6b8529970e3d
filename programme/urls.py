from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    # The programme as printed and a task's page show its tracking: tasks/urls.py.
]
