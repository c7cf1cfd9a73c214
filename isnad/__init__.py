"""Isnad: cited answers from news articles, in Arabic and English.

The installed package maps the repository's folders under one namespace (see docs/architecture.md):
isnad.retrieval (retrieval/) -> isnad.bot.answer (bot/answer/) -> isnad.bot.fronts (bot/fronts/);
isnad.settings reads its defaults from isnad.config (config/, data only).
"""

__version__ = "0.1.0"
