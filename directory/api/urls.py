"""The public REST API, mounted at /api/v1/."""

app_name = "api"

urlpatterns = []
