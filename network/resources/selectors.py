"""Reads of the resources for helpers."""

from itertools import groupby

from django.db.models import QuerySet

from network.resources.models import Resource


def resource_list_public() -> QuerySet[Resource]:
    """Published resources, by category then position."""
    return Resource.objects.filter(is_published=True)


def resource_groups_public() -> list[tuple[str, list[Resource]]]:
    """Published resources grouped under their category label, in the categories' order."""
    order = {value: index for index, value in enumerate(Resource.Category.values)}
    resources = sorted(
        resource_list_public(), key=lambda r: (order[r.category], r.position, r.title)
    )
    return [
        (Resource.Category(category).label, list(items))
        for category, items in groupby(resources, key=lambda r: r.category)
    ]
