"""Log in by e-mail, log out, reset or change a password, accept an invitation."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from network.members.forms import EmailLoginForm
from network.members.tokens import invitation_token_generator


class LoginView(auth_views.LoginView):
    """The login page; django-axes counts the failures and locks out after too many."""

    form_class = EmailLoginForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Log out (POST only, as Django requires) and go back to the directory."""


class PasswordResetView(auth_views.PasswordResetView):
    """Ask for a reset link by e-mail; says the same whether or not the address is known."""

    template_name = "registration/password_reset_form.html"
    email_template_name = "registration/password_reset_email.txt"
    subject_template_name = "registration/password_reset_subject.txt"
    success_url = reverse_lazy("network:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "registration/password_reset_confirm.html"
    success_url = reverse_lazy("network:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "registration/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"
    success_url = reverse_lazy("network:dashboard")

    def form_valid(self, form):
        messages.success(self.request, _("Votre mot de passe a été changé."))
        return super().form_valid(form)


class InvitationAcceptView(auth_views.PasswordResetConfirmView):
    """The signed link of an invitation: choose a password, then land in the member space."""

    template_name = "registration/invitation_accept.html"
    token_generator = invitation_token_generator
    reset_url_token = "choisir-mot-de-passe"
    post_reset_login = True
    post_reset_login_backend = "network.auth.EmailBackend"
    success_url = reverse_lazy("network:dashboard")

    def form_valid(self, form):
        response = super().form_valid(form)
        messages.success(
            self.request,
            _("Bienvenue ! Votre mot de passe est enregistré. Voici votre espace membre."),
        )
        return response


def lockout_response(request, original_response=None, credentials=None):
    """The page django-axes shows once a client is locked out: why, for how long, what to do."""
    cooloff = settings.AXES_COOLOFF_TIME
    minutes = int(cooloff.total_seconds() // 60) if cooloff else None
    return render(
        request,
        "registration/lockout.html",
        {"failure_limit": settings.AXES_FAILURE_LIMIT, "minutes": minutes},
        status=429,
    )
