from django.urls import path

from directory import map_views, views

app_name = "directory"

urlpatterns = [
    path("", views.organization_search, name="search"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("a-propos/", views.about, name="about"),
    path("citoyen-solidaire/", views.helper_guide, name="helper_guide"),
    path("lieux/suggestions/", views.place_autocomplete, name="place_autocomplete"),
]

# Maps (directory/map_views.py): the same query string as the search page.
urlpatterns += [
    path("carte/", map_views.organization_map, name="map"),
    path("carte/donnees.json", map_views.organization_map_data, name="map_data"),
]
