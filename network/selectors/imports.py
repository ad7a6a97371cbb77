"""The CSV imports staff ran, for the import page's list of recent imports and their undo."""

from network.models import ImportBatch


def import_batch_list_recent(limit: int = 10) -> list[ImportBatch]:
    """The latest imports that wrote something, newest first, with who ran and who undid them."""
    return list(
        ImportBatch.objects.select_related("actor", "undone_by").order_by("-created_at", "-pk")[
            :limit
        ]
    )
