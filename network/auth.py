"""Where sessions find the login backend, by dotted path.

Django stores "network.auth.EmailBackend" in every logged-in session and only trusts a session
whose backend is listed in AUTHENTICATION_BACKENDS under that name: the code lives in
network/members/auth.py, and this name stays so that moving it logs no member out.
"""

from network.members.auth import EmailBackend

__all__ = ["EmailBackend"]
