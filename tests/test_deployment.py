"""The deployment files stay in step with the code: the image installs every package folder,
compose runs commands the CLI has, and the ingest job needs no bot secrets."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

import yaml

from isnad.bot.fronts.cli import build_parser

REPO = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((REPO / "docker-compose.yml").read_text(encoding="utf-8"))


def _commands() -> set[str]:
    parser = build_parser()
    [sub] = [a for a in parser._actions if a.dest == "command"]  # argparse keeps subcommands here
    return set(sub.choices)


def test_the_image_copies_every_folder_the_package_maps() -> None:
    dockerfile = (REPO / "Dockerfile").read_text(encoding="utf-8")
    package_dir = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]["package-dir"]
    copied = set(re.findall(r"^COPY (\S+) /src/", dockerfile, re.MULTILINE))
    assert {folder.split("/")[0] for folder in package_dir.values()} <= copied
    assert re.search(r"^USER (?!root)\S+", dockerfile, re.MULTILINE)  # not run as root


def test_compose_runs_isnad_commands_from_the_image_without_installing() -> None:
    services = _compose()["services"]
    commands = _commands()
    isnad_services = {name: s for name, s in services.items() if s.get("image", "").startswith("isnad")}
    assert {"bot", "ingest"} <= set(isnad_services)
    for name, service in isnad_services.items():
        command = service["command"]
        assert command[0] == "isnad" and command[1] in commands, name
        assert "pip" not in " ".join(map(str, command)), name


def test_the_ingest_job_needs_no_bot_secrets() -> None:
    ingest = _compose()["services"]["ingest"]
    assert not [key for key in ingest.get("environment", {}) if key.startswith("TELEGRAM_")]
