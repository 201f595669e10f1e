"""Locales, catalogs and Babel formatting: everything language-specific."""
