"""Routing rules as a DMN decision table, read and run by SpiffWorkflow's DMN engine.

The table's inputs are expressions over the facts of a request (see FACTS); its outputs name
where the request goes. SpiffWorkflow evaluates the cells as Python, so before anything runs
every cell is checked against a small grammar (comparisons, `and`/`or`/`not`, literals, lists
and the helper functions below): a rule file is data an administrator uploads, never a way to
run code on the server.

The first rule that matches decides (hit policy FIRST, as the rows are read in a modeler).

SpiffWorkflow itself is behind routing/dmn.py, imported when a table is parsed: pages that never
route a request do not load it."""

import ast
import re
from dataclasses import dataclass, field
from functools import lru_cache

from django.utils.translation import gettext as _
from lxml import etree

# What a rule may ask about a request.
FACTS = ("service", "type", "channel", "language", "segments", "postal_code", "text", "product")
# What a rule may decide. Any other output column is refused.
OUTPUTS = ("team", "department", "priority", "service_days", "first_level")
PRIORITIES = ("low", "normal", "high", "urgent")


def _words(text: str) -> str:
    return (text or "").lower().translate(str.maketrans({"ä": "a", "ö": "o", "å": "a"}))


def mentions(text: str, *keywords: str) -> bool:
    """True if the text contains any of the keywords (case-insensitive, ä/ö/å folded). A keyword
    matches inside a word, so a stem finds the inflected forms: "kuop" finds "kuoppa", "kuopassa"."""
    folded = _words(text)
    return any(_words(keyword) in folded for keyword in keywords)


def starts_with(value: str, *prefixes: str) -> bool:
    """For postal-code areas: starts_with(?, "901", "902")."""
    return any((value or "").startswith(prefix) for prefix in prefixes)


FUNCTIONS = {"mentions": mentions, "starts_with": starts_with}
_ALLOWED_NODES = (
    ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.Compare, ast.Eq, ast.NotEq,
    ast.Lt, ast.LtE, ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.Name, ast.Load, ast.Constant,
    ast.List, ast.Tuple, ast.Set, ast.Call,
)
QUESTION_MARK = re.compile(r"\?(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


class RuleFileError(ValueError):
    """The file cannot be used; the message says why (the parser's own words where it has them)."""


def check_expression(expression: str, names: tuple[str, ...]) -> None:
    """Refuse anything but the small grammar of a rule cell."""
    try:
        tree = ast.parse(expression, mode="eval")
    except SyntaxError as error:
        raise RuleFileError(_("The expression “%(expression)s” is not valid: %(error)s")
                            % {"expression": expression, "error": error.msg}) from error
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED_NODES):
            raise RuleFileError(_("The expression “%(expression)s” uses something rules may not use (%(what)s).")
                                % {"expression": expression, "what": type(node).__name__})
        if isinstance(node, ast.Call) and not (isinstance(node.func, ast.Name) and node.func.id in FUNCTIONS):
            raise RuleFileError(_("The expression “%(expression)s” calls an unknown function. Rules may use: "
                                  "%(functions)s.") % {"expression": expression, "functions": ", ".join(FUNCTIONS)})
        if isinstance(node, ast.Name) and node.id not in names and node.id not in FUNCTIONS \
                and node.id not in ("True", "False", "None"):
            raise RuleFileError(_("The expression “%(expression)s” names an unknown fact “%(name)s”. "
                                  "Known facts: %(facts)s.")
                                % {"expression": expression, "name": node.id, "facts": ", ".join(FACTS)})


@lru_cache(maxsize=4096)
def compiled(expression: str):
    """A cell's expression, checked against the grammar and compiled (routing/dmn.py runs it)."""
    check_expression(expression, (*FACTS, "dmninputexpr"))
    return compile(expression, "<rule>", "eval")


@dataclass(frozen=True)
class Decision:
    """What the first matching rule decided, and which rule it was."""

    rule: str  # the rule's id in the file
    row: int
    description: str
    outputs: dict = field(default_factory=dict)

    def as_dict(self) -> dict:
        return {"rule": self.rule, "row": self.row, "description": self.description, **self.outputs}


