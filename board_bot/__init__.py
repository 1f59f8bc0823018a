"""Smart City Board bot: a Matrix bot for a city's interdepartmental Smart City Board."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("smart-city-board-bot")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0.0.0+source"
