"""The datasette plugin behind ``crabplug view``: links from rows to sample pages, the sample page, the compare
page, and the drop decisions written to the run's review file.

Registered into datasette's own plugin manager by :func:`crabplug_view.server.serve` (datasette is a pluggy
application too); its settings come from the datasette metadata under ``plugins.crabplug-view``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from datasette import Response, hookimpl
from markupsafe import Markup, escape

NAME = "crabplug-view"
DB = "view"


def _settings(datasette) -> dict[str, Any]:
    return datasette.plugin_config(NAME) or {}


def _markdown(text: str) -> Markup:
    """Markdown to HTML with raw HTML escaped (responses are data, not markup to run)."""
    from markdown_it import MarkdownIt

    return Markup(MarkdownIt("commonmark", {"html": False}).enable("table").render(text or ""))


@hookimpl
def render_cell(row, value, column, table, database, datasette):
    """Sample ids link to their sample page; eval prompts to their compare page."""
    if database != DB or value is None:
        return None
    if (table, column) in {("samples", "id"), ("constraints", "sample_id"), ("dpo", "id")}:
        return Markup(f'<a href="/-/crabplug/sample/{escape(value)}">{escape(value)}</a>')
    if (table, column) in {("candidates", "example_id"), ("examples", "id")}:
        return Markup(f'<a href="/view/samples?example_id={escape(value)}">{escape(value)}</a>')
    if (table, column) == ("prompts", "key"):
        return Markup(f'<a href="/-/crabplug/prompt/{escape(value)}">{escape(value)}</a>')
    return None


def _rules(datasette):
    from crabplug import load_review_rules

    run_dir = _settings(datasette).get("run_dir")
    return load_review_rules(Path(run_dir)) if run_dir else None


async def sample_page(datasette, request):
    """One sample: the instruction, the response as markdown, its constraints, the DPO rejection, drop buttons."""
    sid = request.url_vars["id"]
    db = datasette.get_database(DB)
    found = (await db.execute(
        "SELECT s.id, s.example_id, s.n_constraints, s.flags, s.source, s.template, t.instruction, t.response"
        " FROM samples s"
        " JOIN texts t ON t.rowid = s.rowid WHERE s.id = ?", [sid])).rows
    if not found:
        return Response.html(f"<p>No sample {escape(sid)} in this run.</p>", status=404)
    sample = dict(found[0])
    constraints = [dict(r) for r in (await db.execute(
        "SELECT position, type, family, phrasing, kwargs, origin, verdict, verified_by, flags FROM constraints"
        " WHERE sample_id = ? ORDER BY position", [sid])).rows]
    dpo = (await db.execute("SELECT strategy, rejected, violated FROM dpo WHERE id = ?", [sid])).rows
    dpo = dict(dpo[0]) if dpo else None
    if dpo:
        dpo["violated"] = json.loads(dpo["violated"] or "[]")
        dpo["html"] = _markdown(dpo["rejected"])
    used = {(c["type"], c["kwargs"]) for c in constraints}
    others = [dict(r) for r in (await db.execute(
        "SELECT type, family, kwargs, origin, verdict, verified_by FROM candidates WHERE example_id = ?"
        " ORDER BY rowid", [sample["example_id"]])).rows]
    others = [c for c in others if (c["type"], c["kwargs"]) not in used]
    rules = _rules(datasette)
    return Response.html(await datasette.render_template("crabplug_sample.html", {
        "others": others,
        "sample": sample, "flags": json.loads(sample["flags"] or "[]"), "constraints": constraints,
        "response_html": _markdown(sample["response"]), "dpo": dpo, "rules": rules,
        "run_dir": _settings(datasette).get("run_dir"),
    }, request=request))


async def drop(datasette, request):
    """A decision from the page: add a sample id or a constraint type to the run's review file, then go back."""
    from crabplug import ReviewRules, save_review_rules

    run_dir = _settings(datasette).get("run_dir")
    form = await request.post_vars()
    sample, ctype = form.get("sample", "").strip(), form.get("type", "").strip()
    if not run_dir or not (sample or ctype):
        return Response.text("name a sample or a constraint type to drop", status=400)
    rules = _rules(datasette).merged(ReviewRules(samples=(sample,) if sample else (), types=(ctype,) if ctype else ()))
    save_review_rules(Path(run_dir), rules)
    datasette.add_message(request, f"marked to drop: {sample or ctype} (apply with crabplug drop {run_dir})")
    back = form.get("back") or "/"
    return Response.redirect(back if back.startswith("/") and not back.startswith("//") else "/")


async def undo(datasette, request):
    """Take a sample id or a constraint type back out of the review file (before ``crabplug drop`` applies it)."""
    import attrs

    from crabplug import save_review_rules

    run_dir = _settings(datasette).get("run_dir")
    form = await request.post_vars()
    rules = _rules(datasette)
    if not run_dir or rules is None:
        return Response.text("no run directory", status=400)
    rules = attrs.evolve(rules, samples=tuple(s for s in rules.samples if s != form.get("sample")),
                         types=tuple(t for t in rules.types if t != form.get("type")))
    save_review_rules(Path(run_dir), rules)
    back = form.get("back") or "/"
    return Response.redirect(back if back.startswith("/") and not back.startswith("//") else "/")


async def review_page(datasette, request):
    """What the review file holds now, and the command that applies it."""
    return Response.html(await datasette.render_template("crabplug_review.html", {
        "rules": _rules(datasette), "run_dir": _settings(datasette).get("run_dir")}, request=request))


async def prompt_page(datasette, request):
    """One eval prompt: each model's answer and its per-instruction verdicts, side by side."""
    key = request.url_vars["key"]
    db = datasette.get_database(DB)
    prompt = (await db.execute("SELECT * FROM prompts WHERE key = ?", [key])).rows
    if not prompt:
        return Response.html(f"<p>No prompt {escape(key)} in these evaluations.</p>", status=404)
    answers = []
    for row in (await db.execute("SELECT * FROM answers WHERE key = ? ORDER BY model_index", [key])).rows:
        answer = dict(row)
        answer["html"] = _markdown(answer["response"] or "")
        answer["verdicts"] = json.loads(answer["verdicts"] or "[]")
        answers.append(answer)
    return Response.html(await datasette.render_template("crabplug_prompt.html", {
        "prompt": dict(prompt[0]), "answers": answers}, request=request))


@hookimpl
def register_routes(datasette):
    """The pages datasette does not have."""
    return [
        (r"^/-/crabplug/sample/(?P<id>[^/]+)$", sample_page),
        (r"^/-/crabplug/prompt/(?P<key>[^/]+)$", prompt_page),
        (r"^/-/crabplug/drop$", drop),
        (r"^/-/crabplug/undo$", undo),
        (r"^/-/crabplug/review$", review_page),
    ]


@hookimpl
def menu_links(datasette, actor, request):
    """A link to the review file's page in datasette's menu."""
    if _settings(datasette).get("run_dir"):
        return [{"href": "/-/crabplug/review", "label": "Review decisions"}]
    return []


@hookimpl
def register_facet_classes():
    """The ``set`` facet: constraint types per sample, counted fast."""
    from crabplug_view.facets import SetFacet

    return [SetFacet]
