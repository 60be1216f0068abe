"""`aspa routing train FILE.jsonl` stores a model every worker uses; `aspa routing evaluate`
prints top-1 and top-3 accuracy for service and department."""

import json
import re

import pytest
from django.core.management import CommandError, call_command

from aspa.requests.models import ServiceRequest
from aspa.routing import queries
from aspa.routing.models import ClassifierModel
from tests.factories.identity import UserFactory
from tests.factories.requests import in_status
from tests.routing.conftest import synthetic_examples


def _write(path, examples):
    path.write_text("\n".join(json.dumps({"text": example.text, "lang": example.language, "service": example.service,
                                          "department": example.department, "type": example.type})
                              for example in examples) + "\n", encoding="utf-8")
    return str(path)


def test_train_stores_a_model_and_prints_a_summary(tmp_path, capsys, catalogue):
    call_command("routing", "train", _write(tmp_path / "train.jsonl", synthetic_examples()))
    out, err = capsys.readouterr()
    assert "Trained on 12 examples" in out
    assert "Training: the services model, 0/2 services" in err  # progress for long runs
    model = ClassifierModel.objects.get()
    assert (model.examples, model.summary["services"]) == (12, 2)
    assert queries.suggest("Haen rakennuslupaa saunalle", "fi")[0].service == "rakennuslupa"


def _muddled():
    """The synthetic examples with their services alternating regardless of the text: a worse model."""
    return [example.__class__(example.text, example.language, service, department, example.type)
            for example, (service, department) in zip(synthetic_examples(),
                                                      [("rakennuslupa", "rakennusvalvonta"), ("yleisneuvonta", "aspa")] * 6,
                                                      strict=True)]


def test_a_worse_model_stays_a_candidate_until_an_administrator_publishes_it(tmp_path, capsys, catalogue):
    call_command("routing", "train", _write(tmp_path / "good.jsonl", synthetic_examples()))
    good = ClassifierModel.objects.get()
    in_use = queries.current_classifier()
    assert good.is_active and good.figures["score"] > 0.8
    capsys.readouterr()

    call_command("routing", "train", _write(tmp_path / "worse.jsonl", _muddled()))

    out = capsys.readouterr().out
    worse = ClassifierModel.objects.latest("id")
    assert f"Stored as model {worse.pk}, a candidate" in out
    assert worse.figures["score"] < good.figures["score"]
    assert queries.current_classifier() is in_use  # the workers keep the model they have

    call_command("routing", "publish", str(worse.pk))
    assert queries.current_classifier() is not in_use
    assert queries.suggest("Haen rakennuslupaa saunalle", "fi")  # the candidate answers now

    call_command("routing", "publish", str(good.pk))  # and the earlier one is restored
    assert ClassifierModel.objects.get(is_active=True) == good
    assert queries.suggest("Haen rakennuslupaa saunalle", "fi")[0].service == "rakennuslupa"
    call_command("routing", "models")
    listed = capsys.readouterr().out
    assert f"{good.pk} in use" in listed and "score" in listed


def test_publish_says_so_when_a_model_does_not_exist(catalogue):
    with pytest.raises(CommandError, match="There is no model 99"):
        call_command("routing", "publish", "99")


def test_with_publish_the_new_model_is_used_whatever_its_figures(tmp_path, catalogue):
    call_command("routing", "train", _write(tmp_path / "good.jsonl", synthetic_examples()))
    first = queries.current_classifier()
    call_command("routing", "train", "--publish", _write(tmp_path / "worse.jsonl", _muddled()))
    assert queries.current_classifier() is not first
    assert ClassifierModel.objects.get(is_active=True) == ClassifierModel.objects.latest("id")


def test_evaluate_prints_top_1_and_top_3_for_service_and_department(tmp_path, capsys, catalogue):
    path = _write(tmp_path / "train.jsonl", synthetic_examples())
    call_command("routing", "train", path)
    capsys.readouterr()
    call_command("routing", "evaluate", path)
    out = capsys.readouterr().out
    assert "examples: 12 (12 with a request type)" in out
    figures = re.findall(r"(service|department)\s+top-1 ([01]\.\d{3})\s+top-3 ([01]\.\d{3})", out)
    assert [name for name, _one, _three in figures] == ["service", "department", "service", "department"]
    # Measured on its own training set, the small model knows its examples.
    assert float(figures[0][1]) == 1.0


