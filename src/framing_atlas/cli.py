"""The `framing-atlas` command: ingest, build, export, info, labels."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Optional

import typer

from framing_atlas.errors import AtlasError
from framing_atlas.settings import Settings, load_settings

if TYPE_CHECKING:  # the store pulls in pandas and pyarrow: not for `--help`
    from framing_atlas.store import Progress

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="Framing Atlas: how do different outlets frame the same story?")

StoreOption = typer.Option(None, "--store", help="Store folder (default: data/store, or the "
                                                 "FRAMING_ATLAS_STORE setting).")
ConfigOption = typer.Option(None, "--config", help="A settings TOML file (default: "
                                                   "framing-atlas.toml if present).")


def _settings(config: Optional[Path], store: Optional[Path]) -> Settings:
    return load_settings(config, store=store)


def _write_file(path: Path, data: bytes) -> None:
    """Write an export (its folder made if needed); a write that fails is an AtlasError."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    except OSError as err:
        raise AtlasError(f"cannot write the file: {err.strerror}", file=path) from None


def _say(message: str) -> None:
    typer.secho(message, err=True, fg="yellow")


def _fail(err: AtlasError) -> None:
    typer.secho(f"error: {err}", err=True, fg="red")
    raise typer.Exit(1)


def cli_progress() -> Progress:
    """One tqdm bar per stage; a stage is the word before the first colon of the message."""
    from tqdm import tqdm

    bars: dict[str, tqdm] = {}

    def update(done: int, total: int, what: str) -> None:
        stage, _, detail = what.partition(":")
        bar = bars.get(stage)
        if bar is None:
            for other in bars.values():
                other.close()
            bar = bars[stage] = tqdm(total=max(total, 1), desc=stage, unit="",
                                     leave=True, dynamic_ncols=True)
        if bar.total != max(total, 1):
            bar.reset(total=max(total, 1))
        bar.set_postfix_str(detail.strip()[:60], refresh=False)
        bar.n = done
        bar.refresh()
        if done >= total:
            bar.close()

    return update


def _date(value: Optional[str], option: str) -> Optional[dt.date]:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise AtlasError(f"{option} must be a date like 2022-03-01, got {value!r}") from None


@app.command()
def ingest(paths: list[str] = typer.Argument(..., help="Article tables (CSV, JSONL, Parquet), "
                                              "saved pages (.html, folders, .zip), feeds (.xml "
                                              "or an http(s) address), lists of links (.txt), "
                                              "plain-text or Markdown articles (.txt, .md) and "
                                              "LexisNexis / Nexis Uni exports (.txt, .docx)."),
           kind: str = typer.Option("auto", help="auto (from each file's content), table, html, "
                                    "feed, urls, text (one article a file) or nexis."),
           store: Optional[Path] = StoreOption,
           text_col: str = typer.Option("text", help="Column holding the article text."),
           outlet_col: str = typer.Option("outlet", help="Column holding the outlet name."),
           published_col: str = typer.Option("published", help="Column holding the date."),
           title_col: str = typer.Option("title", help="Column holding the title."),
           url_col: str = typer.Option("url", help="Column holding the link."),
           outlet: Optional[str] = typer.Option(None, help="Outlet for rows that have none."),
           published: Optional[str] = typer.Option(None, help="Date (YYYY-MM-DD) for rows "
                                                   "that have none, e.g. text files without a "
                                                   "date in their header or name."),
           dayfirst: bool = typer.Option(False, "--dayfirst", help="Read dates like 02/03/2022 "
                                         "as day/month (default: day/month only when a row "
                                         "of the file needs it, like 13/01/2022)."),
           monthfirst: bool = typer.Option(False, "--monthfirst", help="Read dates like "
                                           "02/03/2022 as month/day."),
           show: int = typer.Option(20, help="How many skipped rows to list."),
           config: Optional[Path] = ConfigOption) -> None:
    """Add articles to the store; rows that cannot be used are listed and skipped.

    A url names a page: ingesting a file again updates the articles of its urls instead of
    adding them twice (rows of one file sharing a url are passages of that page).

    Example: framing-atlas ingest news.csv --text-col content --outlet-col source --dayfirst

    Example: framing-atlas ingest articles/ --outlet "Harbor Gazette" --published 2022-03-01
    """
    from framing_atlas.inputs.ingest import ColumnMap, WebOptions
    from framing_atlas.inputs.ingest import ingest as run_ingest
    from framing_atlas.inputs.outlets import read_outlet_map
    from framing_atlas.store import Store

    try:
        if dayfirst and monthfirst:
            raise AtlasError("give either --dayfirst or --monthfirst, not both")
        settings = _settings(config, store)
        target = Store(settings.store)
        columns = ColumnMap(outlet=outlet_col, published=published_col, title=title_col,
                            url=url_col, text=text_col, default_outlet=outlet,
                            default_published=(_date(published, "--published").isoformat()
                                               if published else None),
                            date_order="dayfirst" if dayfirst else
                            "monthfirst" if monthfirst else "auto")
        outlet_map = (read_outlet_map(settings.outlets_file)
                      if Path(settings.outlets_file).is_file() else {})
        web = WebOptions(outlet_map=outlet_map, cache_dir=settings.page_cache,
                         per_host_interval=settings.fetch_interval,
                         allow_private_addresses=settings.allow_private_addresses)
        with target.writing("an ingest", waiting=_say):  # read, merge and write: one writer
            merged, report = run_ingest(paths, target.read_articles(), columns=columns,
                                        kind=kind, web=web, progress=cli_progress())
            target.write_articles(merged)
    except AtlasError as err:
        _fail(err)
    for problem in report.problems[:show]:
        word = "note" if problem.reason.startswith("kept") else "skipped"
        typer.secho(f"{word}: {problem}", err=True, fg="yellow")
    if len(report.problems) > show:
        typer.secho(f"... and {len(report.problems) - show} more rows skipped or kept with a "
                    f"remark (--show N lists more)", err=True, fg="yellow")
    typer.echo(report.summary())
    typer.echo(f"store {settings.store}: {len(merged)} articles. Next: framing-atlas build")


