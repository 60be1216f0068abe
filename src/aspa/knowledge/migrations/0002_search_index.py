"""The full-text index over the analysed tokens of each article: an external-content FTS5 table
kept in step by triggers on SQLite, generated tsvector columns with a GIN index on PostgreSQL.
The tokens are already stemmed and folded in Python, so both use the plain tokenizer ('simple').

PostgreSQL also gets `head`, a small weighted vector of the title, keywords and the body's rarest
words that candidates are ordered by (reading it costs a fraction of the whole document's vector),
and keeps the rows narrow: the large columns are stored out of line, so looking at the matching
rows reads few pages.

SQLite: a later migration that makes Django rebuild knowledge_searchdocument (adding a column
does) drops the triggers; such a migration must create them again and rebuild the FTS5 table."""

from django.db import migrations

SQLITE = [
    "CREATE VIRTUAL TABLE knowledge_fts USING fts5(title_tokens, keyword_tokens, body_tokens, "
    "content='knowledge_searchdocument', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER knowledge_fts_insert AFTER INSERT ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_fts(rowid, title_tokens, keyword_tokens, body_tokens) "
    "VALUES (new.id, new.title_tokens, new.keyword_tokens, new.body_tokens); END",
    "CREATE TRIGGER knowledge_fts_delete AFTER DELETE ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_fts(knowledge_fts, rowid, title_tokens, keyword_tokens, body_tokens) "
    "VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens, old.body_tokens); END",
    "CREATE TRIGGER knowledge_fts_update AFTER UPDATE ON knowledge_searchdocument BEGIN "
    "INSERT INTO knowledge_fts(knowledge_fts, rowid, title_tokens, keyword_tokens, body_tokens) "
    "VALUES ('delete', old.id, old.title_tokens, old.keyword_tokens, old.body_tokens); "
    "INSERT INTO knowledge_fts(rowid, title_tokens, keyword_tokens, body_tokens) "
    "VALUES (new.id, new.title_tokens, new.keyword_tokens, new.body_tokens); END",
]
SQLITE_REVERSE = [
    "DROP TRIGGER IF EXISTS knowledge_fts_insert",
    "DROP TRIGGER IF EXISTS knowledge_fts_delete",
    "DROP TRIGGER IF EXISTS knowledge_fts_update",
    "DROP TABLE IF EXISTS knowledge_fts",
]
POSTGRESQL = [
    "ALTER TABLE knowledge_searchdocument ADD COLUMN search tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', keyword_tokens), 'B') || "
    "setweight(to_tsvector('simple', body_tokens), 'D')) STORED",
    "CREATE INDEX knowledge_search_gin ON knowledge_searchdocument USING gin (search)",
    "ALTER TABLE knowledge_searchdocument ADD COLUMN head tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_tokens), 'A') || "
    "setweight(to_tsvector('simple', keyword_tokens), 'B') || "
    "setweight(to_tsvector('simple', summary_tokens), 'C')) STORED",
    "ALTER TABLE knowledge_searchdocument ALTER COLUMN body_tokens SET STORAGE EXTERNAL, "
    "ALTER COLUMN summary_tokens SET STORAGE EXTERNAL, ALTER COLUMN search SET STORAGE EXTERNAL, "
    "ALTER COLUMN head SET STORAGE MAIN, SET (toast_tuple_target = 128)",
]
POSTGRESQL_REVERSE = [
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS head",
    "DROP INDEX IF EXISTS knowledge_search_gin",
    "ALTER TABLE knowledge_searchdocument DROP COLUMN IF EXISTS search",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)
    return run


class Migration(migrations.Migration):

    dependencies = [
        ("knowledge", "0001_articles_and_experts"),
    ]

    operations = [
        migrations.RunPython(
            _run({"sqlite": SQLITE, "postgresql": POSTGRESQL}),
            _run({"sqlite": SQLITE_REVERSE, "postgresql": POSTGRESQL_REVERSE}),
        ),
    ]
