"""综合查询 figures (issue 21): the n-gram index's first page beside the LIKE scan the lists do today, the write path
with and without the index, and (--mechanisms) the databases' own full-text features on the same data.

    python -m bench.search                                   # SQLite (bench/out/bench-search-100000.sqlite3)
    python -m bench.search --postgresql postgresql://postgres@127.0.0.1:5432/test \\
                           --mysql mysql://root@127.0.0.1:3306/test [--no-sqlite]
    python -m bench.search --mechanisms                      # the mechanism comparison instead

The database is the 100k bench database with every area filled: --size 公文 and --claims 报销单 (bench.generate),
--cases 信访件 (bench.petitions_data), --items 督办事项 (bench.supervision_data), --meetings 会议
(bench.meetings_data) and --information 政务信息 (bench.information_data). On a server the bench drops and
recreates its own database, govdesk_bench_search; SQLite is a file under bench/out/. A database whose counts match
is reused (the write path's documents are allowed for), and so is its index while it holds every record; else the
index is built with the real rebuild, `govdesk --database URL db reindex`, in a subprocess, timed.

The figures:
- queries: app.services.search.query.search(uow, actor, text), a fresh unit of work each time, as the office's
  director and then as one unit's 联络员, for terms drawn from the records' titles: one, two and four characters,
  common and rare, and two-word queries, --terms of each class. Beside each director's query, in the same loop,
  the LIKE scan the lists do today: the first 50 workflow instances whose title holds every word, newest first,
  and their count (Core statements on workflow_instances, which every area's records have). Each query is timed
  --repetitions times after a warm-up, alternating with its LIKE; p50 and p95 per class over all of them. Target:
  p95 ≤ 50 ms. A class that misses it gets its slowest query's statements timed one by one and EXPLAINed.
- the write path: --writes 收文 registered through app.services.documents.incoming.create_incoming by a 文秘, and
  as many 发文 drafted with a .docx 正文 (outgoing.create_draft), in alternating rounds with the index kept and with
  app.services.search.upkeep.suspended(); median per write and the ratio (target ≤ 1.3×), and p95 and the slowest
  (with the index kept, one write in 64 posts the records waiting to be posted: upkeep.POST_AT). The documents
  written while the index was suspended are indexed afterwards (upkeep.refresh), so the index stays whole.
- --mechanisms: on the same text the index holds (search_records.text_match, every searched record's public fields),
  SQLite FTS5 with the trigram tokenizer, PostgreSQL pg_trgm GIN and to_tsvector('simple') GIN, MariaDB InnoDB
  FULLTEXT, and our n-gram postings without the visibility rule: the total and the first 50 per term, p50/p95,
  and whether the ids found are the ids LIKE finds.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import statistics
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, and_, func, select, true

from app.bootstrap import AppContext, bootstrap
from app.core.roles import Role
from app.core.search_text import parse_query
from app.db.engine import make_engine, normalize_url
from app.db.tables import search_postings, search_records, search_state, workflow_instances
from app.models import WorkflowInstance
from app.services.kernel.actor import Actor
from bench.db import OUT_DIR, RawDriver, Target, actor_with, capture, prepare
from bench.information_data import DEFAULT_ITEMS as DEFAULT_INFORMATION
from bench.information_data import add_information, information_count
from bench.meetings_data import DEFAULT_MEETINGS, add_meetings, meeting_count
from bench.petitions_data import DEFAULT_CASES, add_petitions, petition_count
from bench.supervision_data import add_supervision, supervision_count

ROOT = Path(__file__).resolve().parent.parent
BENCH_DATABASE = "govdesk_bench_search"
PAGE = 50
TARGET_MS = 50.0
WRITE_RATIO_TARGET = 1.3
# Documents the write path may have added to a reused database.
WRITE_SLACK = 20_000
CLASSES = ("1 character", "2 characters", "4 characters", "two words")
_CJK = re.compile(r"[\u4e00-\u9fff]+")


def _p(samples: Sequence[float], fraction: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] * 1000


def _median_ms(samples: Sequence[float]) -> float:
    return statistics.median(samples) * 1000


# ----- the database -------------------------------------------------------------------------------------------


def _counts(target: Target) -> dict[str, int] | None:
    engine = make_engine(target.url)
    try:
        with engine.connect() as conn:
            by_type = dict(conn.execute(
                select(WorkflowInstance.entity_type, func.count()).group_by(WorkflowInstance.entity_type)
            ).all())
            return {
                "document": int(by_type.get("document", 0)), "claim": int(by_type.get("claim", 0)),
                "petition": petition_count(conn), "supervision": supervision_count(conn),
                "meeting": meeting_count(conn), "information": information_count(conn),
            }
    except Exception:  # noqa: BLE001 - no database or no schema: nothing to reuse
        return None
    finally:
        engine.dispose()


def prepare_search(target: Target, args: argparse.Namespace) -> bool:
    """The bench database with every area filled; True when it was (re)built."""
    wanted = {"claim": args.claims, "petition": args.cases, "supervision": args.items, "meeting": args.meetings,
              "information": args.information}
    found = None if args.rebuild else _counts(target)
    if found is not None and all(found[k] == v for k, v in wanted.items()) \
            and args.size <= found["document"] <= args.size + WRITE_SLACK:
        print(f"[{target.label}] reusing the bench database: " + ", ".join(f"{k} {v:,}" for k, v in found.items()))
        return False
    started = time.perf_counter()
    log = lambda line: print(f"[{target.label}] {line}")  # noqa: E731
    prepare(target, args.size, True, args.seed, args.claims)
    url = target.url.render_as_string(hide_password=False)
    add_petitions(url, args.cases, args.seed, log=log)
    add_supervision(url, args.items, args.seed, log=log)
    add_meetings(url, args.meetings, args.seed, log=log)
    add_information(url, args.information, args.seed, log=log)
    print(f"[{target.label}] bench database built in {time.perf_counter() - started:.0f} s")
    return True


def _expected_index(ctx: AppContext) -> dict[int, int]:
    """kind code → how many records the sources hold."""
    from app.services.search.sources import searched

    expected: dict[int, int] = {}
    with ctx.uow() as uow:
        for spec, source in searched().values():
            n, after = 0, 0
            while page := source.record_ids(uow, after, 50_000):
                n += len(page)
                after = page[-1]
            expected[spec.code] = n
    return expected


def index_current(ctx: AppContext) -> bool:
    expected = _expected_index(ctx)
    with ctx.engine.connect() as conn:
        if conn.execute(select(search_state.c.id)).first() is None:
            return False
        held: dict[int, int] = dict(conn.execute(
            select(search_records.c.kind, func.count()).group_by(search_records.c.kind)
        ).all())
    return all(held.get(code, 0) == n for code, n in expected.items())


def reindex(target: Target) -> tuple[float, str]:
    """`govdesk --database URL db reindex` in a subprocess (this checkout's app first on the path); (s, summary)."""
    govdesk = Path(sys.executable).with_name("govdesk")
    command = [str(govdesk), "--database", target.url.render_as_string(hide_password=False), "db", "reindex"]
    env = dict(os.environ, PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])))
    started = time.perf_counter()
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"[{target.label}] govdesk db reindex failed ({done.returncode}):\n{done.stderr[-3000:]}")
    return elapsed, done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""


