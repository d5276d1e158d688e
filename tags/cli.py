"""`python -m tags`: administer the tag file and print reports."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from typing import Any

from tags import report_cli
from tags.editing import add_tag, make_id, move_tag, remove_tag, rename_tag, restore_tag
from tags.errors import ReportError, TagError
from tags.files import edit_tags_file
from tags.loading import load_tags, parse_tags
from tags.matching import fold
from tags.model import AUTO_RULES, Tag, TagSet

LANGS = ("fi", "sv", "en")
Runner = Callable[[argparse.Namespace], Any]
Subparsers = Any  # argparse's _SubParsersAction is private


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; 0 on success, 1 on a tag or report error, 2 on bad usage."""
    args = parser().parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except (TagError, ReportError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1


def parser() -> argparse.ArgumentParser:
    """The command-line parser with every subcommand."""
    top = argparse.ArgumentParser(prog="python -m tags", description=__doc__)
    sub = top.add_subparsers(dest="command", required=True, metavar="COMMAND")
    lst = _cmd(sub, "list", "show the tags with their numbers", _list)
    lst.add_argument("--lang", choices=LANGS, default="fi", help="names in this language")
    lst.add_argument("--all", action="store_true", help="also show removed tags")
    check = _cmd(sub, "check", "validate the tag file", _check)
    check.add_argument("file", nargs="?", metavar="FILE", help="the tag file (same as --tags)")
    add = _cmd(sub, "add", "add a tag at the end (or --before another)", _add)
    _names(add)
    add.add_argument("--id", help="stable ascii id (default: made from the English name)")
    add.add_argument("--before", metavar="TAG", help="put it before this tag")
    add.add_argument("--auto", choices=sorted(AUTO_RULES), help="apply this rule automatically")
    ren = _cmd(sub, "rename", "change a tag's names (its id stays)", _rename)
    ren.add_argument("tag", metavar="TAG", help="id, number or name")
    _names(ren)
    for name, run, text in [
        ("remove", _remove, "hide a tag from pickers (kept in history and reports)"),
        ("restore", _restore, "show a removed tag again"),
        ("move-up", _move(-1), "move a tag one place up"),
        ("move-down", _move(+1), "move a tag one place down"),
    ]:
        _cmd(sub, name, text, run).add_argument("tag", metavar="TAG", help="id, number or name")
    report_cli.add_commands(sub, _cmd, LANGS)
    return top


def _cmd(
    sub: Subparsers, name: str, help_text: str, run: Runner, tags: str | None = "tags.yaml"
) -> argparse.ArgumentParser:
    cmd = sub.add_parser(name, help=help_text, description=help_text)
    what = f"the tag file (default {tags})" if tags else "the tag file, for names and order"
    cmd.add_argument("--tags", default=tags, metavar="FILE", help=what)
    cmd.set_defaults(run=run)
    return cmd


def _names(cmd: argparse.ArgumentParser) -> None:
    for lang in LANGS:
        cmd.add_argument(f"--{lang}", metavar="NAME", help=f"name in {lang}")


def _given_names(args: argparse.Namespace) -> dict[str, str]:
    return {lang: getattr(args, lang) for lang in LANGS if getattr(args, lang) is not None}


def _print_list(tagset: TagSet, lang: str = "fi", show_removed: bool = False) -> None:
    width = max((len(tag.id) for tag in tagset.tags), default=2)
    for number, tag in enumerate(tagset.visible, start=1):
        auto = f"  [auto: {tag.auto}]" if tag.auto else ""
        print(f"{number:>3}  {tag.id:<{width}}  {tag.name(lang)}{auto}")
    if show_removed:
        for tag in tagset.tags:
            if tag.removed:
                print(f"  -  {tag.id:<{width}}  {tag.name(lang)}  [removed]")


def _list(args: argparse.Namespace) -> None:
    _print_list(load_tags(args.tags), args.lang, args.all)


def _check(args: argparse.Namespace) -> None:
    path = args.file or args.tags
    tagset = load_tags(path)
    removed = len(tagset.tags) - len(tagset.visible)
    print(f"{path}: ok, {len(tagset.visible)} tags ({removed} removed)")


def _add(args: argparse.Namespace) -> None:
    names = _given_names(args)
    if not names:
        raise TagError("give at least one name: --fi NAME, --sv NAME or --en NAME")

    def edit(text: str, source: str) -> str:
        tagset = parse_tags(text, source)
        tag_id = args.id or make_id(names, set(tagset.ids))
        before = tagset.resolve(args.before).id if args.before else None
        return add_tag(text, Tag(tag_id, names, args.auto), before=before, source=source)

    _print_list(edit_tags_file(args.tags, edit))


def _rename(args: argparse.Namespace) -> None:
    names = _given_names(args)
    if not names:
        raise TagError("give the new name(s): --fi NAME, --sv NAME and/or --en NAME")
    _edit(args, lambda text, src, tag_id: rename_tag(text, tag_id, names, source=src))


def _remove(args: argparse.Namespace) -> None:
    _edit(args, lambda text, src, tag_id: remove_tag(text, tag_id, source=src))


def _restore(args: argparse.Namespace) -> None:
    def edit(text: str, source: str) -> str:
        tagset = parse_tags(text, source)
        tag = tagset.get(args.tag) or _removed_by_name(tagset, args.tag)
        return restore_tag(text, tag.id, source=source)

    _print_list(edit_tags_file(args.tags, edit))


def _move(step: int) -> Runner:
    def run(args: argparse.Namespace) -> None:
        _edit(args, lambda text, src, tag_id: move_tag(text, tag_id, step, source=src))

    return run


def _edit(args: argparse.Namespace, change: Callable[[str, str, str], str]) -> None:
    def edit(text: str, source: str) -> str:
        tag_id = parse_tags(text, source).resolve(args.tag).id
        return change(text, source, tag_id)

    _print_list(edit_tags_file(args.tags, edit))


def _removed_by_name(tagset: TagSet, text: str) -> Tag:
    for tag in tagset.tags:
        if tag.removed and fold(text) in {fold(n) for n in tag.names.values()}:
            return tag
    removed = ", ".join(t.id for t in tagset.tags if t.removed) or "none"
    raise TagError(f"no removed tag {text!r} (removed tags: {removed})")
