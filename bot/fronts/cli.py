"""Command line: isnad ingest | add | ask | chat | sources | eval | feedback | bot | start."""

from __future__ import annotations

import argparse
import json
import logging
import signal
import sys
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from isnad import __version__
from isnad.bot.answer.followup import Turn, turn_of
from isnad.bot.fronts import redaction
from isnad.bot.fronts.conversation import CONTEXT_TURNS
from isnad.bot.fronts.failures import exit_code, one_line
from isnad.errors import OK, UNAVAILABLE, USAGE, ConfigError, UsageError
from isnad.retrieval.corpus import printable
from isnad.retrieval.datadir import check_usable
from isnad.retrieval.progress import Progress
from isnad.settings import Settings, load_settings

if TYPE_CHECKING:
    from isnad.bot.answer.answering import Answerer
    from isnad.bot.answer.types import Answer
    from isnad.retrieval.ingest import IngestReport


def _progress(enabled: bool) -> Progress | None:
    """A tqdm progress bar on stderr for each long step of an ingest (articles, the term map's
    words, the sentences' sparse vectors)."""
    if not enabled:
        return None

    def start(total: int, unit: str) -> Callable[[int], None]:
        from tqdm import tqdm

        bar = tqdm(total=total, unit=unit, file=sys.stderr, disable=total < 10, leave=False)
        return bar.update

    return start


def _answerer(settings: Settings) -> Answerer:
    """The pipeline (imported here: it loads the embedding model, which `--help` never needs)."""
    from isnad.bot.answer.answering import Answerer

    return Answerer(settings)


def cmd_ingest(settings: Settings, args: argparse.Namespace) -> int:
    """Index with the embedder alone: no answerer, no language model."""
    from isnad.retrieval.embedders import load_embedder
    from isnad.retrieval.indexer import update_index

    corpus = Path(args.path) if args.path else settings.corpus_dir
    embedder = load_embedder(settings.embedding)

    def sync(rebuild: bool = False) -> None:
        _print_report(update_index(settings, embedder, corpus, rebuild=rebuild, progress=_progress(not args.json)), args.json)

    if args.watch:
        from isnad.retrieval.watching import watch_corpus

        watch_corpus(corpus, sync)
    else:
        sync(args.rebuild)
    return OK


def _print_report(report: IngestReport, as_json: bool) -> None:
    """An ingest report: one JSON object, or a counts line and one line per skipped file."""
    counts = report.counts()
    if as_json:
        print(json.dumps(counts, ensure_ascii=False), flush=True)
        return
    shown = ("added", "updated", "removed", "unchanged") + (("repaired",) if report.repaired else ())
    print(", ".join(f"{k}: {counts[k]}" for k in shown))
    for item in report.skipped:
        print(f"skipped {item['path']}: {item['reason']}")
    sys.stdout.flush()


def cmd_add(settings: Settings, args: argparse.Namespace) -> int:
    """Fetch links into the corpus folder and index them; exit 2 if a link could not be added."""
    from isnad.retrieval.adding import add_urls
    from isnad.retrieval.embedders import load_embedder

    results, report = add_urls(args.urls, settings, load_embedder(settings.embedding))
    if args.json:
        print(json.dumps({"articles": [r.__dict__ for r in results], "ingest": report.counts() if report else None}, ensure_ascii=False))
    else:
        for r in results:
            print(f"added {r.article_id}: {r.title}" if not r.problem else f"not added {r.source}: {r.problem}")
    return USAGE if any(r.problem and not r.article_id for r in results) else OK


def _ready_answerer(settings: Settings) -> Answerer:
    """The pipeline over an index that exists (the corpus is indexed first if nothing is) and a
    store that answers (else StoreUnavailable: exit 4 before any question)."""
    from isnad.retrieval.manifest import Manifest

    answerer = _answerer(settings)
    answerer.sources()  # opens the store
    if not Manifest.load(settings.data_dir).entries:
        print(f"isnad: nothing indexed yet: indexing {settings.corpus_dir} first", file=sys.stderr)
        answerer.reindex(progress=_progress(True))
    return answerer