def test_evaluate_without_a_model_says_what_to_do(tmp_path, catalogue):
    with pytest.raises(CommandError, match="routing train"):
        call_command("routing", "evaluate", _write(tmp_path / "dev.jsonl", synthetic_examples()))


def test_train_from_the_citys_closed_requests(capsys, catalogue):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    for example in synthetic_examples():
        service_request = in_status("closed", advisor, service=example.service, type=example.type,
                                    description=example.text, language=example.language)
        assert service_request.status == "closed"
    in_status("received", advisor, description="Avoin pyyntö ei opeta mitään")
    call_command("routing", "train", "--from-requests")
    assert "Trained on 12 examples" in capsys.readouterr().out
    assert ClassifierModel.objects.get().source == "closed requests"


def test_a_suggestion_an_advisor_corrected_is_learnt_and_counted(settings, capsys, catalogue, trained):
    """A request the classifier classified at filing and an advisor then moved to another service
    teaches the advisor's service."""
    from aspa.requests import operations as request_operations

    settings.ROUTING_AUTO_APPLY_CONFIDENCE = 0.0
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    text = "Tarvitseeko aidan rakentaminen luvan, vai onko se yleistä neuvontaa?"
    filed = in_status("received", advisor, service=None, type="question", description=text)
    service_request = ServiceRequest.objects.get(pk=filed.pk)
    suggested = service_request.service.code  # applied by the classifier at filing
    corrected = "yleisneuvonta" if suggested == "rakennuslupa" else "rakennuslupa"
    request_operations.classify(advisor, service_request, version=service_request.version, service=corrected)
    request_operations.resolve(advisor, service_request, version=service_request.version, resolution="Neuvottu.")

    call_command("routing", "train", "--from-requests", "--folds", "0", "--publish")

    assert "(1 with a suggested service an advisor corrected)" in capsys.readouterr().err
    model = ClassifierModel.objects.latest("id")
    assert model.summary["corrected_suggestions"] == 1
    assert queries.suggest(text, "fi", type="question")[0].service == corrected


def test_min_new_waits_for_enough_new_closed_requests(capsys, catalogue, trained):
    advisor = UserFactory(role="advisor", department=catalogue.centre)
    for example in synthetic_examples()[:3]:
        in_status("closed", advisor, service=example.service, type=example.type, description=example.text)
    call_command("routing", "train", "--from-requests", "--min-new", "5")
    assert "Not trained: 3 requests resolved or closed since model" in capsys.readouterr().out
    assert ClassifierModel.objects.count() == 1
    for example in synthetic_examples()[3:5]:
        in_status("closed", advisor, service=example.service, type=example.type, description=example.text)
    call_command("routing", "train", "--from-requests", "--min-new", "5")
    assert ClassifierModel.objects.count() == 2


def _rows(out: str) -> dict[str, list[float]]:
    return {name.strip(): [float(value) for value in values.split()]
            for name, values in re.findall(r"^((?:Aspa|baseline \(TF-IDF \+ LR\)), text[^\d]*?)\s+([\d. ]+)$", out,
                                           re.MULTILINE)}


def test_evaluate_cross_validates_a_file_beside_the_plain_baseline(tmp_path, capsys, catalogue):
    path = _write(tmp_path / "history.jsonl", synthetic_examples())
    call_command("routing", "evaluate", path, "--folds", "3")
    out = capsys.readouterr().out
    assert "examples: 12 (3-fold cross-validation" in out
    rows = _rows(out)
    assert set(rows) == {"Aspa, text only", "Aspa, text and type", "baseline (TF-IDF + LR), text only",
                         "baseline (TF-IDF + LR), text and type"}
    assert all(len(values) == 4 and all(0 <= value <= 1 for value in values) for values in rows.values())
    assert not ClassifierModel.objects.exists()  # measuring stores nothing


def test_evaluate_trains_both_on_one_file_and_measures_on_another(tmp_path, capsys, catalogue):
    train = _write(tmp_path / "train.jsonl", synthetic_examples())
    test = _write(tmp_path / "test.jsonl", synthetic_examples()[::3])
    call_command("routing", "evaluate", test, "--train", train)
    rows = _rows(capsys.readouterr().out)
    assert rows["Aspa, text only"][0] == 1.0  # its own training texts
    assert "baseline (TF-IDF + LR), text only" in rows


def test_evaluate_refuses_impossible_folds(tmp_path, catalogue):
    with pytest.raises(CommandError, match="--folds must be between 2 and the number of examples"):
        call_command("routing", "evaluate", _write(tmp_path / "few.jsonl", synthetic_examples()), "--folds", "40")
