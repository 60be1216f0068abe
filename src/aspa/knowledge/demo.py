"""The demo city's knowledge base and expert directory, written from the catalogue: one article
per service in Finnish and Swedish (public), an internal advisor's note per department, and each
team in the expert directory with its services as topics. Run by `aspa demo`."""

import datetime

from django.utils import timezone

from aspa.catalogue.models import Department, Service, Team
from aspa.knowledge import index
from aspa.knowledge.models import Article, Expert, Synonym

SYNONYMS = [
    ("fi", "pysäköintisakko, parkkisakko, pysäköintivirhemaksu"),
    ("fi", "päivähoito, varhaiskasvatus"),
    ("fi", "venepaikka, laituripaikka"),
    ("sv", "parkeringsbot, felparkeringsavgift"),
]


def _texts(service: Service) -> dict[str, dict[str, str]]:
    department = service.department
    fi_name, sv_name = service.name_fi, service.name_sv or service.name_fi
    return {
        "fi": {
            "title": fi_name,
            "body": (f"<p>{service.description_fi or fi_name + '.'}</p><p>Asiasta vastaa {department.name_fi}. "
                     "Asian voi hoitaa OmaEsimerkkilässä, puhelinpalvelussa tai Kaupunkitalon palvelupisteessä.</p>"),
            "answer": (f"Kiitos yhteydenotostasi. {fi_name}: asiaa hoitaa {department.name_fi}. Voit hoitaa asian "
                       "sähköisesti OmaEsimerkkilässä tai palvelupisteessämme arkisin."),
        },
        "sv": {
            "title": sv_name,
            "body": (f"<p>{service.description_sv or sv_name + '.'}</p><p>Ansvarig är "
                     f"{department.name_sv or department.name_fi}. Ärendet kan skötas i e-tjänsten, per telefon "
                     "eller på servicepunkten i Stadshuset.</p>"),
            "answer": (f"Tack för ditt meddelande. {sv_name}: ärendet sköts av {department.name_sv or department.name_fi}. "
                       "Du kan sköta det i e-tjänsten eller på vår servicepunkt på vardagar."),
        },
    }


def load_demo(say) -> None:
    today = timezone.localdate()
    teams = {}
    for team in Team.objects.order_by("code"):
        teams.setdefault(team.department_id, team)
    changed = []
    for number, service in enumerate(Service.objects.select_related("department").order_by("code")):
        texts = _texts(service)
        original = None
        for language in ("fi", "sv"):
            external_id = f"DEMO-{service.code}" + ("" if language == "fi" else f"-{language}")
            article, _created = Article.objects.update_or_create(external_id=external_id, defaults={
                "language": language, "title": texts[language]["title"], "body": texts[language]["body"],
                "model_answer": texts[language]["answer"], "keywords": service.keywords, "audience": "public",
                "owner_team": teams.get(service.department_id), "translation_of": original,
                # A few are overdue, so the flag and the reminders have something to show.
                "review_by": today + datetime.timedelta(days=-5 if number % 9 == 0 else 90 + number),
            })
            article.services.set([service])
            original = original or article
            changed.append(article)
    for department in Department.objects.order_by("code"):
        article, _created = Article.objects.update_or_create(external_id=f"DEMO-note-{department.code}", defaults={
            "language": "fi", "title": f"Ohje palveluneuvojalle: {department.name_fi}",
            "body": (f"<p>Kun asia kuuluu toimialalle {department.name_fi} eikä sitä voi ratkaista heti, jätä "
                     "yhteydenottopyyntö asiantuntijalle. Älä siirrä puhelua.</p>"),
            "audience": "internal", "owner_team": teams.get(department.pk),
            "review_by": today + datetime.timedelta(days=180)})
        changed.append(article)
    for language, words in SYNONYMS:
        Synonym.objects.get_or_create(language=language, words=words)
    for team in Team.objects.select_related("department").order_by("code"):
        services = Service.objects.filter(department=team.department).order_by("code")
        topics = ", ".join([service.name_fi for service in services] + [service.keywords for service in services
                                                                         if service.keywords])
        Expert.objects.update_or_create(kind=Expert.Kind.TEAM, team=team, defaults={
            "name": team.name_fi, "department": team.department, "topics": topics or team.name_fi,
            "languages": "fi, sv", "duty_times": "ma–pe 9–11", "phone": "010 555 1000"})
    index.rebuild_index()
    say(f"Knowledge base: {len(changed)} articles, {Expert.objects.count()} expert directory entries.")