def analyze_index(target: Target, ctx: AppContext) -> None:
    """Fresh statistics (and on PostgreSQL the visibility map, which index-only scans need) for the index tables
    after a rebuild wrote their millions of rows, as autovacuum or InnoDB would give them soon after; the rebuild
    itself does not (see bench/README.md)."""
    started = time.perf_counter()
    tables = ("search_postings", "search_records")
    with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        if target.backend == "postgresql":
            for table in tables:
                conn.exec_driver_sql(f"VACUUM ANALYZE {table}")
        elif target.backend == "sqlite":
            conn.exec_driver_sql("ANALYZE")
        else:
            conn.exec_driver_sql(f"ANALYZE TABLE {', '.join(tables)}")
    print(f"[{target.label}] index tables analysed in {time.perf_counter() - started:.1f} s")


def ensure_index(target: Target, ctx: AppContext, force: bool) -> None:
    from app.services.search.sources import searched

    kinds = {spec.entity_type: spec.code for spec, _ in searched().values()}
    print(f"[{target.label}] searched kinds: " + (", ".join(f"{k} ({c})" for k, c in kinds.items()) or
                                                 "NONE — no area has a search source yet, every query finds nothing"))
    if not force and index_current(ctx):
        print(f"[{target.label}] reusing the index (it holds every record)")
    else:
        print(f"[{target.label}] rebuilding the index: govdesk db reindex …")
        seconds, summary = reindex(target)
        print(f"[{target.label}] govdesk db reindex: {seconds:.1f} s — {summary}")
        analyze_index(target, ctx)
    with ctx.engine.connect() as conn:
        records = int(conn.execute(select(func.count()).select_from(search_records)).scalar_one())
        postings = int(conn.execute(select(func.count()).select_from(search_postings)).scalar_one())
        per_kind = conn.execute(
            select(search_records.c.kind, func.count()).group_by(search_records.c.kind).order_by(search_records.c.kind)
        ).all()
    print(f"[{target.label}] index: {records:,} records ("
          + ", ".join(f"kind {k}: {n:,}" for k, n in per_kind) + f"), {postings:,} postings"
          + (f", {postings / records:.0f} per record" if records else ""))


# ----- the terms ----------------------------------------------------------------------------------------------


@dataclass
class Terms:
    classes: dict[str, list[tuple[str, str]]] = field(default_factory=dict)  # class → [(text, "common"/"rare")]


def draw_terms(conn: Connection, per_class: int, seed: int) -> Terms:
    """Terms as staff type them, drawn from a sample of the records' titles (every area's, through their flow
    records): half common ones of each length (log-spaced ranks among the 300 most frequent), half rare ones (seen
    once or twice in the sample)."""
    rng = random.Random(seed)
    wi = workflow_instances.c
    titles = [t for t in conn.execute(select(wi.title).where(wi.id % 13 == 0)).scalars() if t]
    runs = [run for title in titles for run in _CJK.findall(title)]
    counters = {n: Counter(run[i:i + n] for run in runs for i in range(len(run) - n + 1)) for n in (1, 2, 4)}
    common_n = per_class // 2
    terms = Terms()

    def spread(ranked: Sequence[str], k: int) -> list[str]:
        """k of the ranked terms at log-spaced ranks (1st, 2nd, 4th, … up to the 300th): the very commonest (a
        title's template, 关于 …的通知) and the merely common alike."""
        if not ranked:
            return []
        last = min(len(ranked), 300) - 1
        ranks = sorted({round(last ** (i / max(1, k - 1))) - 1 if last > 0 else 0 for i in range(k)})
        chosen = [ranked[max(0, r)] for r in ranks]
        extra = [t for t in ranked[:last + 1] if t not in chosen]
        return (chosen + extra)[:k]

    def pick(n: int) -> list[tuple[str, str]]:
        counter = counters[n]
        common = spread([t for t, _ in counter.most_common(300)], common_n)
        rare_pool = sorted(t for t, c in counter.items() if c <= 2 and t not in common)
        rare = rng.sample(rare_pool, min(len(rare_pool), per_class - len(common)))
        return [(t, "common") for t in common] + [(t, "rare") for t in rare]

    terms.classes["1 character"] = pick(1)
    terms.classes["2 characters"] = pick(2)
    terms.classes["4 characters"] = pick(4)
    top_pairs = {t for t, _ in counters[2].most_common(300)}
    # Words typed together: two of one title's pairs, common ones (half) or any (half).
    pairs: list[tuple[str, str]] = []
    seen: set[str] = set()
    shuffled = titles[:]
    rng.shuffle(shuffled)
    for title in shuffled:
        if len(pairs) >= per_class:
            break
        grams = [run[i:i + 2] for run in _CJK.findall(title) for i in range(len(run) - 1)]
        want_common = len(pairs) < common_n
        pool = [g for g in dict.fromkeys(grams) if (g in top_pairs) == want_common] if want_common else list(
            dict.fromkeys(grams))
        if len(pool) < 2:
            continue
        first, second = rng.sample(pool, 2)
        if first in second or second in first or first[1] == second[0] or second[1] == first[0]:
            continue
        if not want_common and first in top_pairs and second in top_pairs:
            continue
        query = f"{first} {second}"
        if query not in seen:
            seen.add(query)
            pairs.append((query, "common" if want_common else "rare"))
    terms.classes["two words"] = pairs
    return terms


