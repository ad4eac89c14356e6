"""obligations: a rules-based checker of the duties in agreements (업무협약) and plans of public bodies."""

# The one place the version is written (pyproject.toml reads it); a literal, because looking it up in the
# installed package's metadata costs more than the rest of `obligations --version`.
__version__ = "0.1.0"
