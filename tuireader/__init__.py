"""tuireader: a calm terminal reader for libraries of long texts."""

__version__ = "0.1.0"