@app.command()
def build(store: Optional[Path] = StoreOption, config: Optional[Path] = ConfigOption,
          relayout: bool = typer.Option(
              False, "--relayout", help="Lay the whole map out afresh. Without it, paragraphs "
                                        "already on the current map keep their place and "
                                        "cluster, and new ones are placed among them."),
          job: Optional[Path] = typer.Option(
              None, "--job", hidden=True, help="Run the build the dashboard started in this "
                                               "store (jobs.start_build), reporting to its job "
                                               "file."),
          engine: Optional[str] = typer.Option(
              None, "--engine", help="Who embeds: local (this process, the default) or ray "
                                     "(Ray Data actors; pip install 'ray[data]')."),
          ray_address: Optional[str] = typer.Option(
              None, "--ray-address", help="With --engine ray: the cluster to use (auto, "
                                          "host:6379, ray://host:10001); unset starts a Ray "
                                          "on this machine for the build."),
          ray_workers: Optional[int] = typer.Option(
              None, "--ray-workers", help="With --engine ray: how many actors embed, one CPU "
                                          "each (default 2).")) -> None:
    """Segment, embed, map, cluster, label and theme the ingested articles.

    Example: framing-atlas build --store data/store

    Example: framing-atlas build --engine ray --ray-address auto --ray-workers 8
    """
    from framing_atlas.pipeline.build import build_atlas
    from framing_atlas.pipeline.segment import no_paragraph_note

    if job is not None:
        _run_job(job, relayout=relayout)
        return
    try:
        settings = load_settings(config, store=store, engine=engine, ray_address=ray_address,
                                 ray_workers=ray_workers)
        manifest = build_atlas(settings, progress=cli_progress(), relayout=relayout)
    except AtlasError as err:
        _fail(err)
    counts = manifest["counts"]
    typer.echo(f"built {manifest['build_id']}: {counts['articles']} articles, "
               f"{counts['paragraphs']} paragraphs ({counts['embedded']} newly embedded), "
               f"{counts['clusters']} clusters in {manifest['timings']['total']:.0f} s")
    placement = manifest.get("map", {})
    if placement.get("placed"):
        typer.echo(f"{placement['placed']} of {counts['paragraphs']} paragraphs "
                   f"({placement['placed_share']:.1%}) were placed on an earlier map rather "
                   "than laid out"
                   + ("; lay the map out afresh: framing-atlas build --relayout"
                      if placement["relayout_advised"] else "."))
    if manifest["no_paragraph"]["count"]:
        typer.echo(f"{no_paragraph_note(manifest['no_paragraph']['reasons'])} "
                   "(framing-atlas info lists them)")


