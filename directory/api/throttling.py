"""Rate limits of the API: one budget for anonymous clients, one for signed-in members."""

from rest_framework.throttling import UserRateThrottle


class MemberRateThrottle(UserRateThrottle):
    """The members' budget only. DRF's UserRateThrottle also counts anonymous clients by address,
    on top of AnonRateThrottle: a second counter (two more cache round trips per request) that
    could only ever be the looser of the two limits."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)
