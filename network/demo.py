"""Fictitious demonstration data: organisations across the five provinces, each marked "exemple".

Deterministic (a seeded random generator) so that every `make run` shows the same directory.
"""

import random
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from maps.models import Municipality
from maps.text import fold
from network.contact.models import ContactRequest, ContactRequestEvent
from network.listings.models import ActivitySlug, Closure, NeedSlug, OpeningPeriod, Organization
from network.listings.services import organization_create
from network.resources.models import Resource
from network.staff.stats import default_period

DEMO_COMMUNES = [
    # Namur
    "Namur",
    "Gembloux",
    "Dinant",
    "Ciney",
    "Philippeville",
    "Andenne",
    "Sambreville",
    "Couvin",
    "Florennes",
    # Liège
    "Liège",
    "Verviers",
    "Huy",
    "Seraing",
    "Eupen",
    "Waremme",
    "Spa",
    "Herstal",
    "Malmedy",
    "Flémalle",
    # Hainaut
    "Mons",
    "Charleroi",
    "Tournai",
    "La Louvière",
    "Mouscron",
    "Ath",
    "Soignies",
    "Chimay",
    "Binche",
    # Luxembourg
    "Arlon",
    "Bastogne",
    "Marche-en-Famenne",
    "Libramont-Chevigny",
    "Virton",
    "Neufchâteau",
    "Durbuy",
    "Bouillon",
    # Brabant wallon
    "Wavre",
    "Ottignies-Louvain-la-Neuve",
    "Nivelles",
    "Braine-l'Alleud",
    "Waterloo",
    "Jodoigne",
    "Tubize",
    "Rixensart",
]
# The larger towns get a second organisation of another kind.
TWO_ORGANISATIONS = {
    "Namur",
    "Liège",
    "Charleroi",
    "Mons",
    "Arlon",
    "Wavre",
    "Verviers",
    "Tournai",
    "Gembloux",
    "Huy",
    "Bastogne",
    "Ottignies-Louvain-la-Neuve",
    "Dinant",
    "La Louvière",
    "Nivelles",
    "Marche-en-Famenne",
    "Eupen",
    "Seraing",
    "Mouscron",
    "Ciney",
    "Libramont-Chevigny",
    "Jodoigne",
}

NAMES = {
    Organization.Kind.COLLECTIVE: [
        "Collectif citoyen de {c}",
        "Hébergeurs solidaires de {c}",
        "Plateforme citoyenne {c}",
        "Réseau d'hospitalité de {c}",
        "Les Voisins solidaires de {c}",
        "Covoiturage solidaire {c}",
    ],
    Organization.Kind.ASSOCIATION: [
        "Maison des solidarités de {c}",
        "ASBL Accueil et Passage {c}",
        "Vestiaire solidaire de {c}",
        "Point d'appui juridique {c}",
        "Table d'hôtes solidaire de {c}",
        "Français pour tous {c}",
    ],
    Organization.Kind.MUNICIPALITY: ["Commune de {c}", "Commune hospitalière de {c}"],
}

DESCRIPTIONS = {
    Organization.Kind.COLLECTIVE: [
        "Nous sommes un groupe d'habitants de {c} et des environs qui accueillons chez nous, "
        "pour quelques nuits, des personnes migrantes en transit. Nous organisons aussi les "
        "trajets vers les gares et les rendez-vous médicaux.",
        "Collectif né en 2018 à {c}. Chaque soir, des bénévoles préparent un repas chaud et "
        "proposent un hébergement chez l'habitant. Tout le monde est le bienvenu, même pour "
        "une seule soirée par mois.",
        "Réseau informel de familles hébergeuses de la région de {c}. Nous cherchons surtout des "
        "chauffeurs disponibles en soirée et des personnes prêtes à ouvrir une chambre.",
    ],
    Organization.Kind.ASSOCIATION: [
        "Association reconnue active à {c} : accueil de jour, douches, vestiaire et permanence "
        "d'information sur les droits. Une équipe de travailleurs sociaux encadre les bénévoles.",
        "Notre ASBL propose à {c} des cours de français, une aide administrative et un "
        "accompagnement vers les services de santé. Nous travaillons avec les collectifs de la "
        "province.",
        "Lieu d'accueil à {c} ouvert en journée : café, recharge de téléphone, wifi, colis "
        "alimentaires et vêtements. Nous orientons vers l'information juridique spécialisée.",
    ],
    Organization.Kind.MUNICIPALITY: [
        "La commune de {c} a voté la motion « commune hospitalière ». Elle met à disposition des "
        "douches et un point d'eau, et soutient les collectifs citoyens de son territoire.",
        "Service de cohésion sociale de la commune de {c} : relais avec le CPAS, locaux prêtés aux "
        "associations et abri de nuit ouvert pendant le plan grand froid.",
    ],
}

