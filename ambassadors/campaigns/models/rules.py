"""The rules of French law as data: `ComplianceRules`, a Wagtail setting."""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting

from .common import NON_NEGATIVE, split_lines

DEFAULT_CONTRACT_TEMPLATE = """\
CONTRAT D'INFLUENCE COMMERCIALE — {year}

Entre {advertiser}, l'annonceur,
et {creator_name}, {creator_address}, résidence fiscale : {creator_tax_residence},
numéro d'immatriculation : {creator_company_number}, l'influenceur ou l'influenceuse.

1. Missions confiées
{missions}

2. Rémunération et avantages en nature
Rémunération en numéraire : {cash} € HT.
Avantages en nature : {in_kind} (valeur totale {in_kind_value} € HT).
Valeur totale des prestations : {total} € HT.

3. Droits cédés
{rights}

4. Mentions obligatoires
Chaque contenu porte la mention {mentions}, claire, lisible et identifiable, conformément à la
loi n° 2023-451 du 9 juin 2023.

5. Droit applicable
Le présent contrat est soumis au droit français.
"""

# What a contract template must name: the mandatory clauses (décret n° 2025-1137).
CONTRACT_PLACEHOLDERS = (
    "advertiser",
    "creator_name",
    "creator_address",
    "creator_tax_residence",
    "missions",
    "cash",
    "in_kind",
    "total",
    "rights",
)


def validate_contract_template(value: str) -> None:
    missing = [name for name in CONTRACT_PLACEHOLDERS if "{" + name + "}" not in value]
    if missing:
        raise ValidationError(
            _("The template must contain %(fields)s (the mandatory clauses).")
            % {"fields": ", ".join("{" + name + "}" for name in missing)}
        )
    if "droit français" not in value.lower() and "french law" not in value.lower():
        raise ValidationError(_("The template must say that French law applies."))


@register_setting(icon="doc-full")
class ComplianceRules(BaseGenericSetting):
    """The rules of the law on influence (loi n° 2023-451, art. 5-2; ordonnance n° 2024-978;
    décret n° 2025-1137), as data staff edit: the next change of law is a setting."""

    advertising_mentions = models.TextField(
        _("advertising mentions"),
        default="Publicité\nCollaboration commerciale",
        help_text=_("One per line: a gifted or paid content must carry one of them."),
    )
    accepted_equivalents = models.TextField(
        _("equivalent mentions accepted by staff"),
        blank=True,
        default="",
        help_text=_("One per line: other wordings the agency accepts in their place."),
    )
    retouched_mention = models.CharField(
        _("mention for retouched images"), max_length=100, default="Images retouchées"
    )
    virtual_mention = models.CharField(
        _("mention for virtual images"), max_length=100, default="Images virtuelles"
    )
    contract_threshold = models.DecimalField(
        _("written contract from (€ excl. VAT)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("1000.00"),
        validators=NON_NEGATIVE,
        help_text=_("Per creator, advertiser and calendar year: cash plus in-kind value."),
    )
    contract_template = models.TextField(
        _("contract template"),
        default=DEFAULT_CONTRACT_TEMPLATE,
        validators=[validate_contract_template],
        help_text=_(
            "Placeholders: {year} {advertiser} {creator_name} {creator_address} "
            "{creator_tax_residence} {creator_company_number} {missions} {cash} {in_kind} "
            "{in_kind_value} {total} {rights} {mentions}"
        ),
    )

    class Meta:
        verbose_name = _("Campaign compliance rules")

    @property
    def mention_list(self) -> list[str]:
        return split_lines(self.advertising_mentions) + split_lines(self.accepted_equivalents)
