"""`aspa kb evaluate`: Aspa's figures beside a plain BM25+Snowball baseline on the same
questions, cross-validated parameters (`--folds`) or parameters chosen on another file
(`--tune-on`); rows it cannot use are reported and skipped, never a traceback."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

pytestmark = pytest.mark.django_db

QUESTIONS = [
    {"id": "q1", "lang": "fi", "text": "venepaikkahakemus", "relevant": ["T-BOAT"]},
    {"id": "q2", "lang": "fi", "text": "paivakotipaikka lapselle", "relevant": ["T-DAYCARE"]},
    {"id": "q3", "lang": "fi", "text": "milloin uimahalli on auki", "relevant": ["T-SWIM"]},
    {"id": "q4", "lang": "fi", "text": "pysäköintivirhemaksun oikaisu", "relevant": ["T-PARKING"]},
    {"id": "q5", "lang": "fi", "text": "jäteastian ylimääräinen tyhjennys", "relevant": ["T-WASTE"]},
    {"id": "q6", "lang": "sv", "text": "båtplats ansökan", "relevant": ["T-BOAT-sv", "T-BOAT"]},
    {"id": "q7", "lang": "fi", "text": "koiran rokotus eläinlääkäri", "relevant": []},
    {"id": "q8", "lang": "fi", "text": "lentoliput ulkomaille halvalla", "relevant": []},
]


def write(tmp_path, name: str, lines: list[str]):
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("kb", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def figure(output: str, name: str) -> list[str]:
    line = next(line for line in output.splitlines() if line.startswith(name))
    return line[len(name):].split()


def questions_file(tmp_path, questions=QUESTIONS):
    return write(tmp_path, "questions.jsonl", [json.dumps(question, ensure_ascii=False) for question in questions])


def test_aspa_is_measured_beside_the_plain_baseline(tmp_path, knowledge_base):
    output, _errors = run("evaluate", str(questions_file(tmp_path)))
    aspa, baseline = (float(value) for value in figure(output, "recall@3")[:2])
    # The baseline knows neither compounds nor words typed without ä; Aspa finds them all.
    assert aspa == 1.0
    assert baseline < aspa
    assert figure(output, "with a relevant article") == ["6"]


def test_cross_validation_chooses_parameters_on_the_other_folds(tmp_path, knowledge_base):
    output, _errors = run("evaluate", str(questions_file(tmp_path)), "--folds", "2")
    assert "2-fold cross-validation" in output
    assert [line.split(":")[0] for line in output.splitlines() if line.startswith("fold ")] == ["fold 1", "fold 2"]
    assert float(figure(output, "recall@3")[0]) == 1.0
    # The unanswerable questions were judged by a threshold chosen without them.
    assert figure(output, "no-answer precision")[0] != "–"


def test_parameters_can_be_chosen_on_another_file(tmp_path, knowledge_base):
    training = questions_file(tmp_path, QUESTIONS[:3] + QUESTIONS[6:7])
    measured = write(tmp_path, "held-out.jsonl", [json.dumps(question, ensure_ascii=False)
                                                  for question in QUESTIONS[3:6] + QUESTIONS[7:]])
    output, _errors = run("evaluate", str(measured), "--tune-on", str(training))
    assert f"Parameters chosen on {training}" in output
    assert figure(output, "questions") == ["4"]


def test_rows_it_cannot_use_are_reported_and_skipped(tmp_path, knowledge_base):
    lines = ["{not json", json.dumps({"id": "x", "lang": "fi", "text": "venepaikka", "relevant": ["NO-SUCH"]}),
             json.dumps({"id": "y", "lang": "fi", "relevant": ["T-BOAT"]}),
             json.dumps({"id": "z", "lang": "de", "text": "Bootsplatz", "relevant": []}),
             json.dumps(QUESTIONS[0])]
    output, errors = run("evaluate", str(write(tmp_path, "questions.jsonl", lines)))
    assert "line 1: not JSON" in errors
    assert "line 2: no article with the id NO-SUCH" in errors
    assert "line 3: no question text" in errors
    assert "line 4: unknown language 'de'" in errors
    assert figure(output, "questions") == ["1"]


def test_a_file_without_usable_questions_or_with_too_many_folds_is_refused_plainly(tmp_path, knowledge_base):
    with pytest.raises(CommandError, match="no question to evaluate"):
        run("evaluate", str(write(tmp_path, "questions.jsonl", ["[1, 2]"])))
    with pytest.raises(CommandError, match="--folds must be between 2"):
        run("evaluate", str(questions_file(tmp_path)), "--folds", "20")
