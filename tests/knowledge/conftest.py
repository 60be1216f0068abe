"""A small knowledge base of our own (never the evaluation set) that the search tests build on."""

import json

import pytest

from aspa.knowledge import operations
from aspa.knowledge.models import Article

ARTICLES = [
    {"id": "T-BOAT", "lang": "fi", "service": "venepaikka", "title": "Venepaikan hakeminen",
     "body": "Venepaikkaa haetaan sähköisellä lomakkeella. Vene pitää olla vakuutettu. Paikka myönnetään "
             "jonotusjärjestyksessä, ja hakemus on voimassa vuoden.",
     "keywords": ["venesatama", "laituri"], "audience": "public"},
    {"id": "T-BOAT-sv", "lang": "sv", "service": "venepaikka", "title": "Ansöka om båtplats",
     "body": "Båtplatser söks med en elektronisk blankett. Båten ska vara försäkrad. Platsen ges i kötur.",
     "keywords": ["småbåtshamn", "brygga"], "audience": "public"},
    {"id": "T-PARKING", "lang": "fi", "title": "Pysäköintivirhemaksun oikaisu",
     "body": "Jos sait pysäköintivirhemaksun, voit hakea oikaisua neljäntoista päivän kuluessa.",
     "keywords": ["oikaisuvaatimus"], "audience": "public"},
    {"id": "T-DAYCARE", "lang": "fi", "title": "Päiväkotipaikan hakeminen",
     "body": "Varhaiskasvatukseen haetaan neljä kuukautta ennen kuin lapsi tarvitsee hoitopaikan.",
     "keywords": ["päivähoito", "varhaiskasvatus"], "audience": "public"},
    {"id": "T-WASTE", "lang": "fi", "title": "Jäteastian tyhjennys",
     "body": "Jäteastiat tyhjennetään kahden viikon välein. Ylimääräinen tyhjennys tilataan jätehuollosta.",
     "keywords": ["jätehuolto"], "audience": "public"},
    {"id": "T-SWIM", "lang": "fi", "title": "Uimahallin aukioloajat",
     "body": "Uimahalli on auki arkisin aamusta iltaan.", "keywords": ["uinti"], "audience": "public"},
    {"id": "T-LIBRARY", "lang": "fi", "title": "Kirjaston tapahtumat",
     "body": "Kirjastossa on lukupiirejä, satutunteja ja näyttelyitä. Kesällä retki uimahalli"
             "n sijaan rannalle, ja syksyllä kirjailijavierailuja ja musiikkia.",
     "keywords": ["kirjasto"], "audience": "public"},
    {"id": "T-CASH", "lang": "fi", "title": "Ohje: kassan täsmäytys päivän lopussa",
     "body": "Palveluneuvoja täsmäyttää kassan ennen lähtöä ja kirjaa erotuksen.",
     "keywords": ["kassa", "täsmäytys"], "audience": "internal"},
]


def as_lines(articles) -> list[str]:
    return [json.dumps(article, ensure_ascii=False) for article in articles]


@pytest.fixture
def knowledge_base(db) -> dict[str, Article]:
    operations.import_articles(as_lines(ARTICLES))
    return {article.external_id: article for article in Article.objects.all()}
