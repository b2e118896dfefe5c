"""mig import alembic: the Alembic side.

Shipped inside the mig binary and run with the project's own interpreter. Loads the
project's ScriptDirectory through Alembic itself (so the graph is Alembic's, not
re-parsed Python) and, in this one process, renders every revision offline through the
project's env.py, the way `alembic upgrade <down>:<rev> --sql` and
`alembic downgrade <rev>:<down> --sql` do. Each revision's body is cut out of the
output buffer around the call of its upgrade()/downgrade() function, so Alembic's
version-table statements, its `-- Running` comments and the BEGIN/COMMIT around the
run are never part of it; the COMMIT/BEGIN pair an autocommit_block() writes inside a
body is suppressed (and recorded: the revision runs outside a transaction in mig).

Writes one JSON document to the file named by --result (env.py may print to stdout).
Never connects to a database: everything runs in offline (as_sql) mode.

Usage: python helper.py --ini FILE --name SECTION --result FILE [--dialect NAME]
"""

import argparse
import contextlib
import functools
import io
import json
import os
import re
import sys
import time
import traceback


def error_text(exc):
    text = str(exc).strip()
    name = type(exc).__name__
    return "%s: %s" % (name, text) if text else name


class Capture:
    """State shared by the patched Alembic pieces during one rendering run."""

    def __init__(self):
        self.active = False
        self.autocommit = False


CAPTURE = Capture()
CONFIGURED = {}
FORCED_DIALECT = [None]


def install_patches():
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import MigrationContext

    original_configure = EnvironmentContext.configure

    @functools.wraps(original_configure)
    def configure(self, *args, **kw):
        if FORCED_DIALECT[0]:
            kw.pop("url", None)
            kw.pop("connection", None)
            kw["dialect_name"] = FORCED_DIALECT[0]
        result = original_configure(self, *args, **kw)
        if not CONFIGURED:
            ctx = self.get_context()
            CONFIGURED.update(
                dialect=ctx.dialect.name,
                version_table=kw.get("version_table", "alembic_version"),
                version_table_schema=kw.get("version_table_schema"),
                version_table_pk=bool(kw.get("version_table_pk", True)),
                transaction_per_migration=bool(kw.get("transaction_per_migration", False)),
                transactional_ddl=bool(ctx.impl.transactional_ddl),
                literal_binds=bool(kw.get("literal_binds", False)),
            )
        return result

    EnvironmentContext.configure = configure

    original_block = MigrationContext.autocommit_block

    @contextlib.contextmanager
    def autocommit_block(self):
        CAPTURE.autocommit = True
        if not CAPTURE.active:
            with original_block(self):
                yield
            return
        impl = self.impl
        saved = impl.__dict__.get("emit_begin"), impl.__dict__.get("emit_commit")
        impl.emit_begin = impl.emit_commit = lambda: None
        try:
            with original_block(self):
                yield
        finally:
            for name, value in zip(("emit_begin", "emit_commit"), saved):
                if value is None:
                    impl.__dict__.pop(name, None)
                else:
                    setattr(impl, name, value)

    MigrationContext.autocommit_block = autocommit_block


def render_one(config, script, sc, upgrade):
    """One revision's upgrade or downgrade body, alone, offline."""
    from alembic.runtime.environment import EnvironmentContext
    from alembic.runtime.migration import RevisionStep

    buf = io.StringIO()
    config.output_buffer = buf
    step = RevisionStep(script.revision_map, sc, upgrade)
    original = step.migration_fn
    span = {}

    @functools.wraps(original)
    def body(**kw):
        span["start"] = len(buf.getvalue())
        CAPTURE.active = True
        try:
            original(**kw)
            span["ok"] = True
        finally:
            CAPTURE.active = False
            span["end"] = len(buf.getvalue())

    step.migration_fn = body
    if upgrade:
        starting = list(sc._versioned_down_revisions) or None
    else:
        starting = [sc.revision]
    CAPTURE.autocommit = False
    result = {"sql": None, "error": None, "in_revision": True, "autocommit": False}
    try:
        with EnvironmentContext(
            config,
            script,
            fn=lambda heads, context: [step],
            as_sql=True,
            starting_rev=starting,
            destination_rev=sc.revision,
        ):
            script.run_env()
    except BaseException as exc:  # noqa: B902 - a revision may raise anything
        if isinstance(exc, KeyboardInterrupt):
            raise
        # An error after the body (the version-table bookkeeping of a one-step run) does
        # not matter: the body is complete.
        if not span.get("ok"):
            result["error"] = error_text(exc)
            result["in_revision"] = "start" in span
            result["traceback"] = traceback.format_exc(limit=-4)
    if result["error"] is None:
        if not span.get("ok"):
            result["error"] = "env.py did not run the migrations (no run_migrations() call)"
            result["in_revision"] = False
        else:
            result["sql"] = buf.getvalue()[span["start"]:span["end"]]
    result["autocommit"] = CAPTURE.autocommit
    return result


