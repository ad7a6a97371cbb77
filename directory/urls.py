from django.urls import path

from directory import contact_views, map_views, moderation, views

app_name = "directory"

urlpatterns = [
    path("", views.organization_search, name="search"),
    path("organisations/<slug:slug>/", views.organization_detail, name="organization_detail"),
    path("a-propos/", views.about, name="about"),
    path("citoyen-solidaire/", views.helper_guide, name="helper_guide"),
    path("lieux/suggestions/", views.place_autocomplete, name="place_autocomplete"),
    path(
        "organisations/<slug:slug>/contacter/",
        contact_views.contact_organization,
        name="contact_organization",
    ),
    path("je-veux-aider/", contact_views.contact_general, name="contact_general"),
    path(
        "demande/merci/<str:token>/",
        contact_views.contact_confirmation,
        name="contact_confirmation",
    ),
    path("demande/retirer/<str:token>/", contact_views.contact_withdraw, name="contact_withdraw"),
    path("proposer/", moderation.organization_propose_view, name="organization_propose"),
    path("proposer/merci/", moderation.proposal_thanks, name="proposal_thanks"),
    path(
        "organisations/<slug:slug>/signaler/",
        moderation.organization_report,
        name="organization_report",
    ),
]

# Maps (directory/map_views.py): the same query string as the search page.
urlpatterns += [
    path("carte/", map_views.organization_map, name="map"),
    path("carte/donnees.json", map_views.organization_map_data, name="map_data"),
]
