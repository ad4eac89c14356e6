"""obligations: a rules-based checker of the duties in agreements (업무협약) and plans of public bodies."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("obligations")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+source"