# ----- the queries --------------------------------------------------------------------------------------------


def like_page(conn: Connection, words: Sequence[str]) -> tuple[int, int]:
    """The lists' search today: title LIKE '%word%' for every word, the first 50 newest with the total."""
    wi = workflow_instances.c
    where = and_(*(wi.title.contains(word, autoescape=True) for word in words))
    rows = conn.execute(
        select(wi.id, wi.entity_type, wi.entity_id, wi.title, wi.state, wi.closed)
        .where(where).order_by(wi.id.desc()).limit(PAGE)
    ).all()
    total = int(conn.execute(select(func.count()).select_from(workflow_instances).where(where)).scalar_one())
    conn.rollback()
    return len(rows), total


@dataclass
class ClassFigures:
    name: str
    terms: int
    search: list[float]
    like: list[float]
    hits: list[int]
    like_totals: list[int]
    slowest: tuple[float, str] = (0.0, "")

    @property
    def passed(self) -> bool:
        return _p(self.search, 0.95) <= TARGET_MS


def run_queries(ctx: AppContext, actor: Actor, terms: Terms, repetitions: int, with_like: bool) -> list[ClassFigures]:
    from app.services.search.query import search

    figures: list[ClassFigures] = []
    with ctx.engine.connect() as conn:
        for name in CLASSES:
            chosen = terms.classes.get(name, [])
            fig = ClassFigures(name, len(chosen), [], [], [], [])
            per_term: dict[str, list[float]] = {}
            for query_text, _ in chosen:
                # A warm-up of each, and its hits.
                with ctx.uow() as uow:
                    result = search(uow, actor, query_text)
                fig.hits.append(result.total)
                if with_like:
                    fig.like_totals.append(like_page(conn, query_text.split())[1])
            for _ in range(repetitions):
                for query_text, _ in chosen:
                    started = time.perf_counter()
                    with ctx.uow() as uow:
                        search(uow, actor, query_text)
                    elapsed = time.perf_counter() - started
                    fig.search.append(elapsed)
                    per_term.setdefault(query_text, []).append(elapsed)
                    if with_like:
                        started = time.perf_counter()
                        like_page(conn, query_text.split())
                        fig.like.append(time.perf_counter() - started)
            if per_term:
                worst = max(per_term, key=lambda t: statistics.median(per_term[t]))
                fig.slowest = (statistics.median(per_term[worst]) * 1000, worst)
            figures.append(fig)
    return figures


def print_queries(title: str, figures: Sequence[ClassFigures], with_like: bool) -> None:
    print()
    print(title)
    head = f"{'class':<14}{'terms':>6}{'search p50':>12}{'p95':>9}"
    if with_like:
        head += f"{'LIKE p50':>11}{'p95':>9}{'p50 ratio':>11}"
    print(head + f"{'target':>9}  hits (shown total per query: median / max)" + ("; LIKE total median" if with_like else ""))
    for f in figures:
        if not f.search:
            print(f"{f.name:<14}{0:>6}  (no terms)")
            continue
        line = f"{f.name:<14}{f.terms:>6}{_median_ms(f.search):>12.1f}{_p(f.search, 0.95):>9.1f}"
        if with_like and f.like:
            line += f"{_median_ms(f.like):>11.1f}{_p(f.like, 0.95):>9.1f}{_median_ms(f.like) / _median_ms(f.search):>10.1f}×"
        line += f"{'PASS' if f.passed else 'FAIL':>9}  {statistics.median(f.hits):,.0f} / {max(f.hits):,}"
        if with_like and f.like_totals:
            line += f"; {statistics.median(f.like_totals):,.0f}"
        line += f"; slowest '{f.slowest[1]}' {f.slowest[0]:.1f} ms"
        print(line)


def print_terms(terms: Terms) -> None:
    for name in CLASSES:
        chosen = terms.classes.get(name, [])
        print(f"  {name}: " + "、".join(f"{t}{'' if kind == 'common' else '*'}" for t, kind in chosen))
    print("  (* rare: seen once or twice in the sample of titles)")


