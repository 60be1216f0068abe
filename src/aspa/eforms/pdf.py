"""The PDF copy of a filed form, drawn with fpdf2 from the stored answers (nothing is kept on
disk: the copy is always made from the structured data).

A Unicode TrueType font is used where the system has one (DejaVu Sans on Debian); otherwise
fpdf2's built-in Helvetica, whose Latin-1 encoding still covers å, ä and ö."""

from pathlib import Path

from django.utils import formats, translation
from django.utils.translation import gettext as _
from fpdf import FPDF

from aspa.eforms.models import Submission

FONT_DIRECTORIES = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))


class _Copy(FPDF):
    def __init__(self) -> None:
        super().__init__(format="A4")
        self.unicode = False
        for directory in FONT_DIRECTORIES:
            regular, bold = directory / "DejaVuSans.ttf", directory / "DejaVuSans-Bold.ttf"
            if regular.exists() and bold.exists():
                self.add_font("body", "", str(regular))
                self.add_font("body", "B", str(bold))
                self.unicode = True
                break
        self.family = "body" if self.unicode else "helvetica"
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(18, 18, 18)

    def encode(self, value: str) -> str:
        # Helvetica only encodes Latin-1; anything else becomes "?" rather than an error.
        return value if self.unicode else value.encode("latin-1", "replace").decode("latin-1")

    def line_of(self, value: str, size: float = 10, bold: bool = False, gap: float = 1.5) -> None:
        self.set_font(self.family, "B" if bold else "", size)
        self.multi_cell(0, size * 0.5, self.encode(value), new_x="LMARGIN", new_y="NEXT")
        self.ln(gap)


def render_copy(submission: Submission, summary: list[dict]) -> bytes:
    """The copy in the language the form was filed in."""
    service_request = submission.request
    form = submission.version.form
    with translation.override(submission.language):
        document = _Copy()
        document.set_title(f"{form.title} {service_request.number}")
        document.add_page()
        document.line_of(form.title, size=16, bold=True, gap=3)
        document.line_of(_("Request number: %(number)s") % {"number": service_request.number}, bold=True)
        document.line_of(_("Filed: %(when)s") % {
            "when": formats.date_format(service_request.created_at, "SHORT_DATETIME_FORMAT")})
        document.line_of(_("Service: %(service)s") % {"service": form.service.name})
        document.line_of(_("Form version: %(number)s") % {"number": submission.version.number}, gap=5)
        for section in summary:
            document.line_of(section["title"], size=12, bold=True, gap=2)
            for row in section["rows"]:
                document.line_of(row["label"], size=9, bold=True, gap=0.5)
                document.line_of(row["value"], size=10, gap=2.5)
            document.ln(2)
    return bytes(document.output())
