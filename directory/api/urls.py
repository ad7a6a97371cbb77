"""The public REST API, mounted at /api/v1/."""

from django.urls import path

from directory.api import contact

app_name = "api"

urlpatterns = [
    path(
        "contact-requests/",
        contact.ContactRequestCreateView.as_view(),
        name="contact_request_create",
    ),
    path(
        "contact-requests/form-token/",
        contact.ContactRequestFormTokenView.as_view(),
        name="contact_request_token",
    ),
]