def explain_slowest(target: Target, ctx: AppContext, actor: Actor, query_text: str) -> None:
    """Where one search's time goes: its statements replayed one by one through the bare driver (every row
    fetched: SQLite runs a statement as its rows are read), the rest being Python; and the slow ones' plans."""
    from app.services.search.query import search

    def call() -> None:
        with ctx.uow() as uow:
            search(uow, actor, query_text)

    statements = capture(ctx.engine, call)
    total = min(_timed(call) for _ in range(3))
    raw = RawDriver(target.url)
    try:
        timed = []
        for statement, parameters in statements:
            best = min(_timed(lambda: raw.replay([(statement, parameters)])) for _ in range(3))
            timed.append((best, statement, parameters))
        in_sql = sum(t for t, _, _ in timed)
        print(f"\n-- '{query_text}': {total * 1000:.1f} ms in all (best of 3), {len(timed)} statements taking "
              f"{in_sql * 1000:.1f} ms in {raw.name} (the rest, {(total - in_sql) * 1000:.1f} ms, in Python: "
              "the ranking, the snippets, the unit of work)")
        prefix = {"sqlite": "EXPLAIN QUERY PLAN ", "postgresql": "EXPLAIN (ANALYZE, BUFFERS) "}.get(
            target.backend, "ANALYZE ")
        for elapsed, statement, parameters in sorted(timed, key=lambda t: -t[0])[:3]:
            print(f"\n   {elapsed * 1000:.1f} ms: {' '.join(statement.split())[:700]}")
            print(f"   parameters: {str(parameters)[:300]}")
            try:
                (rows,) = raw.replay([(prefix + statement, parameters)])
                for row in rows:
                    print("     ", " | ".join(str(v) for v in row)[:300])
            except Exception as error:  # noqa: BLE001 - a plan is a help, not a figure
                print(f"      (no plan: {error})")
                raw.conn.rollback()
    finally:
        raw.close()


# ----- the write path -----------------------------------------------------------------------------------------


