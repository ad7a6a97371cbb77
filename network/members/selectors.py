"""Who may see and change which organisation. Every member view and API endpoint asks here."""

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import QuerySet
from django.http import Http404

from network.listings.models import Organization
from network.members.models import Membership


def user_is_staff(user: AbstractBaseUser | AnonymousUser) -> bool:
    """Staff of the coordination: they see and change every listing."""
    return bool(user.is_authenticated and user.is_active and user.is_staff)


def organization_list_editable_by(user: AbstractBaseUser | AnonymousUser) -> QuerySet[Organization]:
    """The organisations a user may edit: all for staff, their own for members, none otherwise."""
    if not (user.is_authenticated and user.is_active):
        return Organization.objects.none()
    organizations = Organization.objects.select_related("municipality")
    if user_is_staff(user):
        return organizations.all()
    return organizations.filter(memberships__user=user).distinct()


def user_can_edit_organization(
    user: AbstractBaseUser | AnonymousUser, organization: Organization
) -> bool:
    """Whether the user may change this listing and read its private fields and requests."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user_is_staff(user)
        or Membership.objects.filter(user=user, organization=organization).exists()
    )


def user_can_manage_members(
    user: AbstractBaseUser | AnonymousUser, organization: Organization
) -> bool:
    """Whether the user may invite and remove this organisation's editors (its admins, staff)."""
    if not (user.is_authenticated and user.is_active):
        return False
    return (
        user_is_staff(user)
        or Membership.objects.filter(
            user=user, organization=organization, role=Membership.Role.ADMIN
        ).exists()
    )


def organization_get_editable(user: AbstractBaseUser | AnonymousUser, slug: str) -> Organization:
    """One organisation the user may edit, or 404 (never saying whether it exists)."""
    organization = organization_list_editable_by(user).filter(slug=slug).first()
    if organization is None:
        raise Http404("Organisation introuvable.")
    return organization


def membership_list_for_user(user: AbstractBaseUser) -> QuerySet[Membership]:
    """A member's memberships with their organisations, by organisation name."""
    return (
        Membership.objects.filter(user=user)
        .select_related("organization", "organization__municipality")
        .order_by("organization__name", "pk")
    )


def membership_list_for_organization(organization: Organization) -> QuerySet[Membership]:
    """The members of an organisation, admins first."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("role", "user__email", "pk")
    )