ACTIVITIES = {
    Organization.Kind.COLLECTIVE: [
        [ActivitySlug.SHELTER, ActivitySlug.TRANSPORT],
        [ActivitySlug.FOOD, ActivitySlug.SHELTER],
        [ActivitySlug.TRANSPORT, ActivitySlug.CLOTHING],
    ],
    Organization.Kind.ASSOCIATION: [
        [
            ActivitySlug.DAY_SUPPORT,
            ActivitySlug.HYGIENE,
            ActivitySlug.CLOTHING,
            ActivitySlug.LEGAL_INFO,
        ],
        [ActivitySlug.LANGUAGE, ActivitySlug.LEGAL_INFO, ActivitySlug.HEALTH],
        [ActivitySlug.DAY_SUPPORT, ActivitySlug.FOOD, ActivitySlug.CLOTHING],
    ],
    Organization.Kind.MUNICIPALITY: [
        [ActivitySlug.HYGIENE, ActivitySlug.ADVOCACY],
        [ActivitySlug.SHELTER, ActivitySlug.DAY_SUPPORT],
    ],
}

# Free-text notes with the weekly periods they describe: (weekdays, opens, closes).
SCHEDULES = [
    ("Permanence téléphonique du lundi au vendredi, de 18 h à 21 h.", [((0, 1, 2, 3, 4), 18, 21)]),
    (
        "Accueil le mardi et le jeudi de 14 h à 18 h.\nDistribution de vêtements le samedi de 10 h à 12 h.",
        [((1, 3), 14, 18), ((5,), 10, 12)],
    ),
    (
        "Repas partagé chaque soir à 19 h.\nRéunion des bénévoles le premier lundi du mois.",
        [((0, 1, 2, 3, 4, 5, 6), 19, 21)],
    ),
    ("Ouvert du lundi au samedi de 9 h à 17 h.", [((0, 1, 2, 3, 4, 5), 9, 17)]),
    ("Sur rendez-vous uniquement.", []),
]
TEMPORARY_MESSAGES = [
    "Complet cette semaine : nous ne pouvons pas accueillir de nouvelles personnes avant lundi.",
    "Fermeture exceptionnelle pendant les congés de Noël.",
    "Grand besoin de chauffeurs pour les trajets vers Bruxelles ce mois-ci.",
]
STREETS = [
    "Rue de la Gare",
    "Place communale",
    "Rue du Centre",
    "Avenue de la Libération",
    "Rue des Écoles",
    "Chaussée de Bruxelles",
    "Rue Saint-Jean",
]
LANGUAGE_SETS = ["fr", "fr,en", "fr,en,ar", "fr,nl", "fr,en,es", "fr,ar,ti", "fr,de", "fr,en,fa,ps"]

DEMO_STAFF_EMAIL = "coordination@example.org"
DEMO_STAFF_PASSWORD = "demo-relais"