def write_path(ctx: AppContext, writes: int, rounds: int, seed: int) -> list[WriteFigures]:
    from app.demo.document_bodies import demo_body
    from app.demo.documents import TOWNSHIPS, incoming_record, outgoing_title
    from app.services.documents import incoming, outgoing
    from app.services.search import upkeep
    from app.services.search.sources import searched

    rng = random.Random(seed)
    clerk = actor_with(ctx, Role.SECRETARY)
    today = date.today()

    def register() -> int:
        title, kind, source = incoming_record(rng, today.year, TOWNSHIPS)
        with ctx.uow() as uow:
            info = incoming.create_incoming(uow, clerk, title=title, source_unit=source,
                                            source_number=f"{source[:2]}〔{today.year}〕{rng.randint(1, 300)}号",
                                            doc_type=kind, copies_received=1,
                                            source_date=today - timedelta(days=2), today=today)
        return info.id

    def draft() -> int:
        title, kind = outgoing_title(rng, today.year)
        main = "各乡镇人民政府，县政府各部门"
        with ctx.uow() as uow:
            info = outgoing.create_draft(uow, clerk, title=title, doc_type=kind, disclosure="主动公开",
                                         main_recipients=main, body=("正文.docx", demo_body(title, kind, main)),
                                         today=today)
        return info.id

    results: list[WriteFigures] = []
    unindexed: list[int] = []
    per_round = max(1, writes // (2 * rounds))
    for name, write in (("收文登记 (create_incoming)", register), ("拟稿 with a .docx 正文 (create_draft)", draft)):
        kept: list[float] = []
        bare: list[float] = []
        for _ in range(2):  # warm-ups: the first writes load modules and fill caches
            write()
        for r in range(rounds):
            for mode in (("kept", "suspended") if r % 2 == 0 else ("suspended", "kept")):
                for _ in range(per_round):
                    started = time.perf_counter()
                    if mode == "kept":
                        write()
                        kept.append(time.perf_counter() - started)
                    else:
                        with upkeep.suspended():
                            unindexed.append(write())
                        bare.append(time.perf_counter() - started)
        results.append(WriteFigures(name, kept, bare))
    # The documents written without the index are indexed now, as the rebuild would: the index stays whole.
    specs = {spec.entity_type: (spec, source) for spec, source in searched().values()}
    if "document" in specs and unindexed:
        spec, source = specs["document"]
        with ctx.uow() as uow:
            upkeep.refresh(uow, spec, source, sorted(unindexed))
            uow.commit()
    return results


@dataclass
class WriteFigures:
    """One kind of write's times (seconds) with the index kept and with it suspended."""

    name: str
    kept: list[float]
    bare: list[float]


def print_writes(title: str, results: Sequence[WriteFigures], writes: int) -> None:
    print()
    print(title)
    print(f"{'write':<40}{'index kept ms':>15}{'suspended ms':>14}{'ratio':>8}  target ≤ {WRITE_RATIO_TARGET}×"
          f"   kept p95 / max (the write that posts the waiting records)   suspended p95 / max")
    for figures in results:
        kept, bare = _median_ms(figures.kept), _median_ms(figures.bare)
        ratio = kept / bare
        print(f"{figures.name:<40}{kept:>15.1f}{bare:>14.1f}{ratio:>7.2f}×  "
              f"{'PASS' if ratio <= WRITE_RATIO_TARGET else 'FAIL'}"
              f"   {_p(figures.kept, 0.95):.1f} / {max(figures.kept) * 1000:.1f}"
              f"   {_p(figures.bare, 0.95):.1f} / {max(figures.bare) * 1000:.1f}")


# ----- the mechanisms -----------------------------------------------------------------------------------------


@dataclass
class Mechanism:
    """One way of finding a term: (conn, term) → (total, first page), and (conn, term) → every id found."""

    name: str
    page: Callable[[Connection, str], tuple[int, int]]
    ids: Callable[[Connection, str], set[tuple[int, int]]]
    note: str = ""
    # A scan of every record's text: timed once per term (at 100,000s of records each takes seconds).
    scan: bool = False


def _reference(conn: Connection, term: str) -> set[tuple[int, int]]:
    r = search_records.c
    return {(int(k), int(i)) for k, i in conn.execute(
        select(r.kind, r.record_id).where(r.text_match.contains(term, autoescape=True)))}


def _like_mechanism() -> Mechanism:
    r = search_records.c

    def page(conn: Connection, term: str) -> tuple[int, int]:
        where = r.text_match.contains(term, autoescape=True)
        rows = conn.execute(select(r.kind, r.record_id).where(where).order_by(r.record_id.desc()).limit(PAGE)).all()
        total = int(conn.execute(select(func.count()).select_from(search_records).where(where)).scalar_one())
        return total, len(rows)

    return Mechanism("LIKE '%term%' on the indexed text (scan)", page, _reference, scan=True)


def _postings_mechanism() -> Mechanism:
    """Our postings as the query uses them (rarest gram drives, the others must be there, longer terms checked
    in the text), without the visibility rule and the 500 cap, public fields only."""
    p = search_postings.c
    r = search_records.c

    def where_for(conn: Connection, term: str) -> tuple[Any, Any]:
        query = parse_query(term)
        needle = query.needles[0]
        grams = query.needle_grams(needle)
        counts = {g: int(conn.execute(select(func.count()).select_from(
            select(p.gram).where(p.gram == g, p.public == true()).limit(5000).subquery())).scalar_one()) for g in grams}
        driver = min(grams, key=lambda g: counts[g])
        d = search_postings.alias("d")
        conditions = [d.c.gram == driver, d.c.public == true()]
        for gram in grams:
            if gram != driver:
                o = search_postings.alias()
                conditions.append(select(o.c.gram).where(o.c.gram == gram, o.c.kind == d.c.kind,
                                                         o.c.record_id == d.c.record_id, o.c.public == true()).exists())
        source: Any = d
        if len(needle) > 2:
            source = d.join(search_records, and_(r.kind == d.c.kind, r.record_id == d.c.record_id))
            conditions.append(r.text_match.contains(needle, autoescape=True))
        return source, (d, and_(*conditions))

    def page(conn: Connection, term: str) -> tuple[int, int]:
        source, (d, where) = where_for(conn, term)
        rows = conn.execute(select(d.c.kind, d.c.record_id).select_from(source).where(where)
                            .order_by(d.c.record_id.desc()).limit(PAGE)).all()
        total = int(conn.execute(select(func.count()).select_from(source).where(where)).scalar_one())
        return total, len(rows)

    def ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        source, (d, where) = where_for(conn, term)
        return {(int(k), int(i)) for k, i in conn.execute(select(d.c.kind, d.c.record_id).select_from(source)
                                                          .where(where))}

    return Mechanism("n-gram postings (ours; no visibility, no cap)", page, ids)


def _timed(what: Callable[[], Any]) -> float:
    started = time.perf_counter()
    what()
    return time.perf_counter() - started


def _sqlite_mechanisms(conn: Connection, rebuild: bool) -> tuple[list[Mechanism], list[str]]:
    notes: list[str] = [f"SQLite {conn.exec_driver_sql('select sqlite_version()').scalar()}"]
    exists = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'bench_fts' AND sql LIKE "
                                  "'%fts5(text_match%'").first() is not None
    if exists and not rebuild:
        notes.append("FTS5 trigram table bench_fts reused (built by an earlier run)")
    else:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_fts")
        # External content: the text stays in search_records, the FTS table holds the trigram index only.
        conn.exec_driver_sql("CREATE VIRTUAL TABLE bench_fts USING fts5(text_match, content='search_records', "
                             "content_rowid='rowid', tokenize='trigram')")
        seconds = _timed(lambda: conn.exec_driver_sql("INSERT INTO bench_fts(bench_fts) VALUES ('rebuild')"))
        conn.commit()
        notes.append(f"FTS5 trigram index built in {seconds:.1f} s")
    try:
        sizes: dict[str, int] = dict(conn.exec_driver_sql(
            "SELECT CASE WHEN name LIKE 'bench_fts%' THEN 'fts5 trigram' WHEN name LIKE '%search_postings%' "
            "THEN 'postings' WHEN name LIKE '%search_records%' THEN 'records' END AS what, SUM(pgsize) FROM dbstat "
            "WHERE name LIKE 'bench_fts%' OR name LIKE '%search_postings%' OR name LIKE '%search_records%' "
            "GROUP BY what").all())
        notes.append("sizes: " + ", ".join(f"{k} {v / 2**20:,.0f} MB" for k, v in sizes.items() if k))
    except Exception:  # noqa: BLE001 - dbstat is compiled in only sometimes
        pass

    def fts_page(conn: Connection, term: str) -> tuple[int, int]:
        quoted = '"' + term.replace('"', '""') + '"'
        rows = conn.exec_driver_sql("SELECT rowid FROM bench_fts WHERE bench_fts MATCH ? ORDER BY rowid DESC LIMIT 50",
                                    (quoted,)).all()
        total = conn.exec_driver_sql("SELECT count(*) FROM bench_fts WHERE bench_fts MATCH ?", (quoted,)).scalar()
        return int(total or 0), len(rows)

    def fts_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        quoted = '"' + term.replace('"', '""') + '"'
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT r.kind, r.record_id FROM bench_fts f JOIN search_records r ON r.rowid = f.rowid "
            "WHERE bench_fts MATCH ?", (quoted,))}

    def fts_like_page(conn: Connection, term: str) -> tuple[int, int]:
        pattern = f"%{term}%"
        rows = conn.exec_driver_sql("SELECT rowid FROM bench_fts WHERE text_match LIKE ? ORDER BY rowid DESC LIMIT 50",
                                    (pattern,)).all()
        total = conn.exec_driver_sql("SELECT count(*) FROM bench_fts WHERE text_match LIKE ?", (pattern,)).scalar()
        return int(total or 0), len(rows)

    def fts_like_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT r.kind, r.record_id FROM bench_fts f JOIN search_records r ON r.rowid = f.rowid "
            "WHERE f.text_match LIKE ?", (f"%{term}%",))}

    return [
        Mechanism("FTS5 trigram, MATCH \"term\"", fts_page, fts_ids,
                  note="a term under 3 characters matches no row"),
        Mechanism("FTS5 trigram, LIKE '%term%'", fts_like_page, fts_like_ids,
                  note="under 3 characters it finds no row either (SQLite 3.40: no fallback to a scan)"),
    ], notes


