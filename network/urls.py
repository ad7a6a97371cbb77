"""The member space (/espace/) and staff pages (/equipe/); mounted at the root by config/urls.py."""

from django.urls import path

from network.views import accounts, coverage, dashboard, inbox, members, staff

app_name = "network"

urlpatterns = [
    # Accounts
    path("espace/connexion/", accounts.LoginView.as_view(), name="login"),
    path("espace/deconnexion/", accounts.LogoutView.as_view(), name="logout"),
    path(
        "espace/mot-de-passe/oublie/", accounts.PasswordResetView.as_view(), name="password_reset"
    ),
    path(
        "espace/mot-de-passe/oublie/envoye/",
        accounts.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "espace/mot-de-passe/nouveau/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "espace/mot-de-passe/nouveau/termine/",
        accounts.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "espace/mot-de-passe/changer/",
        accounts.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "espace/invitation/<uidb64>/<token>/",
        accounts.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
    # Member space
    path("espace/", members.dashboard, name="dashboard"),
    path(
        "espace/organisations/<slug:slug>/modifier/",
        members.organization_edit,
        name="organization_edit",
    ),
    path(
        "espace/organisations/<slug:slug>/toujours-a-jour/",
        members.organization_verify,
        name="organization_verify",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/",
        members.organization_members,
        name="organization_members",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/<int:pk>/retirer/",
        members.membership_remove,
        name="membership_remove",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/<int:pk>/renvoyer/",
        members.membership_reinvite,
        name="membership_reinvite",
    ),
    path(
        "espace/demandes/<str:reference>/accepter/", members.request_accept, name="request_accept"
    ),
    path(
        "espace/demandes/<str:reference>/refuser/", members.request_decline, name="request_decline"
    ),
    # Staff
    path("equipe/organisations/", staff.organization_list_staff, name="organization_list_staff"),
    path("equipe/moderation/", staff.moderation_queue, name="moderation_queue"),
    path("equipe/moderation/propositions/<int:pk>/", staff.proposal_review, name="proposal_review"),
    path("equipe/moderation/signalements/<int:pk>/", staff.report_review, name="report_review"),
    path(
        "equipe/organisations/<slug:slug>/historique/",
        staff.organization_history,
        name="organization_history",
    ),
    path(
        "equipe/historique/<int:pk>/annuler/",
        staff.organization_change_undo,
        name="organization_change_undo",
    ),
    # Staff: triage inbox of contact requests.
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
    path("equipe/demandes/donnees-personnelles/", inbox.personal_data, name="inbox_personal_data"),
    path("equipe/demandes/<str:reference>/", inbox.request_detail, name="inbox_request"),
    path("equipe/demandes/<str:reference>/transmettre/", inbox.request_route, name="inbox_route"),
    path("equipe/demandes/<str:reference>/cloturer/", inbox.request_close, name="inbox_close"),
    path("equipe/demandes/<str:reference>/note/", inbox.request_note, name="inbox_note"),
    path("equipe/demandes/<str:reference>/effacer/", inbox.request_erase, name="inbox_erase"),
]
