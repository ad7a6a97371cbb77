"""The public REST API, mounted at /api/v1/."""

from django.urls import path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from directory.api import contact, hsds, members, taxonomy
from directory.api.organizations import OrganizationViewSet

app_name = "api"

router = SimpleRouter()
router.register("organizations", OrganizationViewSet, basename="organization")
router.register(
    "me/organizations", members.MemberOrganizationViewSet, basename="member-organization"
)

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:docs", permanent=False), name="root"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the site's CSP forbids inline scripts.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    path("auth/token/", members.TokenView.as_view(), name="token"),
    path("auth/token/revoke/", members.TokenRevokeView.as_view(), name="token-revoke"),
    path("municipalities/", taxonomy.MunicipalityList.as_view(), name="municipality-list"),
    path(
        "municipalities/<str:refnis>/",
        taxonomy.MunicipalityDetail.as_view(),
        name="municipality-detail",
    ),
    path("activities/", taxonomy.ActivityList.as_view(), name="activity-list"),
    path("needs/", taxonomy.NeedList.as_view(), name="need-list"),
    path("hsds/organizations/", hsds.HSDSOrganizationList.as_view(), name="hsds-organization-list"),
    path(
        "hsds/organizations/<str:identifier>/",
        hsds.HSDSOrganizationDetail.as_view(),
        name="hsds-organization-detail",
    ),
    path("hsds/services/", hsds.HSDSServiceList.as_view(), name="hsds-service-list"),
    path(
        "hsds/services/<str:identifier>/",
        hsds.HSDSServiceDetail.as_view(),
        name="hsds-service-detail",
    ),
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