def _postgresql_mechanisms(conn: Connection, rebuild: bool) -> tuple[list[Mechanism], list[str]]:
    notes = [str(conn.exec_driver_sql("SELECT version()").scalar()).split(" on ")[0]]
    available = conn.exec_driver_sql(
        "SELECT default_version FROM pg_available_extensions WHERE name = 'pg_trgm'").scalar()
    notes.append(f"pg_trgm available: {available or 'NO'}")
    collate = conn.exec_driver_sql(
        "SELECT datcollate || ' / ' || datctype FROM pg_database WHERE datname = current_database()").scalar()
    notes.append(f"database collation / ctype: {collate}")
    conn.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    conn.commit()
    count = int(conn.execute(select(func.count()).select_from(search_records)).scalar_one())
    exists = conn.exec_driver_sql("SELECT to_regclass('bench_mech') IS NOT NULL").scalar()
    same = exists and int(conn.exec_driver_sql("SELECT count(*) FROM bench_mech").scalar() or 0) == count
    if same and not rebuild:
        notes.append("bench_mech (copy of search_records.text_match) and its GIN indexes reused")
    else:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_mech")
        copy = _timed(lambda: conn.exec_driver_sql(
            "CREATE TABLE bench_mech AS SELECT kind, record_id, text_match AS body FROM search_records"))
        conn.exec_driver_sql("ALTER TABLE bench_mech ADD PRIMARY KEY (kind, record_id)")
        conn.commit()
        trgm = _timed(lambda: conn.exec_driver_sql(
            "CREATE INDEX bench_mech_trgm ON bench_mech USING gin (body gin_trgm_ops)"))
        conn.commit()
        ts = _timed(lambda: conn.exec_driver_sql(
            "CREATE INDEX bench_mech_ts ON bench_mech USING gin (to_tsvector('simple', body))"))
        conn.commit()
        conn.exec_driver_sql("ANALYZE bench_mech")
        conn.commit()
        notes.append(f"copy {copy:.1f} s; pg_trgm GIN built in {trgm:.1f} s; tsvector GIN in {ts:.1f} s")
    sizes = conn.exec_driver_sql(
        "SELECT pg_relation_size('bench_mech_trgm'), pg_relation_size('bench_mech_ts'), "
        "pg_total_relation_size('search_postings'), pg_total_relation_size('search_records')").one()
    notes.append(f"sizes: pg_trgm GIN {sizes[0] / 2**20:,.0f} MB, tsvector GIN {sizes[1] / 2**20:,.0f} MB, "
                 f"our postings {sizes[2] / 2**20:,.0f} MB (with their key), search_records {sizes[3] / 2**20:,.0f} MB")
    sample = conn.exec_driver_sql("SELECT show_trgm('安全生产工作')").scalar()
    notes.append(f"show_trgm('安全生产工作') = {sample}")

    def trgm_page(conn: Connection, term: str) -> tuple[int, int]:
        pattern = f"%{term}%"
        rows = conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE body LIKE %s ORDER BY record_id DESC LIMIT 50",
            (pattern,)).all()
        total = conn.exec_driver_sql("SELECT count(*) FROM bench_mech WHERE body LIKE %s", (pattern,)).scalar()
        return int(total or 0), len(rows)

    def trgm_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE body LIKE %s", (f"%{term}%",))}

    def ts_page(conn: Connection, term: str) -> tuple[int, int]:
        rows = conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE to_tsvector('simple', body) @@ "
            "plainto_tsquery('simple', %s) ORDER BY record_id DESC LIMIT 50", (term,)).all()
        total = conn.exec_driver_sql(
            "SELECT count(*) FROM bench_mech WHERE to_tsvector('simple', body) @@ plainto_tsquery('simple', %s)",
            (term,)).scalar()
        return int(total or 0), len(rows)

    def ts_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE to_tsvector('simple', body) @@ "
            "plainto_tsquery('simple', %s)", (term,))}

    plans = []
    for term in ("安", "安全", "安全生产"):
        plan = conn.exec_driver_sql("EXPLAIN SELECT count(*) FROM bench_mech WHERE body LIKE %s",
                                    (f"%{term}%",)).scalars().all()
        plans.append(f"LIKE '%{term}%': " + " / ".join(line.strip() for line in plan if "Scan" in line or "Cond" in line))
    conn.rollback()
    notes += plans
    return [
        Mechanism("pg_trgm GIN, LIKE '%term%'", trgm_page, trgm_ids,
                  note="under 3 characters no trigram to look up"),
        Mechanism("to_tsvector('simple') GIN, @@ plainto_tsquery", ts_page, ts_ids,
                  note="a run of Chinese is one token"),
    ], notes


