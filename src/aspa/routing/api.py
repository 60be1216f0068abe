"""/api/v1/routing: suggestions of service and department for a free text (staff only)."""

from ninja import Field, Router, Schema

from aspa.catalogue.queries import by_code
from aspa.identity.access import STAFF, require_role
from aspa.routing import queries
from aspa.routing.rules import RuleFileError

router = Router(tags=["routing"])


class SuggestIn(Schema):
    text: str = Field(description="The customer's message in their own words", max_length=queries.MAX_TEXT)
    language: str = Field(description="fi, sv or en")
    channel: str | None = Field(None, description="Channel code, e.g. email")
    type: str | None = Field(None, description="Request type code; only services that take this type are suggested")


class SuggestionOut(Schema):
    service: str
    department: str
    score: float = Field(description="Confidence from 0 to 1")


class RuleOut(Schema):
    version: int = Field(description="Version of the published rule set")
    rule: str = Field(description="The rule's id in the DMN file")
    row: int
    description: str
    team: str | None = None
    department: str | None = None
    priority: str | None = None
    service_days: int | None = None
    first_level: bool | None = None


class SuggestOut(Schema):
    suggestions: list[SuggestionOut] = Field(description="Best first")
    rule: RuleOut | None = Field(description="What the published routing rules decide for this text before a "
                                             "service is chosen (rules on channel, language and keywords), or null")


@router.post("/suggest", response=SuggestOut, summary="Suggest a service and a department for a free text")
def suggest(request, payload: SuggestIn):
    require_role(request.auth, STAFF)
    channel = by_code("channel", payload.channel, "channel")
    request_type = by_code("type", payload.type, "type")
    suggestions = queries.suggest(payload.text, payload.language, type=request_type.code if request_type else None)
    rule = None
    active = queries.active_table()
    if active is not None:
        rule_set, table = active
        facts = queries.Facts(type=request_type.code if request_type else None,
                              channel=channel.code if channel else None, language=payload.language,
                              text=payload.text)
        try:
            decision = table.decide(facts.as_dict())
        except RuleFileError:
            decision = None  # a rule that fails on this text decides nothing, as at filing
        if decision is not None:
            rule = {"version": rule_set.version, **decision.as_dict()}
    return {"suggestions": [suggestion.__dict__ for suggestion in suggestions], "rule": rule}
