"""Staff pages to import organisations from a spreadsheet (upload, preview, confirm) and export them."""

import base64
import csv
import hashlib

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from network.imports.columns import COLUMNS
from network.imports.selectors import import_batch_list_recent, organization_csv_rows
from network.imports.services import ImportFileError, import_batch_undo, organizations_import_csv
from network.listings.models import ImportBatch

SESSION_KEY = "relais_organization_import"
PREVIEW_ROWS = 200


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Fichier CSV"),
        help_text=gettext_lazy(
            "UTF-8, séparateur « ; » ou « , », une ligne d'en-tête avec les colonnes attendues."
        ),
    )
    update = forms.BooleanField(
        label=gettext_lazy("Mettre à jour les organisations déjà présentes"), required=False
    )
    skip_invalid = forms.BooleanField(
        label=gettext_lazy("Importer les lignes valides même si d'autres sont invalides"),
        required=False,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.RELAIS_IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                _("Le fichier dépasse %(size)s Mo.") % {"size": limit // (1024 * 1024)}
            )
        return upload.read()


def _pending(request):
    """The uploaded file waiting for confirmation, kept in the session between the two steps."""
    stored = request.session.get(SESSION_KEY)
    if not stored:
        return None
    return {**stored, "data": base64.b64decode(stored["data"])}


@require_http_methods(["GET", "POST"])
def organization_import(request):
    """Upload a CSV and see what it would do (nothing is written at this step)."""
    result = None
    file_error = None
    if request.method == "POST":
        form = ImportUploadForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.cleaned_data["file"]
            options = {
                "update": form.cleaned_data["update"],
                "skip_invalid": form.cleaned_data["skip_invalid"],
            }
            try:
                result = organizations_import_csv(data, dry_run=True, **options)
            except ImportFileError as error:
                file_error = error.message
            else:
                request.session[SESSION_KEY] = {
                    "data": base64.b64encode(data).decode("ascii"),
                    "digest": hashlib.sha256(data).hexdigest(),
                    "name": request.FILES["file"].name[:200],
                    **options,
                }
    else:
        form = ImportUploadForm()
        request.session.pop(SESSION_KEY, None)
    can_confirm = result is not None and (not result.errors or form.cleaned_data["skip_invalid"])
    can_confirm = can_confirm and (result.created or result.updated)
    return render(
        request,
        "directory/organization_import.html",
        {
            "form": form,
            "result": result,
            "file_error": file_error,
            "can_confirm": can_confirm,
            # Each changed row with its changes field by field; unchanged rows are only counted.
            "changed_rows": result.changed_rows[:PREVIEW_ROWS] if result else [],
            "created_rows": result.created_rows[:PREVIEW_ROWS] if result else [],
            "preview_limit": PREVIEW_ROWS,
            "columns": COLUMNS,
            "batches": import_batch_list_recent(),
            "digest": request.session.get(SESSION_KEY, {}).get("digest", "") if result else "",
        },
    )


@require_http_methods(["POST"])
def organization_import_confirm(request):
    """Import the previewed file, exactly as previewed."""
    pending = _pending(request)
    if pending is None or request.POST.get("digest") != pending["digest"]:
        messages.error(request, _("Aucun fichier en attente : chargez-le à nouveau."))
        return redirect("network:organization_import")
    try:
        result = organizations_import_csv(
            pending["data"],
            update=pending["update"],
            skip_invalid=pending["skip_invalid"],
            actor=request.user,
            file_name=pending["name"],
        )
    except ImportFileError as error:
        messages.error(request, error.message)
        return redirect("network:organization_import")
    request.session.pop(SESSION_KEY, None)
    if result.applied:
        messages.success(request, result.summary)
    else:
        messages.error(request, result.summary)
    return redirect("network:organization_import")


@require_http_methods(["POST"])
def organization_import_undo(request, pk: int):
    """Undo a whole import: its changes reverted, its created listings removed, or nothing."""
    batch = get_object_or_404(ImportBatch, pk=pk)
    try:
        undone = import_batch_undo(batch, actor=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(
            request,
            _(
                "Import annulé : %(reverted)s fiche(s) remises comme avant, %(deleted)s fiche(s) "
                "créées par l'import supprimées. Chaque annulation figure dans l'historique."
            )
            % {"reverted": undone.reverted, "deleted": undone.deleted},
        )
    return redirect("network:organization_import")


class _Echo:
    def write(self, value):
        return value


@require_GET
def organization_export(request):
    """Download the organisations as CSV; private columns only when asked for."""
    include_private = request.GET.get("include_private") == "1"
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\n")

    def lines():
        yield "\ufeff" + writer.writerow(COLUMNS)
        for row in organization_csv_rows(include_private=include_private):
            yield writer.writerow(row)

    suffix = "complet" if include_private else "public"
    filename = f"relais-organisations-{suffix}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
