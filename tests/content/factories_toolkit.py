"""Brand kit and welcome pack data for the toolkit tests."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.tests.utils import get_test_image_file

from content.models import (
    BrandLicence,
    HomePage,
    ToolkitAsset,
    ToolkitPage,
    WelcomeOffer,
    WelcomePackPage,
)

RULES = "<p>Use the mark as it is, on material about the territory.</p>"


def make_toolkit_page(*, slug="kit", rules_version=1, **fields) -> ToolkitPage:
    home = HomePage.objects.get(depth=2)
    page = home.add_child(
        instance=ToolkitPage(
            title="Kit de marque",
            slug=slug,
            intro="Logos et messages.",
            usage_rules=RULES,
            usage_rules_version=rules_version,
            **fields,
        )
    )
    page.save_revision().publish()
    return page


def make_document(*, name="modele.txt", content=b"Bonjour Morvellec"):
    Document = get_document_model()
    document = Document(title=name)
    document.file.save(name, ContentFile(content), save=False)
    document.file_size = len(content)
    document.save()
    return document


def make_image(title="preview"):
    return get_image_model().objects.create(title=title, file=get_test_image_file(size=(64, 40)))


def make_asset(*, page, licensed=False, kind=ToolkitAsset.Kind.TEMPLATE, preview=None, **fields):
    fields.setdefault("title", "Marque" if licensed else "Modèle")
    document = fields.pop("document", None) or make_document(
        name="marque.png" if licensed else "modele.txt"
    )
    return ToolkitAsset.objects.create(
        page=page, kind=kind, licensed=licensed, document=document, preview=preview, **fields
    )


def make_licence(*, asset, holder, status=BrandLicence.Status.REQUESTED, **fields):
    if status == BrandLicence.Status.APPROVED:
        fields.setdefault("valid_until", timezone.localdate() + timedelta(days=30))
    fields.setdefault("accepted_rules_version", asset.page.usage_rules_version)
    fields.setdefault("intended_use", "Sur nos sachets de café torréfié à Kerbrat.")
    return BrandLicence.objects.create(asset=asset, holder=holder, status=status, **fields)


def make_welcome_pack(*, offers=4, **fields) -> WelcomePackPage:
    home = HomePage.objects.get(depth=2)
    fields.setdefault("last_reviewed_at", timezone.localdate() - timedelta(days=3))
    page = WelcomePackPage(
        title="Bienvenue à Morvellec",
        slug=fields.pop("slug", "bienvenue"),
        intro="Des offres pour vos premiers mois.",
        **fields,
    )
    for index in range(offers):
        page.offers.add(
            WelcomeOffer(
                title=f"Offre {index}",
                provider=f"Partenaire {index}",
                description="Une belle offre.",
                conditions=f"Conditions {index}",
                contact=f"contact{index}@example.org",
                url=f"https://partner{index}.example/",
            )
        )
    home.add_child(instance=page)
    page.save_revision().publish()
    return page
