"""`aspa kb import`: articles from JSON lines; a re-import updates by external id and keeps the
old text as a version; a file with bad lines is refused whole, with the line numbers."""

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from aspa.knowledge import queries
from aspa.knowledge.models import Article
from tests.knowledge.conftest import ARTICLES, as_lines

pytestmark = pytest.mark.django_db


def write(tmp_path, lines: list[str]):
    path = tmp_path / "articles.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(*args) -> str:
    out = StringIO()
    call_command("kb", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_import_creates_articles_linked_as_translations_and_searchable(tmp_path, catalogue):
    output = run("import", str(write(tmp_path, as_lines(ARTICLES))))
    assert f"{len(ARTICLES)} new" in output
    swedish = Article.objects.get(external_id="T-BOAT-sv")
    assert swedish.translation_of == Article.objects.get(external_id="T-BOAT")
    assert swedish.language == "sv" and swedish.audience == "public"
    assert run("search", "venepaikan hakeminen", "--lang", "fi", "--limit", "2").split()[0] == "T-BOAT"


def test_the_body_is_sanitised(tmp_path, catalogue):
    article = {**ARTICLES[0], "body": "<p onclick='x()'>Ohje</p><script>alert(1)</script><a href='javascript:x'>linkki</a>"}
    run("import", str(write(tmp_path, [json.dumps(article)])))
    body = Article.objects.get(external_id="T-BOAT").body
    assert "script" not in body and "onclick" not in body and "javascript" not in body and "Ohje" in body


def test_reimport_updates_by_external_id_and_keeps_the_history(tmp_path, catalogue):
    run("import", str(write(tmp_path, as_lines(ARTICLES))))
    changed = [{**ARTICLES[0], "title": "Venepaikan hakeminen ja jonotus"}, *ARTICLES[1:]]
    output = run("import", str(write(tmp_path, as_lines(changed))))
    assert "0 new, 1 updated" in output
    article = Article.objects.get(external_id="T-BOAT")
    assert Article.objects.filter(external_id="T-BOAT").count() == 1
    assert (article.title, article.version) == ("Venepaikan hakeminen ja jonotus", 2)
    assert article.versions.get().title == "Venepaikan hakeminen"
    assert queries.search_articles("jonotus", language="fi")[0][1] == article


def test_a_file_with_bad_lines_imports_nothing_and_names_the_lines(tmp_path, catalogue):
    lines = as_lines(ARTICLES[:2]) + ["{not json", json.dumps({"id": "X", "lang": "de", "title": "", "body": "b"}),
                                      as_lines(ARTICLES[:1])[0]]
    with pytest.raises(CommandError) as problem:
        run("import", str(write(tmp_path, lines)))
    message = str(problem.value)
    assert "Line 3" in message and "Line 4" in message and "Line 5" in message
    assert "Line 1:" not in message
    assert not Article.objects.exists()
    assert queries.search_articles("venepaikka") == []
