"""Data only: default.toml (the default settings) and example.env, read by isnad.settings."""
