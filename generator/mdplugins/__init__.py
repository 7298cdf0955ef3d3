"""Learnmark's markdown-it extensions: each a plain ``plugin(md, **options)``."""