def _batch_questions(path: Path) -> list[tuple[int, str | None]]:
    """(line number, text) of each non-blank line; None for a line that is not UTF-8."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise UsageError(f"cannot read the batch file {printable(str(path))}: {exc.strerror or exc}") from exc
    lines: list[tuple[int, str | None]] = []
    for number, raw in enumerate(data.splitlines(), start=1):
        if raw.strip():
            try:
                lines.append((number, raw.decode("utf-8").strip()))
            except UnicodeDecodeError:
                lines.append((number, None))
    if lines and all(question is None for _, question in lines):
        raise UsageError(f"the batch file {printable(str(path))} is not UTF-8 text")
    return lines


def _question_of(line: str) -> tuple[str, str | None]:
    """(question, conversation id or None) of a batch line: plain text, or a JSON object
    `{"question", "conversation"}` (lines with the same conversation are one chat, in file order)."""
    if line.startswith("{"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            return line, None
        if isinstance(record, dict) and "question" in record:
            conversation = record.get("conversation")
            return str(record["question"]), None if conversation is None else str(conversation)
    return line, None


def _render(settings: Settings) -> Callable[[Answer], str]:
    """Terminal rendering with the index's English titles and the translation hint when no model is set."""
    from isnad.bot.fronts.rendering import answer_text
    from isnad.bot.fronts.titles import EnglishTitles

    titles, model = EnglishTitles(settings.data_dir), settings.llm.provider != "extractive"
    return lambda answer: answer_text(answer, english_title=titles, model_configured=model)


def cmd_ask(settings: Settings, args: argparse.Namespace) -> int:
    from isnad.bot.answer.answering import validate_question
    from isnad.bot.fronts.rendering import answer_json

    if not args.batch and args.question is None:
        raise UsageError("ask: give a question, or --batch FILE")
    lines = _batch_questions(Path(args.batch)) if args.batch else [(1, args.question)]
    answerer, render = _ready_answerer(settings), _render(settings)
    conversations: dict[str, list[Turn]] = {}  # id -> previous turns, oldest first
    status = OK
    for number, line in lines:
        if line is None:
            broken = f"line {number} of {printable(args.batch)} is not valid UTF-8"
            if args.json:
                print(json.dumps({"line": number, "error": _error(USAGE, broken)}, ensure_ascii=False), flush=True)
            else:
                print(f"isnad: {broken}", file=sys.stderr, flush=True)
            status = max(status, USAGE)
            continue
        question, conversation = _question_of(line) if args.batch else (line, None)
        problem = validate_question(question, settings.bot.max_question_chars)
        if problem:
            print(json.dumps({"question": question, "error": _error(USAGE, problem)}, ensure_ascii=False) if args.json else problem)
            status = max(status, USAGE)
            continue
        context = conversations.setdefault(conversation, []) if conversation is not None else []
        answer = answerer.answer(question, context=context[-CONTEXT_TURNS:])
        context.append(turn_of(answer))
        failed = answer.status == "unavailable"
        if args.json:
            obj = answer_json(answer) | ({"error": _error(UNAVAILABLE, answer.text)} if failed else {})
            print(json.dumps(obj, ensure_ascii=False), flush=True)
        else:
            print(render(answer), flush=True)
        if failed:
            status = UNAVAILABLE
    return status


def cmd_chat(settings: Settings, args: argparse.Namespace) -> int:
    from isnad.bot.answer.answering import validate_question

    answerer, render = _ready_answerer(settings), _render(settings)
    history: list[Turn] = []  # previous turns, for follow-ups; /new clears it
    interactive = sys.stdin.isatty()
    if interactive:
        print("Isnad — ask about the articles; /new starts afresh (Ctrl-D to quit) / اسأل عن المقالات")
    status = OK
    while True:
        try:
            question = input("> " if interactive else "")
        except EOFError:
            return status
        except KeyboardInterrupt:
            print()
            return status
        if question.strip() in ("/new", "/جديد"):
            history.clear()
            continue
        problem = validate_question(question, settings.bot.max_question_chars)
        if problem:
            print(problem, flush=True)
            status = max(status, USAGE)
        else:
            stream = _TokenPrinter(question)
            answer = answerer.answer(question, on_text=stream, context=history[-CONTEXT_TURNS:])
            history.append(turn_of(answer))
            print(render(answer) if not stream.printed else "\n\n" + render(answer), flush=True)
            if answer.status == "unavailable":
                status = UNAVAILABLE
        print()


class _TokenPrinter:
    """Prints a streaming answer as it grows, under a line marking it as an unchecked draft; the
    verified answer is then printed in full below it."""

    def __init__(self, question: str) -> None:
        from isnad.bot.answer.messages import text
        from isnad.retrieval.arabic import detect_language

        self.label = text("draft", detect_language(question))
        self.printed = ""

    def __call__(self, text: str) -> None:
        if text.startswith(self.printed):
            sys.stdout.write(("" if self.printed else f"{self.label}\n") + text[len(self.printed) :])
            sys.stdout.flush()
            self.printed = text