def _mariadb_mechanisms(conn: Connection, rebuild: bool) -> tuple[list[Mechanism], list[str]]:
    notes = [f"MariaDB {conn.exec_driver_sql('SELECT VERSION()').scalar()}"]
    plugins = conn.exec_driver_sql("SHOW PLUGINS").all()
    parsers = [f"{row[0]} ({row[1]})" for row in plugins if str(row[2]).upper() == "FTPARSER"]
    ngram = [row for row in plugins if "ngram" in str(row[0]).lower()]
    notes.append("full-text parser plugins: " + (", ".join(parsers) or "none") + "; ngram: "
                 + ("present" if ngram else "absent (the ngram parser is MySQL's; MariaDB has none)"))
    soname = conn.exec_driver_sql("SELECT @@plugin_dir").scalar()
    notes.append(f"innodb_ft_min_token_size = {conn.exec_driver_sql('SELECT @@innodb_ft_min_token_size').scalar()}"
                 f", plugin_dir {soname}")
    count = int(conn.execute(select(func.count()).select_from(search_records)).scalar_one())
    exists = conn.exec_driver_sql(
        "SELECT count(*) FROM information_schema.tables WHERE table_schema = DATABASE() AND table_name = 'bench_mech'"
    ).scalar()
    same = bool(exists) and int(conn.exec_driver_sql("SELECT count(*) FROM bench_mech").scalar() or 0) == count
    if same and not rebuild:
        notes.append("bench_mech (copy of search_records.text_match) and its FULLTEXT index reused")
    else:
        conn.exec_driver_sql("DROP TABLE IF EXISTS bench_mech")
        conn.exec_driver_sql(
            "CREATE TABLE bench_mech (kind INT NOT NULL, record_id INT NOT NULL, body LONGTEXT CHARACTER SET utf8mb4 "
            "COLLATE utf8mb4_unicode_ci NOT NULL, PRIMARY KEY (kind, record_id)) ENGINE=InnoDB")
        copy = _timed(lambda: conn.exec_driver_sql(
            "INSERT INTO bench_mech SELECT kind, record_id, text_match FROM search_records"))
        conn.commit()
        built = _timed(lambda: conn.exec_driver_sql("ALTER TABLE bench_mech ADD FULLTEXT INDEX ft_body (body)"))
        conn.commit()
        notes.append(f"copy {copy:.1f} s; FULLTEXT index built in {built:.1f} s")

    def ft(term: str) -> str:
        return '"' + term.replace('"', "") + '"'

    def ft_page(conn: Connection, term: str) -> tuple[int, int]:
        rows = conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE) "
            "ORDER BY record_id DESC LIMIT 50", (ft(term),)).all()
        total = conn.exec_driver_sql(
            "SELECT count(*) FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE)", (ft(term),)).scalar()
        return int(total or 0), len(rows)

    def ft_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE)", (ft(term),))}

    def prefix_page(conn: Connection, term: str) -> tuple[int, int]:
        rows = conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE) "
            "ORDER BY record_id DESC LIMIT 50", (term + "*",)).all()
        total = conn.exec_driver_sql(
            "SELECT count(*) FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE)", (term + "*",)).scalar()
        return int(total or 0), len(rows)

    def prefix_ids(conn: Connection, term: str) -> set[tuple[int, int]]:
        return {(int(k), int(i)) for k, i in conn.exec_driver_sql(
            "SELECT kind, record_id FROM bench_mech WHERE MATCH(body) AGAINST (%s IN BOOLEAN MODE)", (term + "*",))}

    return [
        Mechanism("InnoDB FULLTEXT, MATCH \"term\" (boolean)", ft_page, ft_ids,
                  note="words end at spaces and punctuation: a run of Chinese is one word"),
        Mechanism("InnoDB FULLTEXT, MATCH term* (prefix)", prefix_page, prefix_ids,
                  note="finds a term only at the start of a run"),
    ], notes


