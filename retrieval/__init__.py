"""Isnad retrieval: articles -> clean text with offsets -> chunks -> Chroma + BM25 -> passages."""
