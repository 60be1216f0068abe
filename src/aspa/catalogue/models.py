import uuid

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Named(models.Model):
    """A catalogue entry with a stable code and a name in Finnish, Swedish and English."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name_fi = models.CharField(_("name in Finnish"), max_length=200)
    name_sv = models.CharField(_("name in Swedish"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    active = models.BooleanField(_("in use"), default=True)

    class Meta:
        abstract = True
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        """The name in the current language, falling back to Finnish."""
        language = (get_language() or "fi")[:2]
        return getattr(self, f"name_{language}", "") or self.name_fi

    def names(self) -> dict[str, str]:
        return {"fi": self.name_fi, "sv": self.name_sv or self.name_fi, "en": self.name_en or self.name_fi}


class Department(Named):
    is_service_centre = models.BooleanField(
        _("customer service centre"), default=False,
        help_text=_("Requests the centre resolves itself belong to this department."),
    )

    class Meta(Named.Meta):
        verbose_name = _("department")
        verbose_name_plural = _("departments")


class Team(Named):
    class Assignment(models.TextChoices):
        MANUAL = "manual", _("manual")
        ROUND_ROBIN = "round_robin", _("round robin")
        LEAST_LOADED = "least_loaded", _("by current load")

    department = models.ForeignKey(Department, verbose_name=_("department"),
                                   on_delete=models.PROTECT, related_name="teams")
    assignment = models.CharField(_("assignment of new requests"), max_length=20,
                                  choices=Assignment.choices, default=Assignment.MANUAL)

    class Meta(Named.Meta):
        verbose_name = _("team")
        verbose_name_plural = _("teams")


class Channel(Named):
    class Meta(Named.Meta):
        verbose_name = _("channel")
        verbose_name_plural = _("channels")


class RequestType(Named):
    class Meta(Named.Meta):
        verbose_name = _("request type")
        verbose_name_plural = _("request types")


class Segment(Named):
    """A customer group (asiakassegmentti)."""

    class Meta(Named.Meta):
        verbose_name = _("customer segment")
        verbose_name_plural = _("customer segments")


class ExternalOrganisation(Named):
    """Another organisation the centre redirects customers to or forwards requests to."""

    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    guidance_fi = models.TextField(_("guidance in Finnish"), blank=True)
    guidance_sv = models.TextField(_("guidance in Swedish"), blank=True)
    guidance_en = models.TextField(_("guidance in English"), blank=True)

    class Meta(Named.Meta):
        verbose_name = _("external organisation")
        verbose_name_plural = _("external organisations")


class ServiceCategory(Named):
    """A topic the portal's service finder groups services by (seed 000 slide 22)."""

    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)

    class Meta(Named.Meta):
        ordering = ["position", "code"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")


class LifeSituation(Named):
    """A moment in a resident's life (moving in, a baby, a business) that needs several services."""

    position = models.PositiveSmallIntegerField(_("position in lists"), default=0)
    introduction_fi = models.TextField(_("introduction in Finnish"), blank=True)
    introduction_sv = models.TextField(_("introduction in Swedish"), blank=True)
    introduction_en = models.TextField(_("introduction in English"), blank=True)

    class Meta(Named.Meta):
        ordering = ["position", "code"]
        verbose_name = _("life situation")
        verbose_name_plural = _("life situations")

    @property
    def introduction(self) -> str:
        return _in_language(self, "introduction")


def _in_language(entry: models.Model, field: str) -> str:
    """A translated text field in the current language, falling back to Finnish."""
    language = (get_language() or "fi")[:2]
    return getattr(entry, f"{field}_{language}", "") or getattr(entry, f"{field}_fi")


class Service(Named):
    department = models.ForeignKey(Department, verbose_name=_("owning department"),
                                   on_delete=models.PROTECT, related_name="services")
    request_types = models.ManyToManyField(RequestType, verbose_name=_("request types accepted"),
                                           related_name="services", blank=True)
    channels = models.ManyToManyField(Channel, verbose_name=_("channels accepted"),
                                      related_name="services", blank=True)
    target_days = models.PositiveSmallIntegerField(
        _("service-level target (working days)"), default=10,
    )
    description_fi = models.TextField(_("description in Finnish"), blank=True)
    description_sv = models.TextField(_("description in Swedish"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    categories = models.ManyToManyField(ServiceCategory, verbose_name=_("categories"),
                                        related_name="services", blank=True)
    life_situations = models.ManyToManyField(LifeSituation, verbose_name=_("life situations"),
                                             related_name="services", blank=True)

    class Meta(Named.Meta):
        verbose_name = _("service")
        verbose_name_plural = _("services")

    @property
    def description(self) -> str:
        return _in_language(self, "description")


class Product(Named):
    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT,
                                related_name="products")
    price = models.DecimalField(_("price (EUR)"), max_digits=10, decimal_places=2, null=True, blank=True)

    class Meta(Named.Meta):
        verbose_name = _("product")
        verbose_name_plural = _("products")


class CatalogueVersion(models.Model):
    """One row whose token changes with every change to the catalogue, in the change's own
    transaction: each process compares it with the token its cached catalogue was read under
    (catalogue/cache.py), so a change made in one process reaches the others' desk pages. Not in
    the admin (nobody edits it), so it has no translated names."""

    token = models.UUIDField(default=uuid.uuid4)

    def __str__(self) -> str:
        return str(self.token)
