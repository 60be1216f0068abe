"""The demo city's routing: Esimerkkilä's rule file published, and a classifier trained from the
demo's own resolved and closed requests (as `aspa routing train --from-requests` would)."""

from pathlib import Path

from aspa.errors import InvalidInput
from aspa.identity.models import Role, User
from aspa.routing import operations, queries
from aspa.routing.models import ClassifierModel, RuleSet

RULE_FILE = Path(__file__).resolve().parent / "dmn" / "esimerkkila_routing.dmn"


def load_demo(say) -> None:
    administrator = User.objects.filter(role=Role.ADMIN, is_active=True).order_by("id").first()
    content = RULE_FILE.read_bytes()
    if administrator is None:
        say("Routing: no administrator login, so no rules were published.")
    elif RuleSet.objects.filter(dmn=content.decode("utf-8")).exists():
        say("Routing: the rules are already uploaded.")
    else:
        rule_set = operations.upload_rule_set(administrator, content=content, file_name=RULE_FILE.name,
                                              comment="Esimerkkilän palveluohjauksen säännöstö (demo)")
        operations.publish_rule_set(administrator, rule_set)
        say(f"Routing: rules {RULE_FILE.name} published as version {rule_set.version}.")
    if ClassifierModel.objects.exists():
        say("Routing: a classifier is already trained.")
        return
    examples = queries.closed_request_examples()
    if not examples:
        say("Routing: no closed requests to train the classifier on.")
        return
    say(f"Routing: training the classifier on {len(examples)} closed requests …")
    try:
        model = operations.train_classifier(examples, source="demo: closed requests", trained_by="aspa demo")
    except InvalidInput as error:  # a tiny demo may have closed requests of one service only
        say(f"Routing: no classifier trained ({'; '.join(map(str, error.fields.get('examples', [])))}).")
        return
    say(f"Routing: classifier trained in {model.summary['seconds']} s.")
