"""The SQLite schema, versioned by ``PRAGMA user_version`` and moved forward by migrations.

Each entry of :data:`MIGRATIONS` takes the database from version *i* to
*i + 1*; :func:`migrate` applies the missing ones in order, each in its own
transaction. Never edit a migration that has shipped: add a new one.
"""

from __future__ import annotations

import sqlite3

MIGRATIONS: list[str] = [
    # 1: the spine — runs, documents, articles, paragraphs, what was cut, rejections, full-text index
    """
    CREATE TABLE runs (
        id INTEGER PRIMARY KEY,
        started TEXT NOT NULL,
        finished TEXT,
        status TEXT NOT NULL DEFAULT 'running',        -- running | done | interrupted
        newsgraph_version TEXT NOT NULL,
        components TEXT NOT NULL,                       -- JSON: component -> version of code/model/rule set
        args TEXT NOT NULL,                             -- JSON
        counts TEXT                                     -- JSON
    );
    CREATE TABLE documents (
        id TEXT PRIMARY KEY,                            -- content hash of the decoded text
        source TEXT NOT NULL,
        path TEXT NOT NULL,
        record INTEGER,
        format TEXT NOT NULL,
        encoding TEXT NOT NULL,
        text TEXT NOT NULL,                             -- decoded source text; source spans index into it
        meta TEXT NOT NULL DEFAULT '{}',
        article_count INTEGER NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        added TEXT NOT NULL
    );
    CREATE TABLE document_sources (
        document_id TEXT NOT NULL REFERENCES documents(id),
        source TEXT NOT NULL,
        PRIMARY KEY (document_id, source)
    );
    CREATE TABLE articles (
        rowid INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        document_id TEXT NOT NULL REFERENCES documents(id),
        source TEXT NOT NULL,
        source_index INTEGER NOT NULL,
        title TEXT,
        author TEXT,
        date TEXT,
        date_text TEXT,
        outlet TEXT,
        lang TEXT,
        text TEXT NOT NULL,
        word_count INTEGER NOT NULL,
        meta TEXT NOT NULL DEFAULT '{}',
        run_id INTEGER REFERENCES runs(id)
    );
    CREATE INDEX articles_document ON articles(document_id, source_index);
    CREATE INDEX articles_lang ON articles(lang);
    CREATE INDEX articles_outlet ON articles(outlet);
    CREATE INDEX articles_date ON articles(date);
    CREATE TABLE paragraphs (
        article_id TEXT NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        source_start INTEGER NOT NULL,
        source_end INTEGER NOT NULL,
        lang TEXT,
        kind TEXT NOT NULL,
        PRIMARY KEY (article_id, idx)
    );
    CREATE TABLE removed_blocks (
        document_id TEXT NOT NULL REFERENCES documents(id),
        article_id TEXT REFERENCES articles(id),
        source_start INTEGER NOT NULL,
        source_end INTEGER NOT NULL,
        kind TEXT NOT NULL,
        rule TEXT NOT NULL,
        lang TEXT,
        text TEXT NOT NULL
    );
    CREATE INDEX removed_blocks_article ON removed_blocks(article_id);
    CREATE TABLE rejected (
        source TEXT PRIMARY KEY,
        reason TEXT NOT NULL,
        run_id INTEGER REFERENCES runs(id),
        at TEXT NOT NULL
    );
    CREATE VIRTUAL TABLE articles_fts USING fts5(
        title, text, tokenize = 'unicode61 remove_diacritics 2'
    );
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)


def schema_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA user_version").fetchone()[0]


def migrate(conn: sqlite3.Connection) -> int:
    """Bring ``conn`` to :data:`SCHEMA_VERSION`; returns the version it had."""
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise RuntimeError(f"database schema version {current} is newer than this newsgraph ({SCHEMA_VERSION}); upgrade newsgraph")
    for version in range(current, SCHEMA_VERSION):
        with conn:
            conn.executescript("BEGIN;" + MIGRATIONS[version] + f"; PRAGMA user_version = {version + 1};")
    return current


MIGRATIONS.append(
    # 2: who is named — mentions, canonical entities, dates in the text, outlet/author roles
    """
    CREATE TABLE mentions (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        label TEXT NOT NULL,
        lang TEXT,
        method TEXT NOT NULL,
        entity_id TEXT,
        PRIMARY KEY (article_id, start, end, label)
    );
    CREATE INDEX mentions_entity ON mentions(entity_id);
    CREATE TABLE entities (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        type TEXT NOT NULL,
        aliases TEXT NOT NULL,          -- JSON: lang -> spellings
        mention_count INTEGER NOT NULL,
        article_count INTEGER NOT NULL,
        first_seen TEXT,
        last_seen TEXT
    );
    CREATE INDEX entities_name ON entities(name);
    CREATE TABLE article_roles (      -- outlets and authors as entities: who published whom
        article_id TEXT NOT NULL REFERENCES articles(id),
        role TEXT NOT NULL,             -- outlet | author
        entity_id TEXT NOT NULL,
        PRIMARY KEY (article_id, role, entity_id)
    );
    CREATE TABLE dates (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        value TEXT,
        calendar TEXT NOT NULL,
        resolved INTEGER NOT NULL,
        relative INTEGER NOT NULL,
        PRIMARY KEY (article_id, start, end)
    );
    CREATE INDEX dates_value ON dates(value);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 3: who said what — quotes with their speaker
    """
    CREATE TABLE quotes (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,
        kind TEXT NOT NULL,
        cue TEXT,
        cue_start INTEGER,
        cue_end INTEGER,
        speaker_text TEXT,
        speaker_start INTEGER,
        speaker_end INTEGER,
        speaker_mention_start INTEGER,  -- the entity mention naming the speaker (the span itself, or the
        speaker_mention_end INTEGER,    -- antecedent of "he" / "the official"); its entity_id is the speaker
        speaker_resolved INTEGER NOT NULL,
        addressee TEXT,
        method TEXT NOT NULL,
        PRIMARY KEY (article_id, start, end)
    );
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 4: who copies whom — reuse between articles and repetition inside a page
    """
    CREATE TABLE reuse (
        a_article_id TEXT NOT NULL REFERENCES articles(id),
        a_start INTEGER NOT NULL,
        a_end INTEGER NOT NULL,
        b_article_id TEXT NOT NULL REFERENCES articles(id),
        b_start INTEGER NOT NULL,
        b_end INTEGER NOT NULL,
        similarity REAL NOT NULL,
        kind TEXT NOT NULL,
        source_article_id TEXT,
        PRIMARY KEY (a_article_id, a_start, b_article_id, b_start, kind)
    );
    CREATE INDEX reuse_b ON reuse(b_article_id);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 5: indexes the workbench's entity and outlet pages need (measured by bench/web_latency.py)
    """
    CREATE INDEX IF NOT EXISTS article_roles_entity ON article_roles(entity_id, role);
    CREATE INDEX IF NOT EXISTS articles_outlet_date ON articles(outlet, date);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 6: how it persuades — persuasion technique spans with the rule or model that found them
    """
    CREATE TABLE techniques (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        technique TEXT NOT NULL,
        technique_group TEXT,
        confidence REAL NOT NULL,
        method TEXT NOT NULL,
        PRIMARY KEY (article_id, start, end, technique, method)
    );
    CREATE INDEX techniques_technique ON techniques(technique);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 7: search facets and filters read (lang, outlet, date, id) by rowid for up to a thousand
    # matches per query, and the entity facet reads the entities of a hundred articles; these
    # covering indexes answer both without touching the wide article and mention rows
    # (search p95 on 100k articles, bench/web_latency.py). Technique statistics group spans
    # by their article's outlet, month and language and divide by the words of each group:
    # the last two indexes answer that from index pages (dashboard first load 2.5 s -> 1.6 s
    # on 100k articles and 352k spans, bench/web_dashboard.py)
    """
    CREATE INDEX IF NOT EXISTS articles_rowid_facets ON articles(rowid, lang, outlet, date, id);
    CREATE INDEX IF NOT EXISTS mentions_article_entity ON mentions(article_id, entity_id);
    CREATE INDEX IF NOT EXISTS articles_id_stats ON articles(id, outlet, date, lang, word_count);
    CREATE INDEX IF NOT EXISTS articles_stats ON articles(outlet, date, lang, word_count);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 8: who did what to whom — relations between actors, with the quote (and speaker) they sit in
    """
    CREATE TABLE relations (
        id TEXT PRIMARY KEY,            -- Relation.id: evidence id in exports and the actor graph
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,         -- evidence span (the sentence)
        end INTEGER NOT NULL,
        predicate TEXT NOT NULL,        -- praise | criticize | threaten | attack | support | meet | cooperate | demand | deny
        polarity INTEGER NOT NULL,      -- +1 cooperation, -1 conflict
        negated INTEGER NOT NULL,
        cue TEXT NOT NULL,
        cue_start INTEGER NOT NULL,
        cue_end INTEGER NOT NULL,
        subject_text TEXT NOT NULL,
        subject_start INTEGER NOT NULL,  -- the subject's and object's mentions: their entity_id is the actor
        subject_end INTEGER NOT NULL,
        object_text TEXT NOT NULL,
        object_start INTEGER NOT NULL,
        object_end INTEGER NOT NULL,
        quote_start INTEGER,            -- the quote the relation sits in (NULL: the article asserts it)
        quote_end INTEGER,
        attributed_text TEXT,           -- that quote's speaker as written
        attributed_mention_start INTEGER,  -- the mention naming the speaker; its entity_id is attributed_to
        attributed_mention_end INTEGER,
        method TEXT NOT NULL
    );
    CREATE INDEX relations_article ON relations(article_id, start);
    CREATE INDEX relations_predicate ON relations(predicate);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 9: inputs that met a bug in newsgraph, kept apart from inputs rejected for what they are
    """
    CREATE TABLE errors (
        source TEXT PRIMARY KEY,
        stage TEXT NOT NULL,            -- the pipeline stage that failed: segment, entities, quotes …
        error TEXT NOT NULL,            -- exception class and message
        detail TEXT NOT NULL,           -- the traceback, for the bug report
        run_id INTEGER REFERENCES runs(id),
        at TEXT NOT NULL
    );
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 10: framing vocabulary — loaded terms (martyr, terrorist, regime, occupation …) with a side-neutral
    # category, a layer of their own (newsgraph.enrich.loaded_terms), never counted as sentiment
    """
    CREATE TABLE loaded_terms (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL,             -- as written
        term TEXT NOT NULL,             -- the lexicon entry it matched
        category TEXT NOT NULL,         -- sacralising death | labelling as terrorist | delegitimising a state | …
        lang TEXT,
        PRIMARY KEY (article_id, start, end, term)
    );
    CREATE INDEX loaded_terms_category ON loaded_terms(category);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 11: reuse at any fan-out — every holder of one passage in one cluster with its likely original,
    # and text an outlet repeats in its own articles kept as that outlet's boilerplate, not as reuse
    """
    ALTER TABLE reuse ADD COLUMN cluster_id TEXT;
    CREATE INDEX reuse_cluster ON reuse(cluster_id);
    CREATE TABLE reuse_clusters (
        id TEXT PRIMARY KEY,
        holders INTEGER NOT NULL,        -- articles holding the text
        outlets TEXT NOT NULL,           -- JSON list of their outlets
        first_holder TEXT NOT NULL REFERENCES articles(id),  -- earliest date, then rowid
        source_article_id TEXT,          -- the likely original (NULL: unknown)
        article_id TEXT NOT NULL,        -- the holder whose span is shown: the original, else the first holder
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        text TEXT NOT NULL
    );
    CREATE INDEX reuse_clusters_holders ON reuse_clusters(holders);
    CREATE TABLE reuse_cluster_members (
        cluster_id TEXT NOT NULL REFERENCES reuse_clusters(id),
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (cluster_id, article_id, start)
    );
    CREATE INDEX reuse_cluster_members_article ON reuse_cluster_members(article_id);
    CREATE TABLE boilerplate (
        outlet TEXT NOT NULL,
        text TEXT NOT NULL,
        articles INTEGER NOT NULL,       -- articles of the outlet holding it
        article_id TEXT NOT NULL,        -- the first of them, with the span
        start INTEGER NOT NULL,
        end INTEGER NOT NULL,
        PRIMARY KEY (outlet, text)
    );
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 12: stages that own their storage and re-run on a stored corpus — the tables custom components
    # declared (so an article read back keeps their rows), and which articles a re-run has done
    # (so an interrupted `analyze --redo` resumes where it stopped)
    """
    CREATE TABLE component_tables (
        name TEXT PRIMARY KEY,           -- the table a custom component declared (newsgraph.store.layers.Table)
        component TEXT NOT NULL,         -- the pipeline stage that writes it
        columns TEXT NOT NULL,           -- JSON: [[column, SQL type], …] after article_id
        run_id INTEGER REFERENCES runs(id)
    );
    CREATE TABLE redo_done (
        job INTEGER NOT NULL REFERENCES runs(id),  -- the run that started the re-run (a resumed one keeps it)
        article_id TEXT NOT NULL,
        PRIMARY KEY (job, article_id)
    ) WITHOUT ROWID;
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 13: stories — articles about one event across outlets and languages (newsgraph.corpus.stories), the
    # lead-sentence embeddings they are verified with (shared with cross-lingual reuse), and the scored
    # links between articles that let a new batch join the stories without recomputing the corpus
    """
    CREATE TABLE sentence_vectors (
        article_id TEXT NOT NULL REFERENCES articles(id),
        idx INTEGER NOT NULL,           -- the sentence's order in the article (0 = first; -1 = no sentence)
        start INTEGER NOT NULL,         -- its span in the article text
        end INTEGER NOT NULL,
        model TEXT NOT NULL,            -- the embedding model and its settings (reuse_xling.EMBEDDING_MODEL)
        vector BLOB NOT NULL,           -- float16, unit length (empty for idx -1)
        PRIMARY KEY (article_id, model, idx)
    ) WITHOUT ROWID;
    CREATE INDEX sentence_vectors_model ON sentence_vectors(model, article_id);
    CREATE TABLE story_links (
        a_article_id TEXT NOT NULL REFERENCES articles(id),
        b_article_id TEXT NOT NULL REFERENCES articles(id),
        score REAL NOT NULL,            -- same-event score (newsgraph.corpus.stories.pair_score)
        PRIMARY KEY (a_article_id, b_article_id)
    );
    CREATE INDEX story_links_b ON story_links(b_article_id);
    CREATE TABLE stories (
        id TEXT PRIMARY KEY,
        size INTEGER NOT NULL,
        first_article_id TEXT NOT NULL REFERENCES articles(id),
        first_date TEXT,
        last_date TEXT,
        labels TEXT NOT NULL,           -- JSON: lang -> {article_id, title}
        actors TEXT NOT NULL,           -- JSON: [{entity_id, name, articles}]
        places TEXT NOT NULL,
        followers TEXT NOT NULL,        -- JSON: [{outlet, article_id, date, lag_days}] in the order they ran it
        outlets TEXT NOT NULL,          -- JSON: outlet -> articles
        langs TEXT NOT NULL             -- JSON: lang -> articles
    );
    CREATE INDEX stories_size ON stories(size);
    CREATE TABLE story_members (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        story_id TEXT NOT NULL REFERENCES stories(id),
        score REAL NOT NULL,
        lag_days REAL
    );
    CREATE INDEX story_members_story ON story_members(story_id);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 14: entity framing — how each actor is cast (protagonist / antagonist / innocent and the SemEval-2025
    # Task 10 fine roles) by the evidence spans that cast it (newsgraph.corpus.framing); the actor is the
    # entity of the mention (joined through mentions), and framing_done says which articles were read
    """
    CREATE TABLE framing (
        article_id TEXT NOT NULL REFERENCES articles(id),
        mention_start INTEGER NOT NULL,  -- the actor's mention; its entity_id is the actor
        mention_end INTEGER NOT NULL,
        mention_text TEXT NOT NULL,
        role TEXT NOT NULL,              -- Protagonist | Antagonist | Innocent
        fine_role TEXT,                  -- Martyr, Terrorist, Victim … (NULL: the evidence supports only the main role)
        kind TEXT NOT NULL,              -- relation | loaded_term | technique
        start INTEGER NOT NULL,          -- the evidence span in the article text
        end INTEGER NOT NULL,
        cue TEXT NOT NULL,               -- attack, "terrorist", Name_Calling-Labeling …
        voice TEXT NOT NULL,             -- article | quote | reported
        weight REAL NOT NULL,
        speaker_start INTEGER,           -- who casts, when not the article: their mention
        speaker_end INTEGER,
        speaker_text TEXT,
        PRIMARY KEY (article_id, kind, start, end, mention_start, role)
    );
    CREATE INDEX framing_mention ON framing(article_id, mention_start, mention_end);
    CREATE TABLE framing_done (
        article_id TEXT PRIMARY KEY REFERENCES articles(id),
        version TEXT NOT NULL
    ) WITHOUT ROWID;
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 15: narratives — recurrent framings: claim and evaluative sentences (those carrying a quote, relation,
    # technique or loaded term) clustered across stories and languages (newsgraph.corpus.narratives), with
    # the state that tells a later run whether to recompute and which user overrides it applies
    """
    CREATE TABLE narratives (
        id TEXT PRIMARY KEY,
        label TEXT NOT NULL,            -- the user's name, else the top keywords of its main language
        named INTEGER NOT NULL,         -- 1: the label comes from the user's overrides file
        size INTEGER NOT NULL,          -- member sentences
        articles INTEGER NOT NULL,
        stories INTEGER NOT NULL,       -- distinct stories (an article in none counts as its own)
        keywords TEXT NOT NULL,         -- JSON: lang -> [[word as written, class-based TF-IDF weight], ...]
        outlets TEXT NOT NULL,          -- JSON: outlet -> articles
        months TEXT NOT NULL,           -- JSON: YYYY-MM -> articles ("" undated)
        langs TEXT NOT NULL,            -- JSON: lang -> sentences
        first_date TEXT,
        last_date TEXT
    );
    CREATE INDEX narratives_size ON narratives(size);
    CREATE TABLE narrative_sentences (
        article_id TEXT NOT NULL REFERENCES articles(id),
        start INTEGER NOT NULL,         -- the sentence's span in the article text
        end INTEGER NOT NULL,
        cluster_id TEXT NOT NULL,       -- its cluster before the user's merges and splits (ids are kept by these)
        narrative_id TEXT NOT NULL REFERENCES narratives(id),
        score REAL NOT NULL,            -- cosine to the narrative's centroid
        evidence INTEGER NOT NULL,      -- rank among the representative sentences (0: not one)
        carriers TEXT NOT NULL,         -- what made it a claim: quote, relation, technique, loaded_term (comma-separated)
        PRIMARY KEY (article_id, start)
    ) WITHOUT ROWID;
    CREATE INDEX narrative_sentences_narrative ON narrative_sentences(narrative_id, evidence);
    CREATE TABLE narrative_state (
        key TEXT PRIMARY KEY,           -- fingerprint: the inputs of the last run; overrides: the user's file (JSON)
        value TEXT NOT NULL
    );
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


MIGRATIONS.append(
    # 16: a sentence repeated across articles (an agency line, a standing footer) is embedded once per corpus —
    # each stored vector carries the hash of the text that was embedded, so the next holder of that text (in
    # this run or a later one, from either stage) is given the same vector instead of embedding it again
    """
    ALTER TABLE sentence_vectors ADD COLUMN text_hash INTEGER;  -- reuse_xling.sentence_key (NULL: not shared)
    CREATE INDEX sentence_vectors_hash ON sentence_vectors(model, text_hash);
    """
)
SCHEMA_VERSION = len(MIGRATIONS)


def table_exists(conn: sqlite3.Connection, name: str) -> bool:
    """Whether the database behind ``conn`` has table ``name`` (an older database opened read-only lacks
    the newer ones)."""
    return conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone() is not None


def row_by_id_or_prefix(conn: sqlite3.Connection, table: str, ident: str) -> sqlite3.Row | None:
    """The row of ``table`` (one of ours, never user text) whose ``id`` is ``ident``, else the only row whose
    id it begins (None when none or several do): how a user names a story or a narrative."""
    rows = conn.execute(f"SELECT * FROM {table} WHERE id = ? OR id LIKE ? ORDER BY id = ? DESC LIMIT 2",
                        (ident, ident.replace("%", "").replace("_", "") + "%", ident)).fetchall()
    if not rows or (len(rows) > 1 and rows[0]["id"] != ident):
        return None
    return rows[0]
