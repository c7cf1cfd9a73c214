"""articles.toml: per-article metadata, validated one article at a time.

A TOML date (`date = 2024-05-01`, unquoted) is accepted and kept as ISO text; any other value of
the wrong type, or an unknown field, makes that article's metadata invalid with a message naming
the file, the article and the field. The other articles' metadata stays usable.
"""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from isnad.retrieval.models import ArticleMeta

METADATA_FILE = "articles.toml"


class MetadataError(ValueError):
    """articles.toml (or one article's entry in it) cannot be used; the message says where."""


class _MetaModel(BaseModel):
    """The fields of one `[article_id]` table; every value is text."""

    model_config = ConfigDict(extra="forbid", strict=True)

    title: str = ""
    title_en: str = ""
    publisher: str = ""
    date: str = ""
    language: str = "ar"
    url: str = ""

    @field_validator("date", mode="before")
    @classmethod
    def _iso_date(cls, value: object) -> object:
        """An unquoted TOML date or date-time becomes its ISO text."""
        if isinstance(value, datetime.date | datetime.time):
            return value.isoformat()
        return value


def _describe(article_id: str, error: ValidationError) -> str:
    problems = []
    for item in error.errors():
        field = ".".join(str(part) for part in item["loc"]) or "(table)"
        allowed = f" (allowed: {', '.join(_MetaModel.model_fields)})" if item["type"] == "extra_forbidden" else ""
        problems.append(f"field {field!r}: {item['msg']}{allowed}")
    return f"{METADATA_FILE}, article {article_id!r}: " + "; ".join(problems)


def read_metadata(corpus_dir: Path) -> tuple[dict[str, ArticleMeta], dict[str, str]]:
    """(valid metadata by article id, reason by article id for entries that are invalid).

    No file means no metadata. Raises MetadataError when the file as a whole cannot be read.
    """
    path = corpus_dir / METADATA_FILE
    if not path.is_file():
        return {}, {}
    try:
        table = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise MetadataError(f"cannot read {METADATA_FILE}: {exc}") from exc
    valid: dict[str, ArticleMeta] = {}
    invalid: dict[str, str] = {}
    for article_id, values in table.items():
        if not isinstance(values, dict):
            invalid[article_id] = f"{METADATA_FILE}, article {article_id!r}: expected a [{article_id}] table"
            continue
        try:
            valid[article_id] = ArticleMeta(**_MetaModel.model_validate(values).model_dump())
        except ValidationError as exc:
            invalid[article_id] = _describe(article_id, exc)
    return valid, invalid
