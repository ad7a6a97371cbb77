import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from network.resources.models import Resource

pytestmark = pytest.mark.django_db


def test_guide_explains_the_limits_and_lists_published_resources_by_category(client):
    Resource.objects.create(
        title="Fiche hébergement", category="hosting", url="https://example.org/h"
    )
    Resource.objects.create(title="Fiche santé", category="health", url="https://example.org/s")
    Resource.objects.create(
        title="Brouillon", category="health", url="https://example.org/b", is_published=False
    )
    html = client.get("/citoyen-solidaire/").content.decode()
    assert "aide humanitaire est permise" in html
    assert "aidez personne à franchir une frontière" in html
    assert html.index("Hébergement") < html.index("Fiche hébergement") < html.index("Santé")
    assert 'href="https://example.org/s"' in html
    assert "Brouillon" not in html


def test_resource_needs_a_link_or_a_document():
    resource = Resource(title="Vide", category="actors")
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "Indiquez un lien ou joignez un PDF." in str(error.value)


def test_only_pdf_documents_are_accepted(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    resource = Resource(
        title="Exécutable",
        category="actors",
        document=SimpleUploadedFile("virus.exe", b"MZ", content_type="application/octet-stream"),
    )
    with pytest.raises(ValidationError) as error:
        resource.full_clean()
    assert "document" in error.value.message_dict
