"""Staff pages of the coordination, mounted at /equipe/."""

from django.urls import path

from network.views import coverage

app_name = "network"

urlpatterns = [
    path("couverture/", coverage.coverage, name="coverage"),
    path("couverture/donnees.json", coverage.coverage_data, name="coverage_data"),
]
