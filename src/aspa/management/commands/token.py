from django.core.management.base import BaseCommand, CommandError

from aspa.catalogue.models import Department
from aspa.errors import DomainError
from aspa.identity import operations
from aspa.identity.models import Role


class Command(BaseCommand):
    help = "Create or revoke API tokens. `token create` prints the new token alone on its last line."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token")
        create.add_argument("--role", required=True, choices=[r for r in Role.values if r != Role.RESIDENT])
        create.add_argument("--name", required=True)
        create.add_argument("--department", help="Department code, for an expert's token")
        revoke = sub.add_parser("revoke", help="Revoke a token by its prefix or name")
        revoke.add_argument("token", help="The token's prefix (first 12 characters) or name")

    def handle(self, *args, **options):
        try:
            if options["action"] == "create":
                department = None
                if options.get("department"):
                    department = Department.objects.filter(code=options["department"]).first()
                    if department is None:
                        raise CommandError(f"Unknown department: {options['department']}")
                token, key = operations.create_token(role=options["role"], name=options["name"], department=department)
                self.stderr.write(f"Token {token.name!r} for role {options['role']} created. It is shown only once:")
                self.stdout.write(key)
            else:
                count = operations.revoke_token(prefix_or_name=options["token"])
                self.stdout.write(f"Revoked {count} token(s).")
        except DomainError as error:
            details = "; ".join(f"{k}: {' '.join(map(str, v))}" for k, v in error.fields.items())
            raise CommandError(f"{error.message} {details}".strip()) from None