def mechanisms(target: Target, ctx: AppContext, terms: Terms, per_class: int, repetitions: int,
               rebuild: bool) -> None:
    engine = ctx.engine
    with engine.connect() as conn:
        builder = {"sqlite": _sqlite_mechanisms, "postgresql": _postgresql_mechanisms}.get(target.backend,
                                                                                         _mariadb_mechanisms)
        own, notes = builder(conn, rebuild)
        conn.commit()
        candidates = [_like_mechanism(), _postings_mechanism(), *own]
        print()
        print(f"== {target.label}: mechanisms on search_records.text_match "
              f"({int(conn.execute(select(func.count()).select_from(search_records)).scalar_one()):,} records) ==")
        for note in notes:
            print(f"   {note}")
        print(f"{'mechanism':<48}{'class':<14}{'p50 ms':>9}{'p95 ms':>9}  correct (same ids as LIKE)")
        for name in CLASSES[:3]:
            chosen = [t for t, _ in terms.classes.get(name, [])]
            chosen = chosen[: per_class // 2] + chosen[len(chosen) // 2: len(chosen) // 2 + per_class - per_class // 2]
            reference = {term: _reference(conn, term) for term in chosen}
            conn.rollback()
            for mechanism in candidates:
                correct, wrong = 0, []
                for term in chosen:
                    found = reference[term] if mechanism.ids is _reference else mechanism.ids(conn, term)
                    if found == reference[term]:
                        correct += 1
                    else:
                        wrong.append(f"{term}: {len(found):,} of {len(reference[term]):,}")
                    conn.rollback()
                samples: list[float] = []
                for _ in range(1 if mechanism.scan else repetitions):
                    for term in chosen:
                        started = time.perf_counter()
                        mechanism.page(conn, term)
                        samples.append(time.perf_counter() - started)
                        conn.rollback()
                detail = "" if not wrong else "  e.g. " + "; ".join(wrong[:3])
                print(f"{mechanism.name:<48}{name:<14}{_median_ms(samples):>9.1f}{_p(samples, 0.95):>9.1f}  "
                      f"{correct}/{len(chosen)}{detail}")
        for mechanism in candidates:
            if mechanism.note:
                print(f"   {mechanism.name}: {mechanism.note}")


# ----- the command --------------------------------------------------------------------------------------------


def targets(args: argparse.Namespace) -> list[Target]:
    found: list[Target] = []
    if args.database:
        url = normalize_url(args.database)
        found.append(Target(f"{url.get_backend_name()} (given)", url))
    if not args.no_sqlite and not args.database:
        sqlite = args.sqlite or str(OUT_DIR / f"bench-search-{args.size}.sqlite3")
        found.append(Target("SQLite", normalize_url(f"sqlite:///{Path(sqlite).resolve()}")))
    for label, admin in (("PostgreSQL", args.postgresql), ("MariaDB", args.mysql)):
        if admin:
            admin_url = normalize_url(admin)
            found.append(Target(label, admin_url.set(database=args.bench_database), admin_url))
    return found


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", help="an existing database URL (filled there if empty)")
    parser.add_argument("--sqlite", help="SQLite bench file (default bench/out/bench-search-SIZE.sqlite3)")
    parser.add_argument("--no-sqlite", action="store_true", help="only the servers")
    parser.add_argument("--postgresql", help="PostgreSQL server URL; the bench database is recreated there")
    parser.add_argument("--mysql", help="MariaDB/MySQL server URL; the bench database is recreated there")
    parser.add_argument("--bench-database", default=BENCH_DATABASE, help="the server database to (re)create")
    parser.add_argument("--size", type=int, default=100_000, help="公文 (default 100000)")
    parser.add_argument("--claims", type=int, default=100_000, help="报销单 (default 100000)")
    parser.add_argument("--cases", type=int, default=DEFAULT_CASES, help="信访件 (default 100000)")
    parser.add_argument("--items", type=int, default=20_000, help="督办事项 (default 20000)")
    parser.add_argument("--meetings", type=int, default=DEFAULT_MEETINGS, help="会议 (default 20000)")
    parser.add_argument("--information", type=int, default=DEFAULT_INFORMATION, help="政务信息 (default 50000)")
    parser.add_argument("--rebuild", action="store_true", help="build the database even if one matches")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if it holds every record")
    parser.add_argument("--analyze", action="store_true",
                        help="analyse the index tables before measuring (done anyway after a rebuild)")
    parser.add_argument("--terms", type=int, default=20, help="terms per class (half common, half rare)")
    parser.add_argument("--repetitions", type=int, default=5, help="timed runs of each query")
    parser.add_argument("--writes", type=int, default=200, help="documents written per kind of write")
    parser.add_argument("--rounds", type=int, default=10, help="alternating rounds of the write path")
    parser.add_argument("--no-writes", action="store_true", help="skip the write path")
    parser.add_argument("--mechanisms", action="store_true", help="the mechanism comparison instead")
    parser.add_argument("--mechanism-terms", type=int, default=6, help="terms per class in --mechanisms")
    parser.add_argument("--rebuild-mechanisms", action="store_true", help="build the mechanisms' indexes again")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)

    load = ", ".join(f"{v:.1f}" for v in os.getloadavg())
    print(f"GovDesk 综合查询 bench, {date.today():%Y-%m-%d}, Python {sys.version.split()[0]}, "
          f"{multiprocessing.cpu_count()} CPUs, load average {load}")
    for target in targets(args):
        built = prepare_search(target, args)
        ctx = bootstrap(target.url)
        try:
            ensure_index(target, ctx, force=built or args.reindex)
            if args.analyze:
                analyze_index(target, ctx)
            with ctx.engine.connect() as conn:
                terms = draw_terms(conn, args.terms, args.seed)
            print(f"[{target.label}] terms drawn from the titles:")
            print_terms(terms)
            if args.mechanisms:
                mechanisms(target, ctx, terms, args.mechanism_terms, max(1, args.repetitions // 2 + 1),
                           args.rebuild_mechanisms)
                continue
            director = actor_with(ctx, Role.DIRECTOR)
            liaison = actor_with(ctx, Role.LIAISON)
            figures = run_queries(ctx, director, terms, args.repetitions, with_like=True)
            print_queries(f"== {target.label}: search(), the office's director ({director.full_name}); "
                          f"{args.repetitions} runs of each query after a warm-up; ms ==", figures, True)
            liaison_figures = run_queries(ctx, liaison, terms, args.repetitions, with_like=False)
            print_queries(f"== {target.label}: search(), a 联络员 ({liaison.full_name}, unit id {liaison.unit_id}); ms ==",
                          liaison_figures, False)
            for fig in [*figures, *liaison_figures]:
                if fig.search and not fig.passed:
                    who = director if fig in figures else liaison
                    print(f"\n[{target.label}] {fig.name} misses {TARGET_MS:.0f} ms p95 "
                          f"({_p(fig.search, 0.95):.1f}): where the time of its slowest query goes")
                    explain_slowest(target, ctx, who, fig.slowest[1])
            if not args.no_writes:
                results = write_path(ctx, args.writes, args.rounds, args.seed)
                print_writes(f"== {target.label}: the write path, {args.writes} of each, {args.rounds} alternating "
                             f"rounds; median ms per write ==", results, args.writes)
        finally:
            ctx.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
