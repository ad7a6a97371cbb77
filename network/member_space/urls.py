"""The member space (/espace/): a member's listings, their members and their requests."""

from django.urls import path

from network.member_space import views

urlpatterns = [
    path("espace/", views.dashboard, name="dashboard"),
    path(
        "espace/organisations/<slug:slug>/modifier/",
        views.organization_edit,
        name="organization_edit",
    ),
    path(
        "espace/organisations/<slug:slug>/toujours-a-jour/",
        views.organization_verify,
        name="organization_verify",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/",
        views.organization_members,
        name="organization_members",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/<int:pk>/retirer/",
        views.membership_remove,
        name="membership_remove",
    ),
    path(
        "espace/organisations/<slug:slug>/membres/<int:pk>/renvoyer/",
        views.membership_reinvite,
        name="membership_reinvite",
    ),
    path("espace/demandes/<str:reference>/accepter/", views.request_accept, name="request_accept"),
    path("espace/demandes/<str:reference>/refuser/", views.request_decline, name="request_decline"),
]
