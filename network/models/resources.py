"""Where migration 0005 finds the resource upload validator, by dotted path.

The historical migration names `network.models.resources.validate_pdf_size`; the function lives
in network/resources/models.py and stays reachable here so that migration keeps loading.
"""

from network.resources.models import validate_pdf_size

__all__ = ["validate_pdf_size"]
