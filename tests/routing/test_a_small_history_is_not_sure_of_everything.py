"""A city that starts with a short history (the demo's closed requests, a first month) gets a
classifier whose scores still mean something: too few messages to calibrate it on held-out ones
leave it cautious, so a message about none of its services is not applied by itself as certain."""

from aspa.routing.classifier import Classifier, Example

TOPICS = {
    ("venepaikka", "satama"): ["venepaikka laituri vene kesäksi", "laituripaikan vuokra veneelle",
                               "veneen talvisäilytys satamassa", "venepaikan irtisanominen"],
    ("rakennuslupa", "rakennusvalvonta"): ["rakennuslupa autotallille", "lupa terassin rakentamiseen",
                                           "rakennusluvan käsittelyaika", "piirustukset rakennuslupaan"],
    ("katuvalo", "katu"): ["katuvalo ei pala", "valaisin rikki kadulla", "katulamppu vilkkuu illalla",
                           "pimeä katu valo sammunut"],
    ("varhaiskasvatus", "kasvatus"): ["päiväkotipaikka lapselle", "hoitopaikan haku syksyksi",
                                      "päiväkodin vaihto", "varhaiskasvatuksen maksu"],
}


def _history(copies: int) -> list[Example]:
    return [Example(f"{text} {number}", "fi", service, department)
            for (service, department), texts in TOPICS.items() for text in texts for number in range(copies)]


def test_a_model_of_a_few_dozen_messages_is_not_certain_of_an_unrelated_message():
    model = Classifier.train(_history(copies=3))  # 48 messages: a held-out quarter of 12
    (best, *_), = model.rank([("roskakatos täynnä jäteastia tyhjentämättä", "fi")])
    assert best.score < 0.9


def test_it_is_still_sure_where_its_own_words_are():
    model = Classifier.train(_history(copies=3))
    (best, *_), = model.rank([("venepaikka laituri vene", "fi")])
    assert best.service == "venepaikka" and best.score > 0.5
