"""Members' accounts under /espace/: logging in and out, passwords, accepting an invitation."""

from django.urls import path

from network.members import views

urlpatterns = [
    path("espace/connexion/", views.LoginView.as_view(), name="login"),
    path("espace/deconnexion/", views.LogoutView.as_view(), name="logout"),
    path("espace/mot-de-passe/oublie/", views.PasswordResetView.as_view(), name="password_reset"),
    path(
        "espace/mot-de-passe/oublie/envoye/",
        views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "espace/mot-de-passe/nouveau/<uidb64>/<token>/",
        views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "espace/mot-de-passe/nouveau/termine/",
        views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path(
        "espace/mot-de-passe/changer/",
        views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "espace/invitation/<uidb64>/<token>/",
        views.InvitationAcceptView.as_view(),
        name="invitation_accept",
    ),
]
