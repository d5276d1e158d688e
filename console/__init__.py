"""Tiski's librarian console: a keyboard-driven Textual desk client for the desk protocol."""
