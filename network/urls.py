"""The coordination's pages, mounted at the root by config/urls.py under the "network" namespace:
members' accounts and the member space (/espace/), and every staff page (/equipe/)."""

from network.member_space import urls as member_space_urls
from network.members import urls as members_urls
from network.staff import urls as staff_urls

app_name = "network"

urlpatterns = [
    *members_urls.urlpatterns,
    *member_space_urls.urlpatterns,
    *staff_urls.urlpatterns,
]
