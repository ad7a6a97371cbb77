"""Accounts and memberships: invitations by e-mail, removal of editors."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from network.listings.models import Organization
from network.members.auth import normalize_email, user_get_by_email
from network.members.models import Membership
from network.members.selectors import user_can_manage_members, user_is_staff
from network.members.tokens import invitation_path_kwargs
from network.outbox.services import absolute_url, email_send


@transaction.atomic
def member_invite(
    *,
    organization: Organization,
    email: str,
    role: str = Membership.Role.EDITOR,
    invited_by: AbstractBaseUser,
) -> Membership:
    """Give someone a role in an organisation and e-mail them a link to choose a password.

    Staff may invite admins and editors; an organisation's admins may invite editors. An
    address without an account gets one (user name = e-mail, no usable password yet).
    """
    address = normalize_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise ValidationError({"email": _("Cette adresse e-mail n'est pas valide.")}) from None
    if role not in Membership.Role.values:
        raise ValidationError({"role": _("Rôle inconnu.")})
    if not user_can_manage_members(invited_by, organization):
        raise PermissionDenied(_("Vous ne pouvez pas inviter de membres dans cette organisation."))
    if role == Membership.Role.ADMIN and not user_is_staff(invited_by):
        raise PermissionDenied(
            _("Seule l'équipe de la coordination peut désigner un administrateur.")
        )

    User = get_user_model()
    user = user_get_by_email(address)
    if user is None:
        user = User(username=address, email=address)
        user.set_unusable_password()
        user.full_clean()
        user.save()
    elif Membership.objects.filter(user=user, organization=organization).exists():
        raise ValidationError(
            {
                "email": _("Cette personne est déjà membre de %(name)s.")
                % {"name": organization.name}
            }
        )
    membership = Membership(user=user, organization=organization, role=role)
    membership.full_clean()
    membership.save()
    _queue_invitation(membership, invited_by)
    return membership


@transaction.atomic
def member_reinvite(*, membership: Membership, invited_by: AbstractBaseUser) -> Membership:
    """Send the invitation again (a new link) to a member who has not chosen a password yet."""
    if not user_can_manage_members(invited_by, membership.organization):
        raise PermissionDenied(_("Vous ne pouvez pas inviter de membres dans cette organisation."))
    if membership.user.has_usable_password():
        raise ValidationError(
            _("Cette personne a déjà un mot de passe : elle peut se connecter ou le réinitialiser.")
        )
    _queue_invitation(membership, invited_by)
    return membership


@transaction.atomic
def member_remove(*, membership: Membership, actor: AbstractBaseUser) -> None:
    """Remove someone from an organisation: staff remove anyone, admins remove editors.

    The account stays (it may belong to other organisations); only the membership goes.
    """
    organization = membership.organization
    if not user_can_manage_members(actor, organization):
        raise PermissionDenied(_("Vous ne pouvez pas retirer de membres de cette organisation."))
    if membership.role == Membership.Role.ADMIN and not user_is_staff(actor):
        raise PermissionDenied(
            _("Seule l'équipe de la coordination peut retirer un administrateur.")
        )
    membership.delete()


def _queue_invitation(membership: Membership, invited_by: AbstractBaseUser) -> None:
    user = membership.user
    if user.has_usable_password():
        link = absolute_url("network:login")
        template = "member_added"
    else:
        link = absolute_url("network:invitation_accept", **invitation_path_kwargs(user))
        template = "invitation"
    email_send(
        template,
        user.email,
        {
            "organization_name": membership.organization.name,
            "role": membership.get_role_display(),
            "invited_by": invited_by.get_full_name()
            or invited_by.email
            or _("l'équipe de la coordination"),
            "link": link,
        },
    )
