import hashlib

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ADVISOR = "advisor", _("Service advisor")
    EXPERT = "expert", _("Expert")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMIN = "admin", _("Administrator")
    INTEGRATION = "integration", _("Integration client")


STAFF_ROLES = {Role.ADVISOR, Role.EXPERT, Role.SUPERVISOR, Role.ADMIN, Role.INTEGRATION}


class User(AbstractUser):
    """A person or system that signs in. The role decides what it may do; an expert is
    scoped to a department (and optionally a team)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.RESIDENT)
    department = models.ForeignKey(
        "catalogue.Department", verbose_name=_("department"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="staff",
    )
    team = models.ForeignKey(
        "catalogue.Team", verbose_name=_("team"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="members",
    )
    language = models.CharField(_("language"), max_length=2, default="fi",
                                choices=[("fi", "suomi"), ("sv", "svenska"), ("en", "English")])
    # A resident's own customer record, set when they sign in with strong identification.
    party = models.OneToOneField(
        "customers.Party", verbose_name=_("customer record"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="user",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_staff_role(self) -> bool:
        return self.role in STAFF_ROLES


class ApiToken(models.Model):
    """A bearer token for the REST API. Only a hash is stored; the token is shown once."""

    user = models.ForeignKey(User, verbose_name=_("user"), on_delete=models.CASCADE,
                             related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=12, help_text=_("The first characters, to tell tokens apart."))
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def hash_key(key: str) -> str:
        # Tokens are long random strings, so a plain SHA-256 is enough (no salt or slow hash).
        return hashlib.sha256(key.encode()).hexdigest()


class UsedSamlMessage(models.Model):
    """The id of a SAML response or assertion that has logged someone in. A second use of the
    same id is a replay and is refused; rows are deleted once the message would have expired."""

    message_id = models.CharField(_("message id"), max_length=256, unique=True)
    used_at = models.DateTimeField(_("used"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), db_index=True)

    class Meta:
        verbose_name = _("used SAML message")
        verbose_name_plural = _("used SAML messages")

    def __str__(self) -> str:
        return self.message_id