DEMO_RESOURCES = [
    {
        "title": "Aider sans risque : ce que dit la loi (exemple)",
        "category": Resource.Category.HELPERS_RIGHTS,
        "description": "Fiche de synthèse sur l'aide humanitaire et l'article 77 de la loi du "
        "15 décembre 1980 : ce qui est permis, ce qui ne l'est pas.",
        "url": "https://example.org/relais/aider-sans-risque.pdf",
    },
    {
        "title": "Guide de l'hébergeur solidaire (exemple)",
        "category": Resource.Category.HOSTING,
        "description": "Accueillir quelqu'un chez soi pour une nuit ou une semaine : "
        "préparer l'accueil, poser un cadre, savoir à qui s'adresser.",
        "url": "https://example.org/relais/guide-hebergeur.pdf",
    },
    {
        "title": "L'aide médicale urgente expliquée (exemple)",
        "category": Resource.Category.HEALTH,
        "description": "Comment une personne sans titre de séjour peut être soignée, "
        "et le rôle du CPAS.",
        "url": "https://example.org/relais/aide-medicale-urgente",
    },
    {
        "title": "Les étapes d'une demande de protection internationale (exemple)",
        "category": Resource.Category.ASYLUM,
        "description": "De l'enregistrement à la décision : les étapes, les délais, les "
        "interlocuteurs.",
        "url": "https://example.org/relais/procedure-asile",
        "language": "fr",
    },
    {
        "title": "Asylum procedure in Belgium, step by step (example)",
        "category": Resource.Category.ASYLUM,
        "description": "The same guide in English, to share with the people you help.",
        "url": "https://example.org/relais/asylum-procedure-en",
        "language": "en",
    },
    {
        "title": "Qui fait quoi ? Les services juridiques et sociaux en Wallonie (exemple)",
        "category": Resource.Category.ACTORS,
        "description": "Permanences juridiques, services d'aide aux migrants, centres "
        "régionaux d'intégration : les contacts utiles par province.",
        "url": "https://example.org/relais/qui-fait-quoi",
    },
]


@dataclass(frozen=True)
class DemoSummary:
    """What seed_demo created."""

    created: int
    existing: int
    staff_created: bool
    requests_created: int = 0


def _demo_rows() -> list[dict]:
    rng = random.Random(2026)
    municipalities = {
        m.search_name: m for m in Municipality.objects.prefetch_related("postal_codes")
    }
    rows = []
    kinds = list(Organization.Kind)
    for index, commune in enumerate(DEMO_COMMUNES):
        municipality = municipalities[fold(commune)]
        count = 2 if commune in TWO_ORGANISATIONS else 1
        for offset in range(count):
            kind = kinds[(index + offset) % 3]
            if kind == Organization.Kind.MUNICIPALITY and offset == 1:
                kind = Organization.Kind.COLLECTIVE
            number = len(rows) + 1
            postal_code = municipality.postal_codes.all()[0]
            visibility = (
                Organization.AddressVisibility.COMMUNE
                if kind == Organization.Kind.COLLECTIVE and number % 4 != 0
                else Organization.AddressVisibility.EXACT
            )
            name = rng.choice(NAMES[kind]).format(c=municipality.name_fr)
            schedule = rng.choice(SCHEDULES)
            needs = rng.sample(list(NeedSlug), rng.randint(1, 3)) if number % 7 else []
            neighbours = [m for m in municipalities.values() if m.province == municipality.province]
            area = [municipality, *rng.sample(neighbours, min(3, len(neighbours)))]
            rows.append(
                {
                    "external_id": f"demo-{number:03d}",
                    "name": f"{name} (exemple)",
                    "kind": kind,
                    "description": rng.choice(DESCRIPTIONS[kind]).format(c=municipality.name_fr)
                    + "\n\nFiche fictive de démonstration.",
                    "activities": [str(slug) for slug in rng.choice(ACTIVITIES[kind])],
                    "needs": [str(slug) for slug in needs],
                    "area_served": list({m.pk: m for m in area}.values()),
                    "languages": rng.choice(LANGUAGE_SETS),
                    "email": f"contact-{number:03d}@example.org",
                    "phone": f"+32 81 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    "website": f"https://exemple-{number:03d}.example.org/" if number % 3 else "",
                    "routing_email": f"routage-{number:03d}@example.org",
                    "address": f"{rng.choice(STREETS)} {rng.randint(1, 120)}",
                    "postal_code": postal_code.code,
                    "municipality": municipality,
                    "address_visibility": visibility,
                    # A fictitious point a few hundred metres from the postal code's centre.
                    "latitude": round(postal_code.latitude + rng.uniform(-0.01, 0.01), 6),
                    "longitude": round(postal_code.longitude + rng.uniform(-0.01, 0.01), 6),
                    "schedule": schedule[0],
                    "periods": schedule[1],
                    "temporary_message": TEMPORARY_MESSAGES[number % 3] if number % 9 == 0 else "",
                    "accepting_requests": number % 11 != 0,
                    "status": Organization.Status.PUBLISHED,
                    "is_example": True,
                    "hospitable_commune": kind == Organization.Kind.MUNICIPALITY,
                    "facilities": "douches, point d'eau"
                    if kind == Organization.Kind.MUNICIPALITY
                    else "",
                    "verified_at": timezone.now() - timezone.timedelta(days=rng.randint(1, 60))
                    if number % 5
                    else None,
                }
            )
    return rows


