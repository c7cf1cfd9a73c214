"""Data only: example.env (every setting with its default, written by isnad.env_example)."""
