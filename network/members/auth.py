"""Authentication by e-mail address: members never have to remember a separate user name."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest


def normalize_email(email: str) -> str:
    """The form an e-mail address is stored and compared in: trimmed and lower-case."""
    return (email or "").strip().lower()


def user_get_by_email(email: str):
    """The active or inactive user whose e-mail (or user name) matches, ignoring case, or None."""
    User = get_user_model()
    address = normalize_email(email)
    if not address:
        return None
    # The user name wins over the e-mail field: staff accounts created by hand may share an
    # e-mail address, but user names are unique.
    return (
        User.objects.filter(username__iexact=address).first()
        or User.objects.filter(email__iexact=address).order_by("pk").first()
    )


class EmailBackend(ModelBackend):
    """Log in with an e-mail address and a password, the address matched case-insensitively."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs,
    ):
        """The user for this e-mail and password, or None."""
        email = username if username is not None else kwargs.get("email")
        if email is None or password is None:
            return None
        user = user_get_by_email(email)
        if user is None:
            # Run the hasher anyway so the response time does not reveal unknown addresses.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def axes_username(request: HttpRequest, credentials: dict | None) -> str:
    """The name django-axes counts failures under: the e-mail, so "A@x" and "a@x" add up."""
    if credentials and credentials.get("username"):
        return normalize_email(credentials["username"])
    return normalize_email(request.POST.get("username", "")) if request is not None else ""