@transaction.atomic
def seed_demo() -> DemoSummary:
    """Create the demo organisations, resources and a staff account once; a second run changes nothing."""
    existing_ids = set(
        Organization.objects.filter(external_id__startswith="demo-").values_list(
            "external_id", flat=True
        )
    )
    created = 0
    for row in _demo_rows():
        if row["external_id"] in existing_ids:
            continue
        periods = row.pop("periods")
        organization = organization_create(**row)
        OpeningPeriod.objects.bulk_create(
            OpeningPeriod(
                organization=organization, weekday=day, opens_at=time(opens), closes_at=time(closes)
            )
            for days, opens, closes in periods
            for day in days
        )
        if row["external_id"].endswith("0"):
            # A few listings announce a closure, as during the winter holidays.
            today = timezone.localdate()
            Closure.objects.create(
                organization=organization,
                starts_on=today + timedelta(days=20),
                ends_on=today + timedelta(days=34),
                reason="Congés d'hiver des bénévoles",
            )
        created += 1
    for position, fields in enumerate(DEMO_RESOURCES):
        Resource.objects.get_or_create(
            title=fields["title"], defaults={**fields, "position": position, "is_example": True}
        )
    User = get_user_model()
    staff_created = False
    if not User.objects.filter(username=DEMO_STAFF_EMAIL).exists():
        User.objects.create_superuser(DEMO_STAFF_EMAIL, DEMO_STAFF_EMAIL, DEMO_STAFF_PASSWORD)
        staff_created = True
    requests_created = seed_demo_contact_requests()
    return DemoSummary(created, len(existing_ids), staff_created, requests_created)


# Fictitious contact requests, so that the staff inbox and dashboard have something to show.
# Each story is (status reached, hours to the organisation's answer or None, how it ends).
DEMO_REQUEST_STORIES = [
    ("accepted", 3, ""),
    ("accepted", 20, ""),
    ("closed", 6, "in-contact"),
    ("declined", 30, ""),
    ("accepted", 50, ""),
    ("expired", None, ""),
    ("closed", 90, "in-contact"),
    ("closed", None, "spam"),
    ("accepted", 10, ""),
    ("declined", 4, ""),
    ("new", None, ""),
    ("closed", 26, "in-contact"),
]
DEMO_FIRST_NAMES = ["Camille", "Sacha", "Dominique", "Alex", "Claude", "Maxime", "Charlie"]
DEMO_DECLINE_REASONS = [
    "Plus de place chez nos hébergeurs cette semaine.",
    "Nous ne faisons pas de trajets vers cette commune.",
]


def _at(instance, moment) -> None:
    """Backdate an auto_now_add timestamp (a demo story happened weeks ago)."""
    type(instance).objects.filter(pk=instance.pk).update(created_at=moment)


