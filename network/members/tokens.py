"""Signed, expiring links that let an invited member choose a password."""

from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.utils.crypto import constant_time_compare
from django.utils.encoding import force_bytes
from django.utils.http import base36_to_int, urlsafe_base64_encode


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """Like a password-reset token (void once a password is set or the user logs in), under its
    own salt and valid for RELAIS_INVITATION_TIMEOUT_DAYS."""

    key_salt = "network.tokens.InvitationTokenGenerator"

    def check_token(self, user, token) -> bool:
        """Whether the token is this user's and younger than the invitation delay."""
        if not (user and token):
            return False
        try:
            timestamp = base36_to_int(token.split("-")[0])
        except ValueError:
            return False
        if not any(
            constant_time_compare(self._make_token_with_timestamp(user, timestamp, secret), token)
            for secret in [self.secret, *self.secret_fallbacks]
        ):
            return False
        age = self._num_seconds(self._now()) - timestamp
        return age <= settings.RELAIS_INVITATION_TIMEOUT_DAYS * 24 * 3600


invitation_token_generator = InvitationTokenGenerator()


def invitation_path_kwargs(user) -> dict[str, str]:
    """The URL arguments of a user's invitation link."""
    return {
        "uidb64": urlsafe_base64_encode(force_bytes(user.pk)),
        "token": invitation_token_generator.make_token(user),
    }
