"""Answer links from e-mails, mounted at /reponse/: an organisation answers without logging in."""

from django.urls import path

from network.views import answers

app_name = "answers"

urlpatterns = [
    path("<str:token>/accepter/", answers.answer_accept, name="accept"),
    path("<str:token>/refuser/", answers.answer_decline, name="decline"),
]