def reference_upgrade(config, skip):
    """`alembic upgrade heads --sql`, verbatim, except that the bodies of the revisions
    in `skip` (which cannot run offline) are left out."""
    from alembic import command
    from alembic.runtime.migration import RevisionStep

    buf = io.StringIO()
    config.output_buffer = buf
    original_init = RevisionStep.__init__

    def init(self, revision_map, revision, is_upgrade):
        original_init(self, revision_map, revision, is_upgrade)
        if revision.revision not in skip:
            return
        original = self.migration_fn

        @functools.wraps(original)
        def skipped(**kw):
            mark = len(buf.getvalue())
            try:
                original(**kw)
            except Exception:
                buf.seek(mark)
                buf.truncate()

        self.migration_fn = skipped

    RevisionStep.__init__ = init
    try:
        command.upgrade(config, "heads", sql=True)
        return {"sql": buf.getvalue(), "error": None}
    except Exception as exc:
        return {"sql": None, "error": error_text(exc)}
    finally:
        RevisionStep.__init__ = original_init


def printed(config, fn):
    out = io.StringIO()
    saved = config.stdout
    config.stdout = out
    try:
        fn(config)
        return out.getvalue()
    except Exception as exc:
        return "FAILED: " + error_text(exc)
    finally:
        config.stdout = saved


CREATE_DATE = re.compile(r"^\s*Create Date:\s*(.+?)\s*$", re.MULTILINE)


def as_list(value):
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    return list(value)


def version_locations(script):
    # `_version_locations` (absolute paths, the default included) in recent Alembic;
    # older releases only have the configured list.
    found = getattr(script, "_version_locations", None)
    if found is None:
        found = script.version_locations or [os.path.join(script.dir, "versions")]
    return list(found)


def describe(script, sc):
    module = sc.module
    doc = module.__doc__ or ""
    date = CREATE_DATE.search(doc)
    path = os.path.abspath(sc.path)
    location = None
    for loc in version_locations(script):
        loc = os.path.abspath(str(loc))
        if path.startswith(loc.rstrip(os.sep) + os.sep):
            location = loc
            break
    return {
        "id": sc.revision,
        "down_revisions": as_list(sc.down_revision),
        # As declared: `branch_labels` also holds the labels spread from other revisions.
        "branch_labels": as_list(
            sc._orig_branch_labels
            if hasattr(sc, "_orig_branch_labels")
            else getattr(module, "branch_labels", None)
        ),
        "depends_on": as_list(sc.dependencies),
        "message": sc.doc,
        "create_date": date.group(1) if date else None,
        "path": path,
        "location": location,
    }


def run(args):
    from alembic import __version__ as alembic_version
    from alembic import command
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    install_patches()
    FORCED_DIALECT[0] = args.dialect
    config = Config(args.ini, ini_section=args.name)
    main = config.file_config
    raw = {}
    if main.has_section(args.name):
        for key in ("sqlalchemy.url", "file_template", "truncate_slug_length", "timezone"):
            if main.has_option(args.name, key):
                raw[key] = main.get(args.name, key, raw=True)
    script = ScriptDirectory.from_config(config)
    started = time.monotonic()
    revisions = []
    for sc in script.walk_revisions():
        entry = describe(script, sc)
        entry["upgrade"] = render_one(config, script, sc, True)
        entry["downgrade"] = render_one(config, script, sc, False)
        revisions.append(entry)
    rendered = time.monotonic() - started
    skip = {r["id"] for r in revisions if r["upgrade"]["error"] is not None}
    reference = reference_upgrade(config, skip)
    return {
        "alembic_version": alembic_version,
        "configured": CONFIGURED,
        "ini": raw,
        "version_locations": [os.path.abspath(str(p)) for p in version_locations(script)],
        "recursive_version_locations": bool(getattr(script, "recursive_version_locations", False)),
        "revisions": revisions,
        "reference_upgrade": reference,
        "heads": printed(config, command.heads),
        "history": printed(config, command.history),
        "render_seconds": rendered,
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--ini", required=True)
    parser.add_argument("--name", default="alembic")
    parser.add_argument("--result", required=True)
    parser.add_argument("--dialect")
    args = parser.parse_args()
    try:
        import alembic  # noqa: F401
    except ImportError as exc:
        doc = {"fatal": "Alembic is not importable with %s (%s)" % (sys.executable, exc)}
    else:
        try:
            doc = run(args)
        except Exception as exc:
            doc = {"fatal": error_text(exc), "traceback": traceback.format_exc(limit=-4)}
    with open(args.result, "w", encoding="utf-8") as out:
        json.dump(doc, out)


if __name__ == "__main__":
    main()
