from django.urls import path

from directory import views

app_name = "directory"

urlpatterns = [
    path("", views.organization_search, name="search"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("a-propos/", views.about, name="about"),
    path("citoyen-solidaire/", views.helper_guide, name="helper_guide"),
    path("lieux/suggestions/", views.place_autocomplete, name="place_autocomplete"),
]