def _run_job(root: Path, *, relayout: bool) -> None:
    """A build started from the dashboard: its settings and progress live in the job file."""
    from framing_atlas.jobs import finish_job, job_progress, job_settings
    from framing_atlas.pipeline.build import build_atlas

    try:
        manifest = build_atlas(job_settings(root), progress=job_progress(root),
                               relayout=relayout)
    except AtlasError as err:
        finish_job(root, error=str(err))
        _fail(err)
    except BaseException as err:  # recorded for the pages, then shown in job.log
        finish_job(root, error=f"unexpected {type(err).__name__}: {err} (details in "
                               f"{root / 'job.log'})")
        raise
    finish_job(root, build_id=manifest["build_id"])
    typer.echo(f"built {manifest['build_id']}")


@app.command()
def export(out: Path = typer.Option(..., "--out", help="The CSV file to write."),
           store: Optional[Path] = StoreOption,
           outlet: list[str] = typer.Option([], "--outlet", help="Keep this outlet (repeatable)."),
           since: Optional[str] = typer.Option(None, help="First day, YYYY-MM-DD."),
           until: Optional[str] = typer.Option(None, help="Last day, YYYY-MM-DD."),
           theme: list[str] = typer.Option([], "--theme", help="Keep this theme (repeatable; "
                                                                "'none' = no theme)."),
           cluster: list[int] = typer.Option([], "--cluster", help="Keep this cluster id "
                                                                   "(repeatable)."),
           search: str = typer.Option("", help="Keep paragraphs containing this text."),
           language: list[str] = typer.Option([], "--language", help="Keep this language code "
                                                                     "(repeatable), e.g. en."),
           syndicated: str = typer.Option("show", help="Syndicated copies: show, once (the "
                                                       "earliest of each group) or hide."),
           config: Optional[Path] = ConfigOption) -> None:
    """Write the filtered paragraph table, as the dashboard downloads it, to a CSV file.

    Example: framing-atlas export --out rt.csv --outlet RT --since 2022-02-24 --theme escalation
    """
    from framing_atlas.views.filters import (SYNDICATED_MODES, Filters, export_table,
                                             filter_paragraphs, to_csv)
    from framing_atlas.store import Store

    try:
        settings = _settings(config, store)
        target = Store(settings.store)
        paragraphs = target.read_table("paragraphs")
        clusters = target.read_table("clusters")
        filters = Filters(outlets=tuple(outlet), since=_date(since, "--since"),
                          until=_date(until, "--until"), themes=tuple(theme),
                          clusters=tuple(cluster), text=search, languages=tuple(language),
                          syndicated=syndicated)
        if syndicated not in SYNDICATED_MODES:
            raise AtlasError(f"--syndicated must be one of {', '.join(SYNDICATED_MODES)}")
        unknown = sorted(set(outlet) - set(paragraphs["outlet"]))
        if unknown:
            typer.secho(f"note: no outlet named {', '.join(map(repr, unknown))} in this store",
                        err=True, fg="yellow")
        table = export_table(filter_paragraphs(paragraphs, filters), clusters)
        _write_file(out, to_csv(table))
    except AtlasError as err:
        _fail(err)
    typer.echo(f"wrote {len(table)} paragraphs to {out}")


@app.command()
def info(store: Optional[Path] = StoreOption, config: Optional[Path] = ConfigOption) -> None:
    """Counts per outlet, date range, clusters and themes of the store.

    Example: framing-atlas info --store data/store
    """
    from framing_atlas.views.describe import describe_store

    try:
        typer.echo(describe_store(_settings(config, store).store))
    except AtlasError as err:
        _fail(err)


labels_app = typer.Typer(add_completion=False, invoke_without_command=True)
app.add_typer(labels_app, name="labels")


@labels_app.callback()
def labels_default(ctx: typer.Context, store: Optional[Path] = StoreOption,
                   config: Optional[Path] = ConfigOption) -> None:
    """Theme labels people gave: show (the default), export, import.

    Paragraphs people marked in or out of a theme; every build trains each theme's detector
    from them.

    Example: framing-atlas labels --store data/store
    """
    # `labels --store X export FILE` means the same store as `labels export FILE --store X`.
    ctx.obj = {"store": store, "config": config}
    if ctx.invoked_subcommand is None:
        labels_show(ctx, store=store, config=config)


def _group_option(ctx: typer.Context, name: str, value: Optional[Path]) -> Optional[Path]:
    """A labels command's --store or --config, else the one given before the command's name."""
    return value if value is not None else (ctx.obj or {}).get(name)


