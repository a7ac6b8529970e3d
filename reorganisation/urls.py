from django.urls import path

from . import views

urlpatterns = [
    path("reorganisations/", views.reorganisation_index, name="reorganisation_list"),
    path("reorganisations/<int:pk>/", views.reorganisation_detail, name="reorganisation_detail"),
]
