"""Pages mounted at the site root about who is given what.

The body pages (what each body is assigned) are served by accounts' views: accounts/urls.py is
mounted under /accounts/ for signing in, and the bodies belong at /bodies/.
"""

from django.urls import path

from accounts import views as accounts_views

urlpatterns = [
    path("bodies/", accounts_views.body_list, name="body_list"),
    path("bodies/<slug:code>/", accounts_views.body_detail, name="body_detail"),
]