@labels_app.command("show")
def labels_show(ctx: typer.Context, store: Optional[Path] = StoreOption,
                config: Optional[Path] = ConfigOption) -> None:
    """Per theme: people's labels, and the build's detector with its cross-validated quality.

    For each theme: the labels people gave (in, out), and the current build's detector: method
    (classifier or description), threshold, the labels it rests on, cross-validated precision,
    recall and F1.

    Example: framing-atlas labels show --store data/store
    """
    from framing_atlas.store import Store
    from framing_atlas.views.labels import changed_since_build, summary_lines, theme_summary

    store, config = _group_option(ctx, "store", store), _group_option(ctx, "config", config)
    try:
        target = Store(_settings(config, store).store)
        labels = target.read_labels()
        if target.current_build() is None:
            raise AtlasError(f"nothing built yet ({len(labels)} labels stored): run "
                             "`framing-atlas build`, which trains the themes", file=target.root)
        summary = theme_summary(target.read_document("themes"), labels)
    except AtlasError as err:
        _fail(err)
    for line in summary_lines(summary):
        typer.echo(line)
    changed = changed_since_build(summary)
    if changed:
        typer.echo(f"labels changed since the build for {', '.join(changed)}: "
                   "`framing-atlas build` retrains (in seconds: the vectors are cached)")


@labels_app.command("export")
def labels_export(ctx: typer.Context,
                  file: Path = typer.Argument(..., help="The CSV file to write."),
                  store: Optional[Path] = StoreOption,
                  config: Optional[Path] = ConfigOption) -> None:
    """Write the people's labels to a CSV that `labels import` reads back.

    Columns: theme, in_theme (1 in, 0 out), text, text_hash, labelled_at. Text cells that a
    spreadsheet would run as a formula get a leading apostrophe, as in every export.

    Example: framing-atlas labels export labels.csv --store data/store
    """
    from framing_atlas.store import IN_THEME, Store
    from framing_atlas.views.labels import labels_csv

    store, config = _group_option(ctx, "store", store), _group_option(ctx, "config", config)
    try:
        labels = Store(_settings(config, store).store).read_labels()
        _write_file(file, labels_csv(labels))
    except AtlasError as err:
        _fail(err)
    n_in = int(labels[IN_THEME].sum())
    typer.echo(f"wrote {len(labels)} labels ({n_in} in, {len(labels) - n_in} out) to {file}")


@labels_app.command("import")
def labels_import(ctx: typer.Context,
                  file: Path = typer.Argument(..., help="A CSV with columns theme, in_theme "
                                                        "(1/0, yes/no, in/out) and text or "
                                                        "text_hash; other columns are ignored."),
                  store: Optional[Path] = StoreOption,
                  show: int = typer.Option(20, help="How many skipped rows to list."),
                  config: Optional[Path] = ConfigOption) -> None:
    """Add theme labels from a CSV; unusable rows are listed and skipped.

    A text already labelled for a theme takes the new judgement. The next build (or Retrain
    themes on the Themes page) trains the themes again from the labels.

    Example: framing-atlas labels import labels.csv --store data/store
    """
    from framing_atlas.inputs.labels import read_label_file
    from framing_atlas.pipeline.themes import read_themes
    from framing_atlas.store import TEXT, TEXT_HASH, Store

    store, config = _group_option(ctx, "store", store), _group_option(ctx, "config", config)
    try:
        settings = _settings(config, store)
        target = Store(settings.store)
        if not file.is_file():
            raise AtlasError("file not found", file=file)
        themes, _ = read_themes(settings.themes_file)
        texts = {}
        if target.current_build() is not None:
            paragraphs = target.read_table("paragraphs")
            texts = dict(zip(paragraphs[TEXT_HASH], paragraphs[TEXT]))
        report = read_label_file(file, [t.name for t in themes], texts=texts)
        for problem in report.problems[:show]:
            typer.secho(f"skipped: {problem}", err=True, fg="yellow")
        if len(report.problems) > show:
            typer.secho(f"... and {len(report.problems) - show} more (--show N lists more)",
                        err=True, fg="yellow")
        if report.labels.empty:
            raise AtlasError(f"no usable label in this file: {report.summary()}", file=file)
        total = target.save_labels(report.labels)
    except AtlasError as err:
        _fail(err)
    typer.echo(report.summary())
    typer.echo(f"store {settings.store}: {total} labels. Next: framing-atlas build (retrains the "
               "themes; the vectors are cached)")


def main() -> None:  # pragma: no cover
    logging.basicConfig(level=logging.WARNING)
    app()


if __name__ == "__main__":  # `python -m framing_atlas.cli`, as background builds start it
    main()
