from django.urls import path

from . import views

urlpatterns = [
    path("programmes/", views.programme_list, name="programme_list"),
    path("programmes/<slug:code>/", views.programme_detail, name="programme_detail"),
    # Keys hold dots ("III.3.b2"), never slashes.
    path("programmes/<slug:code>/items/<str:key>/", views.item_detail, name="item_detail"),
    path("search/", views.search, name="search"),
]
