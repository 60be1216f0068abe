"""A city's own history trains a model, however uneven: hundreds of services, a third of them with
one or two examples, departments that no longer exist, duplicates and empty texts. Training never
stops on it; it says what it set aside and why (issue 13)."""

import json
import random

from django.core.management import call_command

from aspa.catalogue.models import Department, Service
from aspa.routing import queries
from aspa.routing.models import ClassifierModel

SERVICES = 240
DEPARTMENTS = 12
SYLLABLES = ["ka", "lo", "mi", "ne", "pu", "ra", "si", "to", "va", "ju", "hy", "ös", "är", "le", "mo", "ti"]
FILLER = ["hei", "kiitos", "asia", "koskee", "haluaisin", "tietää", "onko", "mahdollista", "saada", "apua",
          "milloin", "miten", "voisitteko", "kertoa", "meillä", "on", "ongelma", "ja", "se", "pitäisi"]


def _word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))


def long_tailed_history(seed: int = 13) -> tuple[list[dict], dict[str, list[str]]]:
    """Rows as `aspa routing train` reads them, and each service's own words. Services 0–79 have
    one or two examples; the rest between 3 and 30, fewer the further down the list."""
    rng = random.Random(seed)
    words = {f"palvelu-{number:03d}": [_word(rng) for _ in range(4)] for number in range(SERVICES)}
    rows = []
    for number, (service, own) in enumerate(words.items()):
        count = 1 + number % 2 if number < SERVICES // 3 else max(3, int(30 / (1 + (number - 80) / 20)))
        for _ in range(count):
            text = rng.sample(FILLER, 4) + rng.sample(own, 2)
            rng.shuffle(text)
            rows.append({"text": " ".join(text), "lang": "fi", "service": service,
                         "department": f"osasto-{number % DEPARTMENTS}", "type": "question"})
    # What a real export also has: a department renamed since, a service the catalogue never had,
    # texts repeated by a double click, texts with nothing in them and a message in two languages.
    for number in range(200, 210):
        rows[number]["department"] = "vanha-osasto"
    rows += [dict(rows[0], service="lakkautettu-palvelu") for _ in range(3)]
    rows += [dict(rows[number]) for number in range(300, 320)]
    rows += [dict(rows[number], text=text) for number, text in ((400, ""), (401, "   "), (402, "?!"))]
    rows.append(dict(rows[500], text=rows[500]["text"] + " please, can you help", lang="en"))
    rows[501]["lang"] = "de"
    rng.shuffle(rows)
    return rows, words


def _catalogue():
    departments = Department.objects.bulk_create(
        Department(code=f"osasto-{number}", name_fi=f"Osasto {number}") for number in range(DEPARTMENTS))
    Service.objects.bulk_create(Service(code=f"palvelu-{number:03d}", name_fi=f"Palvelu {number}",
                                        department=departments[number % DEPARTMENTS], target_days=10)
                                for number in range(SERVICES))


def test_a_long_tailed_history_trains_a_model_and_reports_what_was_set_aside(tmp_path, capsys, catalogue):
    _catalogue()
    rows, words = long_tailed_history()
    path = tmp_path / "history.jsonl"
    path.write_text("\n".join(json.dumps(row, ensure_ascii=False) for row in rows) + "\n", encoding="utf-8")

    call_command("routing", "train", str(path))

    out, err = capsys.readouterr()
    assert "Stored as model" in out
    assert "set aside: 3 of services not in the catalogue" in err and "lakkautettu-palvelu 3" in err
    assert "set aside: 3 with no words in the text" in err
    assert "set aside: 20 repeating an earlier example" in err
    assert "changed: 10 departments replaced by the catalogue's department of the service" in err
    assert "services with only one or two examples" in err
    model = ClassifierModel.objects.get()
    assert model.summary["services"] == SERVICES + 2  # and the test catalogue's own two
    assert model.summary["report"]["set_aside"] == {"unknown_service": 3, "empty": 3, "duplicate": 20}
    # A service learnt from its single example is suggested for its own words.
    rare = "palvelu-000"
    assert queries.suggest(" ".join(words[rare][:2]), "fi")[0].service == rare


def test_rows_that_cannot_be_examples_are_skipped_with_their_line_numbers(tmp_path, capsys, catalogue):
    path = tmp_path / "broken.jsonl"
    path.write_text('{"text": "Milloin kaupungintalo on auki", "lang": "fi", "service": "yleisneuvonta", '
                    '"department": "aspa"}\n'
                    '{"text": "Puuttuu", "lang": "fi"}\n'
                    'not json at all\n'
                    '["a", "list"]\n'
                    '{"text": "Haen rakennuslupaa saunalle", "lang": "fi", "service": "rakennuslupa", '
                    '"department": "rakennusvalvonta"}\n', encoding="utf-8")
    call_command("routing", "train", str(path))
    out, err = capsys.readouterr()
    assert "3 lines skipped" in err
    assert "line 2: missing service, department" in err
    assert "line 3: not JSON" in err
    assert "line 4: not an object" in err
    assert "Trained on 2 examples" in out
