"""Answer links from e-mails, mounted at /reponse/: an organisation answers without logging in."""

from django.urls import path

from network.contact import views

app_name = "answers"

urlpatterns = [
    path("<str:token>/accepter/", views.answer_accept, name="accept"),
    path("<str:token>/refuser/", views.answer_decline, name="decline"),
]
