"""An upload that cannot be used is refused with the parser's message, and nothing is stored."""

import pytest

from aspa.errors import Forbidden, InvalidInput
from aspa.routing import operations
from aspa.routing.models import RuleSet
from tests.factories.identity import UserFactory
from tests.routing.conftest import RULES, dmn


def _refusal(admin_user, content: bytes) -> str:
    with pytest.raises(InvalidInput) as refused:
        operations.upload_rule_set(admin_user, content=content, file_name="rules.dmn")
    assert not RuleSet.objects.exists()
    return " ".join(str(message) for message in refused.value.fields["file"])


def test_a_file_that_is_not_xml_is_refused(admin_user, catalogue):
    assert "not well-formed XML" in _refusal(admin_user, b"<definitions><decision>")


def test_a_file_that_breaks_the_dmn_schema_is_refused_with_the_schema_message(admin_user, catalogue):
    broken = dmn(RULES).replace(b'hitPolicy="FIRST"', b'hitPolicy="WHATEVER"')
    assert "hitPolicy" in _refusal(admin_user, broken)


def test_a_cell_that_is_not_an_expression_is_refused_with_its_rule(admin_user, catalogue):
    broken = dmn([("Rikki", {"service": '"rakennuslupa" ==== 1'}, {"team": '"luvat"'})])
    message = _refusal(admin_user, broken)
    assert message.startswith("Rule 1:")


def test_a_cell_that_would_run_code_is_refused(admin_user, catalogue):
    sneaky = dmn([("Koodia", {"text": '__import__("os").system("true")'}, {"team": '"luvat"'})])
    assert "Rule 1:" in _refusal(admin_user, sneaky)
    attribute = dmn([("Koodia", {"text": '?.__class__ == 1'}, {"team": '"luvat"'})])
    assert "Rule 1:" in _refusal(admin_user, attribute)


def test_an_unknown_output_column_is_refused(admin_user, catalogue):
    broken = dmn([("Outo", {}, {"assignee": '"pekka"'})], outputs={"assignee": "string"})
    assert "assignee" in _refusal(admin_user, broken)


def test_an_output_of_the_wrong_kind_is_refused(admin_user, catalogue):
    assert "priority" in _refusal(admin_user, dmn([("Kiire", {}, {"priority": '"asap"'})]))
    assert "service_days" in _refusal(admin_user, dmn([("Päivät", {}, {"service_days": '"viisi"'})]))


def test_a_team_that_is_not_in_the_catalogue_is_refused(admin_user, catalogue):
    assert "no-such-team" in _refusal(admin_user, dmn([("Tuntematon", {}, {"team": '"no-such-team"'})]))


def test_only_administrators_upload(catalogue):
    advisor = UserFactory(role="advisor")
    with pytest.raises(Forbidden):
        operations.upload_rule_set(advisor, content=dmn(RULES), file_name="rules.dmn")
