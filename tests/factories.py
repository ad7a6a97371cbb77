"""factory_boy factories. Organisations sit in real communes of the loaded gazetteer."""

import factory
from django.contrib.auth import get_user_model

from maps.models import Municipality
from network.listings.models import Activity, Need, Organization
from network.members.models import Membership


def real_commune(name: str = "Namur") -> Municipality:
    """A commune of the real gazetteer (loaded by tests/conftest.py)."""
    return Municipality.objects.get(name_fr=name)


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Collectif test {n}")
    slug = factory.Sequence(lambda n: f"collectif-test-{n}")
    kind = Organization.Kind.COLLECTIVE
    description = "Accueil et transport de personnes migrantes en transit."
    municipality = factory.LazyFunction(real_commune)
    postal_code = factory.LazyAttribute(lambda o: o.municipality.postal_codes.first().code)
    address = "Rue de la Gare 1"
    address_visibility = Organization.AddressVisibility.COMMUNE
    latitude = factory.LazyAttribute(lambda o: o.municipality.latitude + 0.003)
    longitude = factory.LazyAttribute(lambda o: o.municipality.longitude + 0.004)
    routing_email = factory.Sequence(lambda n: f"routage-secret-{n}@example.org")
    email = factory.Sequence(lambda n: f"public-{n}@example.org")
    status = Organization.Status.PUBLISHED
    accepting_requests = True
    languages = "fr"

    @factory.post_generation
    def activities(self, create, extracted, **kwargs):
        if create and extracted:
            self.activities.set(Activity.objects.filter(slug__in=extracted))

    @factory.post_generation
    def needs(self, create, extracted, **kwargs):
        if create and extracted:
            self.needs.set(Need.objects.filter(slug__in=extracted))

    @factory.post_generation
    def area_served(self, create, extracted, **kwargs):
        if create and extracted:
            self.area_served.set(extracted)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda u: u.username)
    password = factory.django.Password("correct horse battery staple")


class StaffFactory(UserFactory):
    is_staff = True
    is_superuser = True


def submit_request(**overrides):
    """Submit a contact request through the real service (routing, e-mails and all)."""
    from maps.places import resolve_place
    from network.contact.models import ContactRequest
    from network.contact.submission import contact_request_submit

    fields = {
        "source": ContactRequest.Source.GENERAL_FORM,
        "intent": ContactRequest.Intent.DRIVE,
        "name": "Camille Testeur",
        "email": "camille.citoyenne@example.net",
        "phone": "+32 470 12 34 56",
        "place": resolve_place("Gembloux"),
        "availability": "Les soirs de semaine",
        "message": "Je peux conduire des personnes à la gare le soir.",
        "consent": True,
    }
    fields.update(overrides)
    return contact_request_submit(**fields)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organization = factory.SubFactory(OrganizationFactory)
    role = Membership.Role.EDITOR
    role = "editor"


def request_with_history(received_at, steps=(), *, municipality=None, **fields):
    """A contact request received at `received_at` whose history already happened.

    `steps` are (to_status, at, organization) in order; the request ends in the last status.
    Timestamps are written after creation because events date themselves when saved.
    """
    from network.contact.models import ContactRequest, ContactRequestEvent

    request = ContactRequest.objects.create(
        source=ContactRequest.Source.GENERAL_FORM,
        intent=ContactRequest.Intent.VOLUNTEER,
        name="Personne Exemple",
        email="personne@example.org",
        consent_at=received_at,
        municipality=municipality,
        **fields,
    )
    history = [("new", received_at, None), *steps]
    previous = ""
    for to_status, at, organization in history:
        event = ContactRequestEvent.objects.create(
            request=request, from_status=previous, to_status=to_status, organization=organization
        )
        ContactRequestEvent.objects.filter(pk=event.pk).update(created_at=at)
        previous = to_status
    outcome = ContactRequest.Outcome.IN_CONTACT if previous == "closed" else ""
    ContactRequest.objects.filter(pk=request.pk).update(
        created_at=received_at, status=previous, outcome=outcome
    )
    request.refresh_from_db()
    return request
