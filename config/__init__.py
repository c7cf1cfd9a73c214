"""Isnad configuration: typed settings loaded once at start-up."""