class RuleTable:
    """A parsed, checked decision table."""

    def __init__(self, table, name: str):
        from aspa.routing import dmn

        self.table = table
        self.name = name
        self.engine = dmn.engine_for(table)

    @property
    def inputs(self) -> list[str]:
        return [entry.expression for entry in self.table.inputs]

    @property
    def outputs(self) -> list[str]:
        return [output.name for output in self.table.outputs]

    @property
    def rules(self):
        return self.table.rules

    def decide(self, facts: dict) -> Decision | None:
        from aspa.routing import dmn

        matched = dmn.decide(self.engine, {name: facts.get(name) for name in FACTS})
        if not matched:
            return None
        rule = matched[0]
        outputs = {entry.output.name: ast.literal_eval(entry.text.strip())
                   for entry in rule.outputEntries if entry.text}
        return Decision(rule=rule.id, row=rule.row_number, description=(rule.description or "").strip(),
                        outputs=outputs)


def parse(content: str | bytes) -> RuleTable:
    """Read a DMN file, or raise RuleFileError with the parser's message."""
    from aspa.routing import dmn

    data = content.encode() if isinstance(content, str) else content
    try:
        root = etree.fromstring(data, parser=etree.XMLParser(resolve_entities=False, no_network=True))
    except etree.XMLSyntaxError as error:
        raise RuleFileError(_("The file is not well-formed XML: %(error)s") % {"error": error}) from error
    decision_table, name = dmn.read_decision_table(root)
    table = RuleTable(decision_table, name)
    _check_table(table)
    return table


def _check_table(table: RuleTable) -> None:
    for expression in table.inputs:
        if not expression:
            raise RuleFileError(_("Every input column needs an expression."))
        check_expression(expression, FACTS)
    unknown = [name for name in table.outputs if name not in OUTPUTS]
    if unknown:
        raise RuleFileError(_("Unknown output column “%(name)s”. Outputs may be: %(outputs)s.")
                            % {"name": unknown[0], "outputs": ", ".join(OUTPUTS)})
    for rule in table.rules:
        for entry in rule.inputEntries:
            entry.lhs = [_canonical(cell, rule.row_number) if cell is not None and cell.strip() else None
                         for cell in entry.lhs]
        for entry in rule.outputEntries:
            if entry.text:
                _check_output(rule.row_number, entry.output.name, entry.text)


def _canonical(cell: str, row: int) -> str:
    """A cell in the explicit form `? ...`: `"venepaikka"` → `? == ("venepaikka")`, `in ("a", "b")` →
    `? in ("a", "b")`, `mentions(?, "x")` as it is. SpiffWorkflow would otherwise glue the column's
    expression to an operator cell without a space."""
    cell = cell.strip()
    if QUESTION_MARK.search(cell):
        canonical = cell
    else:
        try:
            ast.parse(cell, mode="eval")
            canonical = f"? == ({cell})"
        except SyntaxError:
            canonical = f"? {cell}"
    try:
        check_expression(QUESTION_MARK.sub("dmninputexpr", canonical), (*FACTS, "dmninputexpr"))
    except RuleFileError as error:
        raise RuleFileError(_("Rule %(row)s: %(error)s") % {"row": row, "error": error}) from error
    return canonical


def _check_output(row: int, name: str, text: str) -> None:
    """An output cell is a plain value of the column's kind."""
    try:
        value = ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        value = None
    problem = None
    if name in ("team", "department") and not (isinstance(value, str) and value):
        problem = _("must be a code in quotes")
    elif name == "priority" and value not in PRIORITIES:
        problem = _("must be one of: %(values)s") % {"values": ", ".join(f'"{item}"' for item in PRIORITIES)}
    elif name == "service_days" and not (isinstance(value, int) and not isinstance(value, bool) and 0 < value <= 365):
        problem = _("must be a number of working days from 1 to 365")
    elif name == "first_level" and not isinstance(value, bool):
        problem = _("must be True or False")
    if problem:
        raise RuleFileError(_("Rule %(row)s: the output “%(name)s” %(problem)s.")
                            % {"row": row, "name": name, "problem": problem})
