"""Typesetting speed: `govdesk print official-document` (the 正式公文, typeset from the document's .docx 正文) from a
cold start, beside `govdesk print outgoing-draft` (its 发文稿纸) of the same document in the same run.

    python -m bench.official_document [--runs 7] [--database URL]

Both rows go through the installed `govdesk` entry point, each run a fresh process with a warm font cache (a print
before the timing writes it), interleaved so that machine noise hits both alike; each figure is the median. The
database is a demo one (`govdesk demo-data --size 300`), whose 发文 carry real .docx bodies; the document is the
first 通知 from 印制 on. Target: the 正式公文 within 1.5× the 发文稿纸, which prints in a table grid and reads no
.docx.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.print_forms import fresh, govdesk_command, make_database, timed


def typeset_candidate(url: str) -> int:
    """The first outgoing 通知 from 印制 on with a .docx 正文."""
    from sqlalchemy import bindparam, text

    from app.bootstrap import bootstrap
    from app.core.official_document import TYPESET_STATES

    ctx = bootstrap(url)
    try:
        with ctx.engine.connect() as connection:
            found = connection.execute(text(
                "SELECT d.id FROM documents d JOIN workflow_instances w ON w.id = d.workflow_instance_id "
                "JOIN attachments a ON a.owner_type = 'document' AND a.owner_id = d.id AND a.purpose = 'body' "
                "WHERE d.direction = 'out' AND d.doc_type = '通知' AND w.state IN :states "
                "AND a.filename LIKE '%.docx' ORDER BY d.id LIMIT 1"
            ).bindparams(bindparam("states", expanding=True)), {"states": list(TYPESET_STATES)}).scalar()
    finally:
        ctx.dispose()
    if found is None:
        raise SystemExit("演示数据库里没有印制环节以后的通知，无法测排版")
    return int(found)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.official_document", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--database", help="an existing GovDesk database (default: a new demo database)")
    args = parser.parse_args(argv)
    govdesk = govdesk_command()
    with tempfile.TemporaryDirectory(prefix="govdesk-official-bench-") as tmp:
        work = Path(tmp)
        url = args.database or f"sqlite:///{work / 'official-bench.sqlite3'}"
        if not args.database:
            make_database(govdesk, url)
        document = typeset_candidate(url)
        env = dict(os.environ, PYTHONPYCACHEPREFIX=str(work / "pycache"), GOVDESK_CACHE_DIR=str(work / "cache"))
        env.pop("PYTHONDONTWRITEBYTECODE", None)
        out = work / "out"

        def argv_of(form: str) -> list[str]:
            return [govdesk, "--database", url, "print", form, "--id", str(document), "--out",
                    str(fresh(out) / "one.pdf")]

        rows = {"govdesk print outgoing-draft（发文稿纸）": "outgoing-draft",
                "govdesk print official-document（正式公文）": "official-document"}
        for form in rows.values():  # warm-up: bytecode and font cache written before the timing
            subprocess.run(argv_of(form), env=env, check=True, stdout=subprocess.DEVNULL)
        times: dict[str, list[float]] = {name: [] for name in rows}
        for _ in range(args.runs):
            for name, form in rows.items():
                times[name].append(timed(argv_of(form), env, (out / "one.pdf").exists)[0])
        print(f"公文 id {document}，每行 {args.runs} 次，取中位数")
        medians = {name: statistics.median(values) for name, values in times.items()}
        for name, value in medians.items():
            print(f"  {name:<44} {value * 1000:8.0f} ms")
        baseline, typeset = medians.values()
        print(f"  正式公文 / 发文稿纸 = {typeset / baseline:.2f}×（目标 ≤ 1.5×）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
