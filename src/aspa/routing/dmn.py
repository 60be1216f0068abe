"""SpiffWorkflow's DMN engine, set up to run only rule cells that passed rules.check_expression.

rules.py imports this module when it parses a table or decides, so that a page importing routing's
queries does not load SpiffWorkflow."""

from functools import lru_cache
from types import SimpleNamespace

from django.utils.translation import gettext as _
from SpiffWorkflow.bpmn.parser.BpmnParser import BpmnValidator
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine
from SpiffWorkflow.bpmn.script_engine.python_environment import BasePythonScriptEngineEnvironment
from SpiffWorkflow.dmn.engine.DMNEngine import DMNEngine
from SpiffWorkflow.dmn.parser.BpmnDmnParser import BpmnDmnParser
from SpiffWorkflow.exceptions import SpiffWorkflowException

from aspa.routing.rules import FUNCTIONS, RuleFileError, compiled


class _CheckedEnvironment(BasePythonScriptEngineEnvironment):
    """Evaluates only expressions that passed check_expression, with no builtins at hand."""

    def evaluate(self, expression, context, external_context=None):
        return eval(compiled(expression), {"__builtins__": {}, **FUNCTIONS, **(external_context or {}),  # noqa: S307
                                           **context})

    def execute(self, script, context, external_context=None):
        raise RuleFileError("Rules do not run scripts.")


_ENGINE = PythonScriptEngine(environment=_CheckedEnvironment())


class _Task(SimpleNamespace):
    """What SpiffWorkflow's DMN engine needs of a BPMN task, for a table run on its own."""

    def __init__(self, data: dict):
        workflow = SimpleNamespace(script_engine=_ENGINE, spec=SimpleNamespace(file="rules.dmn"))
        workflow.top_workflow = workflow
        super().__init__(data=data, workflow=workflow, task_spec=SimpleNamespace(bpmn_name="routing", bpmn_id="routing"))


@lru_cache(maxsize=1)
def _validator() -> BpmnValidator:
    return BpmnValidator()


def read_decision_table(root) -> tuple[object, str]:
    """The one decision table of a parsed DMN document and its decision's name, or RuleFileError."""
    parser = BpmnDmnParser(validator=_validator())
    try:
        parser.add_dmn_xml(root, filename="rules.dmn")
        if len(parser.dmn_parsers) != 1:
            raise RuleFileError(_("The file must hold exactly one decision."))
        dmn = next(iter(parser.dmn_parsers.values()))
        dmn.parse()
    except SpiffWorkflowException as error:
        raise RuleFileError(str(error)) from error
    except (KeyError, IndexError) as error:
        raise RuleFileError(_("The file is not a DMN decision table: %(error)s") % {"error": error}) from error
    tables = dmn.decision.decisionTables
    if len(tables) != 1:
        raise RuleFileError(_("The decision must hold exactly one decision table."))
    return tables[0], dmn.get_name() or dmn.bpmn_id


def engine_for(table) -> DMNEngine:
    return DMNEngine(table)


def decide(engine: DMNEngine, facts: dict) -> list:
    """The rules that match the facts, first first (the table's hit policy is FIRST)."""
    try:
        return engine.decide(_Task(facts))
    except SpiffWorkflowException as error:
        raise RuleFileError(str(error)) from error