def cmd_sources(settings: Settings, args: argparse.Namespace) -> int:
    """The indexed articles, read from the manifest (no store, no model)."""
    from isnad.retrieval.manifest import Manifest

    sources = Manifest.load(settings.data_dir).sources()
    if args.json:
        print(json.dumps([s.__dict__ for s in sources], ensure_ascii=False))
    for s in sources if not args.json else ():
        print(" — ".join(part for part in (s.article_id, s.title, s.publisher, s.date) if part))
    return OK


def cmd_eval(settings: Settings, args: argparse.Namespace) -> int:
    from isnad.bot.answer.eval_sets import EvalSetError, load_near_miss, load_set
    from isnad.bot.answer.evaluation import format_report, summarise
    from isnad.bot.fronts.eval_run import run_sets

    try:
        sets = [load_set(_eval_file(args.file), args.corpus, args.split, args.limit)]
        if args.near_miss:
            sets += load_near_miss(args.near_miss, args.split, args.limit)
    except EvalSetError as exc:
        raise UsageError(f"eval: {exc}") from exc
    summary = summarise(run_sets(settings, sets, args.data_dir, _progress(not args.json)))
    print(json.dumps(summary, ensure_ascii=False, indent=1) if args.json else format_report(summary))
    return OK


def cmd_feedback(settings: Settings, args: argparse.Namespace) -> int:
    from isnad.bot.fronts.feedback import FeedbackStore, votes_json, votes_text

    votes = FeedbackStore(settings.data_dir).recent_down(args.limit)
    print(json.dumps(votes_json(votes), ensure_ascii=False) if args.json else votes_text(votes))
    return OK


def cmd_bot(settings: Settings, args: argparse.Namespace) -> int:
    from isnad.bot.fronts.telegram_app import run_bot

    if not settings.telegram.bot_token:
        raise ConfigError("set TELEGRAM_BOT_TOKEN first")
    run_bot(settings, _answerer(settings))
    return OK


def cmd_start(settings: Settings, args: argparse.Namespace) -> int:
    """Refresh the index, then run the Telegram bot if a token is set, else the terminal chat."""
    args.path, args.json, args.rebuild = None, False, False
    cmd_ingest(settings, args)
    if settings.telegram.bot_token:
        return cmd_bot(settings, args)
    print("TELEGRAM_BOT_TOKEN is not set: starting the terminal chat.", file=sys.stderr)
    return cmd_chat(settings, args)


def _count(text: str) -> int:
    """A positive whole number (argparse type)."""
    if not text.isdigit() or int(text) < 1:
        raise argparse.ArgumentTypeError(f"expected a positive number, got {text!r}")
    return int(text)


DEFAULT_EVAL_FILE = Path("tests/data/questions.jsonl")  # the public set, in a checkout beside seeds/


def _eval_file(given: str | None) -> Path:
    """FILE, or the public question set when run in a checkout (as the default corpus seeds/ is)."""
    if given is not None:
        return Path(given)
    if not DEFAULT_EVAL_FILE.is_file():
        raise UsageError(
            f"eval: no FILE given and the public question set {DEFAULT_EVAL_FILE} is not in the working "
            "directory: run from a checkout of Isnad or give a question file"
        )
    return DEFAULT_EVAL_FILE


