"""The `dossier` command: a thin Click layer over the library.

Each command parses its options, calls one library function, and formats the result.
Nothing outside this package imports it (import-linter enforces it).
"""
