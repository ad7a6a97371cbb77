"""Where migrations 0007 and later find the contact models' default callables, by dotted path.

Historical migrations name `network.models.contact_requests.new_reference` and `new_nonce`;
the functions live in network/contact/models.py and stay reachable here so those migrations
keep loading unchanged.
"""

from network.contact.models import new_nonce, new_reference

__all__ = ["new_nonce", "new_reference"]