def _command(sub: argparse._SubParsersAction, name: str, summary: str, func: Callable[..., int],
             common: argparse.ArgumentParser, details: str = "") -> argparse.ArgumentParser:
    """A subcommand with its one-line summary (in `isnad --help`) and description (in its own --help)."""
    command = sub.add_parser(name, help=summary, description=f"{summary[0].upper()}{summary[1:]}. {details}".strip(), parents=[common])
    command.set_defaults(func=func)
    return command


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isnad", description="Cited answers from news articles, in Arabic and English.",
        epilog="Settings come from ISNAD_* environment variables or a .env file (see config/example.env).",
    )
    parser.add_argument("--version", action="version", version=f"isnad {__version__}")
    debug = "on a failure, print the traceback too; log Isnad's debug lines"
    parser.add_argument("--debug", action="store_true", help=debug)
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--debug", action="store_true", default=argparse.SUPPRESS, help=debug)
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = _command(sub, "ingest", "refresh the index from a corpus folder (incremental)", cmd_ingest, common,
                      "New files are added, changed ones replaced, removed ones deleted; no language model is loaded.")
    ingest.add_argument("path", nargs="?", help="corpus folder (default: ISNAD_CORPUS_DIR, seeds/)")
    ingest.add_argument("--json", action="store_true", help="print one JSON object with the counts and skipped files")
    ingest.add_argument("--rebuild", action="store_true", help="build a new index beside the old one, then swap it in")
    ingest.add_argument("--watch", action="store_true", help="keep running: sync again when articles are added, changed or removed")

    add = _command(sub, "add", "fetch web pages into the corpus folder and index them", cmd_add, common,
                   "Only http/https pages; a page already indexed (same text or canonical URL) is not added again.")
    add.add_argument("urls", nargs="+", metavar="URL", help="the pages to add")
    add.add_argument("--json", action="store_true", help="print one JSON object with the added articles and the ingest counts")

    ask = _command(sub, "ask", "answer one question (or one per line of --batch FILE)", cmd_ask, common,
                   "Indexes the corpus first if nothing is indexed.")
    ask.add_argument("question", nargs="?", help="the question, in Arabic or English")
    ask.add_argument("--json", action="store_true", help="print one JSON object per question")
    ask.add_argument("--batch", metavar="FILE", help="answer every line of FILE (plain text, or JSON with a conversation id)")

    _command(sub, "chat", "interactive terminal chat", cmd_chat, common,
             "One question a line; /new starts afresh; ends at end of input (Ctrl-D).")

    sources = _command(sub, "sources", "list the indexed articles", cmd_sources, common)
    sources.add_argument("--json", action="store_true", help="print one JSON array")

    evaluation = _command(sub, "eval", "score answers on a question set", cmd_eval, common,
                          "Prints figures per question language; see README, `isnad eval [FILE]`.")
    evaluation.add_argument("file", nargs="?",
                            help=f"golden (quotes) or XQuAD (answer_text, start) JSONL; default: {DEFAULT_EVAL_FILE}")
    evaluation.add_argument("--corpus", type=Path, metavar="DIR", help="article folder (default: corpus/ beside an XQuAD file, else ISNAD_CORPUS_DIR)")
    evaluation.add_argument("--data-dir", type=Path, metavar="DIR", help="index the corpus here and keep it (default: the configured index for the configured corpus, else a temporary dir)")
    evaluation.add_argument("--split", choices=["fit", "heldout", "all"], default="all",
                            help="XQuAD: by splits.json beside the file; golden: by each item's 'split' (default: all)")
    evaluation.add_argument("--limit", type=_count, metavar="N", help="only the first N questions (of each set)")
    evaluation.add_argument("--near-miss", type=Path, metavar="DIR", help="also score the sets written by bench/near_miss.py")
    evaluation.add_argument("--json", action="store_true", help="print the figures and per-question rows as JSON")

    feedback = _command(sub, "feedback", "list recent 👎 votes from Telegram", cmd_feedback, common)
    feedback.add_argument("--json", action="store_true", help="print one JSON array")
    feedback.add_argument("--limit", type=_count, default=20, metavar="N", help="at most N votes (default 20)")

    _command(sub, "bot", "run the Telegram bot", cmd_bot, common,
             "Needs TELEGRAM_BOT_TOKEN; long polling, or a webhook when ISNAD_BOT_WEBHOOK_URL is set.")
    _command(sub, "start", "ingest, then the bot (TELEGRAM_BOT_TOKEN set) or the terminal chat", cmd_start, common)
    return parser


def _configure_logging(level: str | None, command: str, debug: bool) -> None:
    """ISNAD_LOG_LEVEL for every logger when set; else Isnad's own INFO lines for the long-running
    `bot` and `start` (their start-up steps) and warnings only for the rest."""
    logging.basicConfig(level=level or "WARNING", format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if debug:
        logging.getLogger("isnad").setLevel("DEBUG")
    elif level is None and command in ("bot", "start"):
        logging.getLogger("isnad").setLevel("INFO")


def main(argv: list[str] | None = None) -> int:
    signal.signal(signal.SIGPIPE, signal.SIG_DFL)  # `isnad ... | head` ends quietly
    redaction.install()  # before anything can log or fail
    args = build_parser().parse_args(argv)
    try:
        settings = load_settings()
        for secret in (settings.telegram.bot_token, settings.telegram.webhook_secret, settings.llm.api_key):
            redaction.add_secret(secret)
        _configure_logging(settings.log_level, args.command, args.debug)
        check_usable(settings.data_dir)
        return args.func(settings, args)
    except KeyboardInterrupt:  # Ctrl-C before the bot's own signal handling is set up: a normal stop
        return OK
    except Exception as exc:
        if args.debug:
            sys.stderr.write(redaction.redact(traceback.format_exc()))
        code, message = exit_code(exc), redaction.redact(one_line(exc))
        print(f"isnad: {message}", file=sys.stderr)
        if getattr(args, "json", False):
            print(json.dumps({"error": _error(code, message)}, ensure_ascii=False))
        return code


def _error(code: int, message: str) -> dict[str, object]:
    """The `error` field of JSON output: the exit code and what went wrong."""
    return {"code": code, "message": message}


if __name__ == "__main__":
    sys.exit(main())