def seed_demo_contact_requests(weeks: int = 12) -> int:
    """Create fictitious requests with consistent histories over the last weeks; only once.

    The histories are written directly (not through the services) because they happened in
    the past: the services would date them now and send e-mails to fictitious people.
    """
    if ContactRequest.objects.filter(submission_key__startswith="demo-").exists():
        return 0
    rng = random.Random(2027)
    organizations = list(
        Organization.objects.filter(
            external_id__startswith="demo-",
            status=Organization.Status.PUBLISHED,
            accepting_requests=True,
        )
        .select_related("municipality")
        .order_by("external_id")
    )
    if not organizations:
        return 0
    now = timezone.now()
    # The stories fill the staff dashboard's default period exactly, whatever the weekday: it
    # starts on a Monday, so a fixed number of days would spill out of it on most days.
    period = default_period(timezone.localdate(now), weeks)
    span = now - timezone.make_aware(datetime.combine(period.start, time.min))
    system = "Relais (automatique)"
    created = 0
    # About three requests a week, the oldest first; the last days keep some waiting answers.
    count = weeks * 3
    for number in range(count):
        jitter = timedelta(hours=rng.randint(0, 20))
        age = min(span * (count - number) / count + jitter, span - timedelta(minutes=1))
        received = now - age
        organization = organizations[(number * 7) % len(organizations)]
        status, answer_hours, outcome = DEMO_REQUEST_STORIES[number % len(DEMO_REQUEST_STORIES)]
        if age < timedelta(days=4) and status != "new":
            status, answer_hours, outcome = "routed", None, ""
        if status == "expired" and age < timedelta(days=8):
            status = "routed"
        if answer_hours is not None and age < timedelta(hours=answer_hours + 1):
            # The answer would lie in the future: the organisation has not answered yet.
            status, answer_hours, outcome = "routed", None, ""
        if (
            status == "closed"
            and answer_hours is not None
            and age < timedelta(hours=answer_hours + 49)
        ):
            status, outcome = "accepted", ""
        first_name = DEMO_FIRST_NAMES[number % len(DEMO_FIRST_NAMES)]
        request = ContactRequest.objects.create(
            submission_key=f"demo-{number + 1:03d}",
            source=ContactRequest.Source.ORGANIZATION_FORM
            if number % 2
            else ContactRequest.Source.GENERAL_FORM,
            name=f"{first_name} Exemple",
            email=f"demande-{number + 1:03d}@example.org",
            message="Demande fictive de démonstration (exemple).",
            place_label=organization.municipality.name_fr,
            municipality=organization.municipality,
            latitude=organization.public_latitude,
            longitude=organization.public_longitude,
            intent=rng.choice(ContactRequest.Intent.values),
            consent_at=received,
            target_organization=organization if number % 2 else None,
        )
        events = [(received, "", "new", "la personne (formulaire)", None, "")]
        routed_at = answered_at = closed_at = None
        if status == "new":
            request.routing_reason = "aucun collectif correspondant : à router par l'équipe"
            events.append((received, "new", "new", system, None, request.routing_reason))
        elif status == "closed" and answer_hours is None:
            closed_at = received + timedelta(hours=5)
            events.append((closed_at, "new", "closed", "équipe", None, "Indésirable (spam)"))
        else:
            routed_at = received + timedelta(minutes=1)
            request.assigned_organization = organization
            request.assignment = 1
            request.routing_reason = f"sert {organization.municipality.name_fr}"
            events.append(
                (routed_at, "new", "routed", system, organization, request.routing_reason)
            )
            if answer_hours is not None:
                answered_at = routed_at + timedelta(hours=answer_hours)
                answer = "declined" if status == "declined" else "accepted"
                reason = DEMO_DECLINE_REASONS[number % 2] if answer == "declined" else ""
                events.append((answered_at, "routed", answer, "lien e-mail", organization, reason))
                auto_close = answered_at + timedelta(
                    days=settings.RELAIS_CONTACT_CLOSE_ACCEPTED_DAYS
                )
                if status == "accepted" and auto_close < now:
                    # What the timers would have done by now: no surprise on the first run.
                    status, outcome = "closed", "in-contact"
                    closed_at = auto_close
                    events.append((closed_at, "accepted", "closed", system, None, "Mis en contact"))
                elif status == "closed":
                    closed_at = answered_at + timedelta(days=2)
                    events.append(
                        (closed_at, "accepted", "closed", "équipe", None, "Mis en contact")
                    )
            elif status == "expired":
                expired_at = routed_at + timedelta(days=7)
                events.append((expired_at, "routed", "expired", system, organization, ""))
        request.status = status
        request.outcome = outcome
        request.routed_at, request.answered_at, request.closed_at = (
            routed_at,
            answered_at,
            closed_at,
        )
        request.full_clean()
        request.save()
        ContactRequest.objects.filter(pk=request.pk).update(created_at=received)
        for moment, from_status, to_status, actor, org, reason in events:
            event = ContactRequestEvent.objects.create(
                request=request,
                # "new -> new" is the routing that found nobody, not a status change.
                kind=ContactRequestEvent.Kind.UNROUTED
                if from_status == to_status
                else ContactRequestEvent.Kind.TRANSITION,
                actor_label=actor,
                from_status=from_status,
                to_status=to_status,
                organization=org,
                reason=reason,
            )
            _at(event, moment)
        created += 1
    return created
