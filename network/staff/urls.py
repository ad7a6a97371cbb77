"""Every staff page, all under /equipe/ and all behind one gate (network/staff/gate.py)."""

from django.urls import path

from network.staff import coverage, dashboard, imports, inbox, listings
from network.staff.gate import staff_only

urlpatterns = staff_only(
    [
        path(
            "equipe/organisations/",
            listings.organization_list_staff,
            name="organization_list_staff",
        ),
        path("equipe/moderation/", listings.moderation_queue, name="moderation_queue"),
        path(
            "equipe/moderation/propositions/<int:pk>/",
            listings.proposal_review,
            name="proposal_review",
        ),
        path(
            "equipe/moderation/signalements/<int:pk>/", listings.report_review, name="report_review"
        ),
        path(
            "equipe/organisations/<slug:slug>/historique/",
            listings.organization_history,
            name="organization_history",
        ),
        path(
            "equipe/historique/<int:pk>/annuler/",
            listings.organization_change_undo,
            name="organization_change_undo",
        ),
        path("equipe/tableau-de-bord/", dashboard.dashboard, name="staff_dashboard"),
        path(
            "equipe/tableau-de-bord/<slug:figure>.csv",
            dashboard.dashboard_csv,
            name="staff_dashboard_csv",
        ),
        path("equipe/couverture/", coverage.coverage, name="coverage"),
        path("equipe/couverture/donnees.json", coverage.coverage_data, name="coverage_data"),
        path("equipe/demandes/", inbox.inbox, name="inbox"),
        path(
            "equipe/demandes/organisations/",
            inbox.organization_autocomplete,
            name="inbox_organization_autocomplete",
        ),
        path(
            "equipe/demandes/donnees-personnelles/", inbox.personal_data, name="inbox_personal_data"
        ),
        path("equipe/demandes/<str:reference>/", inbox.request_detail, name="inbox_request"),
        path(
            "equipe/demandes/<str:reference>/transmettre/", inbox.request_route, name="inbox_route"
        ),
        path("equipe/demandes/<str:reference>/cloturer/", inbox.request_close, name="inbox_close"),
        path("equipe/demandes/<str:reference>/note/", inbox.request_note, name="inbox_note"),
        path("equipe/demandes/<str:reference>/effacer/", inbox.request_erase, name="inbox_erase"),
        path("equipe/import/", imports.organization_import, name="organization_import"),
        path(
            "equipe/import/confirmer/",
            imports.organization_import_confirm,
            name="organization_import_confirm",
        ),
        path(
            "equipe/import/<int:pk>/annuler/",
            imports.organization_import_undo,
            name="organization_import_undo",
        ),
        path("equipe/export.csv", imports.organization_export, name="organization_export"),
    ]
)
