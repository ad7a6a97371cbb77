"""Staff pages of the coordination, mounted at /equipe/."""

from django.urls import path

from network.views import coverage, inbox

app_name = "network"

urlpatterns = [
    path("couverture/", coverage.coverage, name="coverage"),
    path("couverture/donnees.json", coverage.coverage_data, name="coverage_data"),
    # Triage inbox of contact requests.
    path("demandes/", inbox.inbox, name="inbox"),
    path("demandes/donnees-personnelles/", inbox.personal_data, name="inbox_personal_data"),
    path("demandes/<str:reference>/", inbox.request_detail, name="inbox_request"),
    path("demandes/<str:reference>/transmettre/", inbox.request_route, name="inbox_route"),
    path("demandes/<str:reference>/cloturer/", inbox.request_close, name="inbox_close"),
    path("demandes/<str:reference>/note/", inbox.request_note, name="inbox_note"),
    path("demandes/<str:reference>/effacer/", inbox.request_erase, name="inbox_erase"),
]
